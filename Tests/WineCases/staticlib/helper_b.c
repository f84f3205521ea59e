/* Member pulled through helper_a (transitively); also the home of an /export:ed function. */
int helper_b(int x) { return x + 1; }

int helper_b_exported(void) { return 77; }
