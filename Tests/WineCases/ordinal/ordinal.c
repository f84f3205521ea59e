/* wn_ordinal.dll: exports with fixed ordinals, some of them NONAME. */
int ordinal_visible(void) { return 333; }
int ordinal_secret(void) { return 555; }
int ordinal_second_secret(void) { return 777; }
/* stdcall, NONAME: on i386 _ordinal_std@4, found from the undecorated .def name. */
int __stdcall ordinal_std(int a) { return a + 888; }
