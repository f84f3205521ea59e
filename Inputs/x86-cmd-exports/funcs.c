/* No dllexport: the command line's /export: options name what to export. */
int c(int a, int b) { return a + b; }                      /* _c */
int __stdcall f(int a, int b) { return a - b; }            /* _f@8 */
int __fastcall g(int a, int b) { return a * b; }           /* @g@8 */
int __vectorcall h(int a, int b) { return a ^ b; }         /* h@@8 */
int __stdcall full_f(int a, int b, int c) { return a - b - c; }  /* _full_f@12 */
int __fastcall full_g(int a, int b) { return a * b + 1; }  /* @full_g@8 */
int __stdcall by_ordinal(int a) { return a; }              /* _by_ordinal@4 */
int hidden(void) { return 3; }                             /* _hidden */
int table[4] = { 1, 2, 3, 4 };                             /* _table */
