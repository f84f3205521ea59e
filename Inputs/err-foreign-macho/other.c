int other_function(void) { return 7; }
