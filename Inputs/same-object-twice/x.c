/* One object given twice on the command line (x.obj and ./x.obj): it is the
   same file, so it must be loaded once, without duplicate-symbol errors. */
int zeroed;                      /* .bss */
int initialized = 5;             /* .data */
__declspec(dllexport) int get(void) { return zeroed + initialized; }
