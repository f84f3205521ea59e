int local_function(void) { return 42; }
