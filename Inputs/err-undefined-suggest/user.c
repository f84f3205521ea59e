/* Three mistakes a "did you mean" should explain (i386, where C names are decorated):
   compute is declared __stdcall here but defined __cdecl in impl.c (_compute@4 against _compute);
   scale is declared as C here but defined in C++ (_scale against ?scale@@YAHH@Z). */
int __stdcall compute(int x);
int scale(int x);
int use_c(int x) { return compute(x) + scale(x); }
