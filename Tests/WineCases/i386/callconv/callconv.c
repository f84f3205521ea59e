/* wn_callconv.dll: the i386 calling conventions and the names link.exe exports them under.
 * Symbols: _cc_cdecl, _cc_stdcall@8, _cc_stdcall_decorated@8, @cc_fastcall@8, _cc_stdcall3@12. */
int __cdecl cc_cdecl(int a, int b) { return a * 10 + b; }

/* Exported as "cc_stdcall": the .def names it undecorated, the linker finds _cc_stdcall@8. */
int __stdcall cc_stdcall(int a, int b) { return a * 100 + b; }

/* Exported fully decorated: the .def says _cc_stdcall_decorated@8, so that is the export name. */
int __stdcall cc_stdcall_decorated(int a, int b) { return a - b; }

/* Exported as "@cc_fastcall@8" (a, b in ecx, edx). */
int __fastcall cc_fastcall(int a, int b) { return a * 1000 + b; }

/* Three stack arguments, popped by the callee (ret 12). Reached through a plain (thunk) call. */
int __stdcall cc_stdcall3(int a, int b, int c) { return a * 10000 + b * 100 + c; }

/* Exported through .drectve /EXPORT: directives: _cc_directive_cdecl as "cc_directive_cdecl",
 * _cc_directive_stdcall@4 as "_cc_directive_stdcall@4" (link.exe keeps stdcall decoration). */
__declspec(dllexport) int __cdecl cc_directive_cdecl(int a) { return a + 1; }
__declspec(dllexport) int __stdcall cc_directive_stdcall(int a) { return a + 2; }

/* Not exported. */
int __stdcall cc_hidden(int a) { return a; }

/* Calls between the conventions inside the DLL. */
int cc_internal(void) { return cc_stdcall(1, 2) + cc_fastcall(3, 4) + cc_hidden(5); }
