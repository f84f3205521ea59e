/* Only reachable because /export:lib_fn names it: the export pulls the member in. */
extern int lib_dep(void);
int lib_fn(void) { return lib_dep() + 40; }
