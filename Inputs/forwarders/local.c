/* One real export next to forwarded exports. */
int local_fn(int x) { return x ^ 0x5a; }
