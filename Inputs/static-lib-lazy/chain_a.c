extern int need_b(int);
int need_a(int x) { return need_b(x) * 2; }
