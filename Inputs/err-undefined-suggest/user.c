/* compute is declared __stdcall here but defined __cdecl in impl.c: _compute@4 against _compute
   (i386, where C names are decorated). */
int __stdcall compute(int x);
int use_c(int x) { return compute(x) + 1; }
