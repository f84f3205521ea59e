int c(int a) { return a + 1; }                              /* _c */
int __stdcall f(int a, int b) { return a - b; }             /* _f@8 */
int __fastcall g(int a, int b) { return a * b; }            /* @g@8 */
int __stdcall full_f(int a, int b, int c) { return a - b - c; }  /* _full_f@12 */
int counter = 7;                                            /* _counter */
const int table[3] = { 1, 2, 3 };                           /* _table */
int *counter_ref = &counter;                                /* a HIGHLOW base relocation */
