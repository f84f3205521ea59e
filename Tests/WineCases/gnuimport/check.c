/* Scenario "gnuimport": the kernel32 scenario's DLL, importing kernel32 through MinGW's GNU-style
 * libkernel32.a (head, member and tail objects with .idata$N sections); the kernel32 checks. */
#define SCENARIO "gnuimport"
#define SCENARIO_DLL "wn_gnuimport.dll"
#include "../kernel32/check.c"
