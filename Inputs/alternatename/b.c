int overridden(int x) { return x * 1000; }
