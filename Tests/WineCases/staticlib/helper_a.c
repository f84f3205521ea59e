/* Member pulled because staticlib_main.obj calls helper_a; it pulls helper_b in turn. */
int helper_b(int x);

int helper_a(int x) { return helper_b(x) * 2; }
