int good(void) { return 1; }
int bad(void) { return 2; }
