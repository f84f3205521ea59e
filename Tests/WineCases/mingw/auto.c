/* No dllexport anywhere: with --export-all-symbols every global function and variable is exported. */
int auto_value = 3;
const char auto_name[] = "auto";
int auto_twice(int x) { return 2 * x; }
static int auto_hidden(int x) { return x; }
int auto_use_hidden(int x) { return auto_hidden(x) + auto_value; }
