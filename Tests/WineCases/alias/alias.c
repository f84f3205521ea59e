/* wn_alias.dll: one function exported under several names. */
int alias_target(int x) { return x + 100; }

/* Exported only under the public name PublicOnly. */
int hidden_impl(void) { return 7; }
