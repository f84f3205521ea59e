int noext_fn(void) { return 17; }
