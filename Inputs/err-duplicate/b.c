int dup_def(void) { return 2; }
