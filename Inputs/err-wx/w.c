int twice_exported(int x) { return x * 2; }
