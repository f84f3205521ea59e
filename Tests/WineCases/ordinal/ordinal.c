/* wn_ordinal.dll: exports with fixed ordinals, two of them NONAME. */
int ordinal_visible(void) { return 333; }
int ordinal_secret(void) { return 555; }
int ordinal_second_secret(void) { return 777; }
