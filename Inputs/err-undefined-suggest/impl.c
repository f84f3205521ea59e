int compute(int x) { return x + 1; }
int blend(int x) { return x ^ 3; }
