int lib_helper(int x) { return x ^ 0x55; }
