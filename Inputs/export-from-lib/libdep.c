int lib_dep(void) { return 2; }
int lib_table[2] = { 5, 6 };
