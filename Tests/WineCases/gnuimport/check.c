/* Scenario "gnuimport": the same DLL, importing kernel32 through MinGW's GNU-style libkernel32.a (head, member and tail objects with .idata$N sections). */
#include "check.h"

__declspec(dllimport) unsigned long k32_pid_dllimport(void);
__declspec(dllimport) unsigned long k32_tick_dllimport(void);
__declspec(dllimport) int k32_length_dllimport(const char *text);
__declspec(dllimport) void *k32_tick_address_dllimport(void);
__declspec(dllimport) unsigned long k32_pid_thunk(void);
__declspec(dllimport) unsigned long k32_tick_thunk(void);
__declspec(dllimport) int k32_length_thunk(const char *text);
__declspec(dllimport) void *k32_tick_address_thunk(void);

RUN_CHECKS {
    HMODULE kernel32 = GetModuleHandleA("kernel32.dll");
    HMODULE module = GetModuleHandleA("wn_gnuimport.dll");
    check_true("gnuimport-module-loaded", module != NULL);
    check_true("gnuimport-pid-dllimport", k32_pid_dllimport() == GetCurrentProcessId());
    check_true("gnuimport-pid-thunk", k32_pid_thunk() == GetCurrentProcessId());
    DWORD before = GetTickCount();
    DWORD tick1 = k32_tick_dllimport();
    DWORD tick2 = k32_tick_thunk();
    DWORD after = GetTickCount();
    check_true("gnuimport-tick-dllimport", tick1 - before <= after - before);
    check_true("gnuimport-tick-thunk", tick2 - before <= after - before);
    check_int("gnuimport-length-dllimport", k32_length_dllimport("hello"), 5);
    check_int("gnuimport-length-thunk", k32_length_thunk("hello, world"), 12);
    check_same("gnuimport-iat-address", k32_tick_address_dllimport(), (void *)GetProcAddress(kernel32, "GetTickCount"));
    check_true("gnuimport-thunk-inside", module != NULL && check_inside_image(module, k32_tick_address_thunk()));
    return check_failures;
}
