int need_b(int x) { return x + 100; }
