/* The only member of libstatic.lib. */
int library_anchor(void) { return 1; }
int library_function(void) { return 2; }
