/* No dllexport: the .def names what to export. */
int c(int a, int b) { return a + b; }                      /* _c */
int __stdcall f(int a, int b) { return a - b; }            /* _f@8 */
int __fastcall g(int a, int b) { return a * b; }           /* @g@8 */
int __vectorcall h(int a, int b) { return a ^ b; }         /* h@@8 */
int __stdcall full_f(int a, int b, int c) { return a - b - c; }  /* _full_f@12 */
int __fastcall full_g(int a, int b) { return a * b + 1; }  /* @full_g@8 */
int __stdcall unexported(int a) { return a; }              /* _unexported@4: not in the .def */
