/* Scenario "kernel32": a DLL importing kernel32 through an import library made by /lib /def:
 * (kernel32.def; on i386 i386/common/kernel32.def, whose entries name the stdcall symbols).
 * gnuimport/check.c includes this file with its own scenario and DLL name. */
#include "check.h"

#ifndef SCENARIO
#define SCENARIO "kernel32"
#define SCENARIO_DLL "wn_kernel32.dll"
#endif

__declspec(dllimport) unsigned long k32_pid_dllimport(void);
__declspec(dllimport) unsigned long k32_tick_dllimport(void);
__declspec(dllimport) int k32_length_dllimport(const char *text);
__declspec(dllimport) int k32_muldiv_dllimport(int a, int b, int c);
__declspec(dllimport) void *k32_tick_address_dllimport(void);
__declspec(dllimport) unsigned long k32_pid_thunk(void);
__declspec(dllimport) unsigned long k32_tick_thunk(void);
__declspec(dllimport) int k32_length_thunk(const char *text);
__declspec(dllimport) int k32_muldiv_thunk(int a, int b, int c);
__declspec(dllimport) void *k32_tick_address_thunk(void);

RUN_CHECKS {
    HMODULE kernel32 = GetModuleHandleA("kernel32.dll");
    HMODULE module = GetModuleHandleA(SCENARIO_DLL);
    check_true(SCENARIO "-module-loaded", module != NULL);
    check_true(SCENARIO "-pid-dllimport", k32_pid_dllimport() == GetCurrentProcessId());
    check_true(SCENARIO "-pid-thunk", k32_pid_thunk() == GetCurrentProcessId());
    DWORD before = GetTickCount();
    DWORD tick1 = k32_tick_dllimport();
    DWORD tick2 = k32_tick_thunk();
    DWORD after = GetTickCount();
    check_true(SCENARIO "-tick-dllimport", tick1 - before <= after - before);
    check_true(SCENARIO "-tick-thunk", tick2 - before <= after - before);
    check_int(SCENARIO "-length-dllimport", k32_length_dllimport("hello"), 5);
    check_int(SCENARIO "-length-thunk", k32_length_thunk("hello, world"), 12);
    check_int(SCENARIO "-muldiv-dllimport", k32_muldiv_dllimport(10, 9, 3), 30);
    check_int(SCENARIO "-muldiv-thunk", k32_muldiv_thunk(7, 6, 2), 21);
    check_same(SCENARIO "-iat-address", k32_tick_address_dllimport(), (void *)GetProcAddress(kernel32, "GetTickCount"));
    check_true(SCENARIO "-thunk-inside", check_inside_image(module, k32_tick_address_thunk()));
    return check_failures;
}
