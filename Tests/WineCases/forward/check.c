/* Scenario "forward": exports that forward to kernel32, resolved by GetProcAddress and by the loader. */
#include "check.h"

/* Bound at load time through the forwarder. The .def name is undecorated, so on i386 the
 * import library's symbol is _MyPid (a cdecl name): declared cdecl here, which is harmless for
 * a stdcall function without arguments (and the same thing on x64). */
__declspec(dllimport) DWORD MyPid(void);

typedef DWORD (WINAPI *tick_fn)(void);
typedef int (WINAPI *length_fn)(const char *);
typedef int (WINAPI *muldiv_fn)(int, int, int);

RUN_CHECKS {
    HMODULE module = check_load("forward-load", "wn_forward.dll");
    if (module == NULL) return check_failures;
    HMODULE kernel32 = GetModuleHandleA("kernel32.dll");
    int_fn0 local = (int_fn0)check_export("forward-local", module, "forward_local");
    if (local) check_int("forward-local-call", local(), 5);
    tick_fn tick = (tick_fn)check_export("forward-tick", module, "MyTick");
    check_same("forward-tick-address", (void *)tick, (void *)GetProcAddress(kernel32, "GetTickCount"));
    if (tick) {
        DWORD before = GetTickCount();
        DWORD value = tick();
        DWORD after = GetTickCount();
        check_true("forward-tick-call", value - before <= after - before);
    }
    check_true("forward-pid-implib", MyPid() == GetCurrentProcessId());
    length_fn length = (length_fn)(void *)GetProcAddress(module, MAKEINTRESOURCEA(20));
    check_same("forward-ordinal-address", (void *)length, (void *)GetProcAddress(kernel32, "lstrlenA"));
    if (length) check_int("forward-ordinal-call", length("forwarded"), 9);
    muldiv_fn muldiv = (muldiv_fn)(void *)GetProcAddress(module, MAKEINTRESOURCEA(21));
    check_same("forward-noname-address", (void *)muldiv, (void *)GetProcAddress(kernel32, "MulDiv"));
    if (muldiv) check_int("forward-noname-call", muldiv(6, 7, 2), 21);
    check_true("forward-noname-hidden", GetProcAddress(module, "MyMultiply") == NULL);
    return check_failures;
}
