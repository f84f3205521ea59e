int named_fn(void) { return 23; }
