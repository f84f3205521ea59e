int never_pulled(int x) { return x + 100; }
