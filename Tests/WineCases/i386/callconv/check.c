/* Scenario "callconv": cdecl, stdcall and fastcall exports, through the import library the
 * linker wrote and through GetProcAddress with the names link.exe gives them. */
#include "check.h"

__declspec(dllimport) int __cdecl cc_cdecl(int a, int b);
__declspec(dllimport) int __stdcall cc_stdcall(int a, int b);
__declspec(dllimport) int __stdcall cc_stdcall_decorated(int a, int b);
__declspec(dllimport) int __fastcall cc_fastcall(int a, int b);
__declspec(dllimport) int __stdcall cc_directive_stdcall(int a);
__declspec(dllimport) int cc_internal(void);
/* Plain declarations: direct calls to the import library's thunks (_cc_stdcall3@12, _cc_directive_cdecl). */
int __stdcall cc_stdcall3(int a, int b, int c);
int __cdecl cc_directive_cdecl(int a);

typedef int (__cdecl *cdecl2_fn)(int, int);
typedef int (__stdcall *stdcall2_fn)(int, int);
typedef int (__stdcall *stdcall1_fn)(int);
typedef int (__stdcall *stdcall3_fn)(int, int, int);
typedef int (__fastcall *fastcall2_fn)(int, int);

/* Calls a stdcall function many times in a loop: a wrong stack cleanup would drift esp. */
static int __attribute__((noinline)) stdcall_loop(stdcall3_fn f) {
    int sum = 0;
    for (int i = 0; i < 100; i++) sum += f(0, 0, i) == i;
    return sum;
}

RUN_CHECKS {
    HMODULE module = GetModuleHandleA("wn_callconv.dll");
    check_true("callconv-module-loaded", module != NULL);
    /* Through the import library. */
    check_int("callconv-implib-cdecl", cc_cdecl(4, 2), 42);
    check_int("callconv-implib-stdcall", cc_stdcall(3, 7), 307);
    check_int("callconv-implib-stdcall-decorated", cc_stdcall_decorated(50, 8), 42);
    check_int("callconv-implib-fastcall", cc_fastcall(5, 6), 5006);
    check_int("callconv-implib-directive-stdcall", cc_directive_stdcall(40), 42);
    check_int("callconv-thunk-stdcall3", cc_stdcall3(1, 2, 3), 10203);
    check_int("callconv-thunk-stdcall3-loop", stdcall_loop(cc_stdcall3), 100);
    check_int("callconv-thunk-directive-cdecl", cc_directive_cdecl(41), 42);
    check_int("callconv-internal", cc_internal(), 102 + 3004 + 5);
    /* Through GetProcAddress, by the exported names. */
    cdecl2_fn f = (cdecl2_fn)check_export("callconv-name-cdecl", module, "cc_cdecl");
    stdcall2_fn g = (stdcall2_fn)check_export("callconv-name-stdcall", module, "cc_stdcall");
    stdcall2_fn h = (stdcall2_fn)check_export("callconv-name-stdcall-decorated", module, "_cc_stdcall_decorated@8");
    fastcall2_fn k = (fastcall2_fn)check_export("callconv-name-fastcall", module, "@cc_fastcall@8");
    stdcall3_fn s3 = (stdcall3_fn)check_export("callconv-name-stdcall3", module, "cc_stdcall3");
    stdcall1_fn ds = (stdcall1_fn)check_export("callconv-name-directive-stdcall", module, "_cc_directive_stdcall@4");
    int_fn1 dc = (int_fn1)check_export("callconv-name-directive-cdecl", module, "cc_directive_cdecl");
    if (f) check_int("callconv-getproc-cdecl", f(9, 9), 99);
    if (g) check_int("callconv-getproc-stdcall", g(1, 23), 123);
    if (h) check_int("callconv-getproc-stdcall-decorated", h(10, 3), 7);
    if (k) check_int("callconv-getproc-fastcall", k(7, 8), 7008);
    if (s3) check_int("callconv-getproc-stdcall3-loop", stdcall_loop(s3), 100);
    if (ds) check_int("callconv-getproc-directive-stdcall", ds(1), 3);
    if (dc) check_int("callconv-getproc-directive-cdecl", dc(1), 2);
    /* The import library and GetProcAddress agree. */
    check_same("callconv-same-cdecl", (void *)f, (void *)&cc_cdecl);
    check_same("callconv-same-stdcall", (void *)g, (void *)&cc_stdcall);
    check_same("callconv-same-fastcall", (void *)k, (void *)&cc_fastcall);
    /* No other spelling is exported. */
    static const char *const absent[] = {
        "_cc_cdecl", "_cc_stdcall@8", "cc_stdcall@8", "cc_stdcall_decorated", "cc_stdcall_decorated@8",
        "cc_fastcall", "cc_fastcall@8", "_cc_stdcall3@12", "cc_directive_stdcall", "cc_hidden", "_cc_hidden@4",
    };
    int found = 0;
    for (unsigned i = 0; i < sizeof absent / sizeof absent[0]; i++) {
        if (module && GetProcAddress(module, absent[i]) != NULL) {
            printf("FAIL callconv-other-spelling %s is exported\n", absent[i]);
            found++;
        }
    }
    check_true("callconv-no-other-spellings", found == 0);
    return check_failures;
}
