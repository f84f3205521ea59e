int good(void) { return 1; }
int bad(void) { return 2; }
int good2(void) { return 3; }
