/* app_lld.exe: no CRT, entry point `start`; linked by lld-link against the import libraries the
   linker under test wrote (consumer_target.lib, kernel32.lib). Prints with WriteFile. */
typedef void *HANDLE;
typedef unsigned long DWORD;
__declspec(dllimport) HANDLE __stdcall GetStdHandle(DWORD which);
__declspec(dllimport) int __stdcall WriteFile(HANDLE file, const void *buffer, DWORD size, DWORD *written,
                                              void *overlapped);
__declspec(dllimport) __declspec(noreturn) void __stdcall ExitProcess(unsigned int code);
__declspec(dllimport) HANDLE __stdcall GetModuleHandleA(const char *name);
__declspec(dllimport) void *__stdcall GetProcAddress(HANDLE module, const char *name);

#include "consumer_checks.h"

#include "../common/nocrt_output.h"

void start(void) {
    output = GetStdHandle((DWORD)-11); /* STD_OUTPUT_HANDLE */
    run_consumer_checks();
    ExitProcess(failures == 0 ? 0 : 1);
}
