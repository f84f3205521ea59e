/* The i386-only part of wn_seh.dll; the rest is the x64 runtime test's ../../runtime/seh.c and
 * seh_late.c (__try/__except and __try/__finally, also in .text$x), built for i386, where their
 * frames register msvcrt's _except_handler3 (imported, so the registered address is the import
 * thunk in this DLL). Linked with /safeseh, the thunk must be in the load configuration's SafeSEH
 * table (the load configuration is ../common/loadcfg.c). No CRT, no SDK headers. */
#include "../../runtime/seh.h"

/* msvcrt's handler, declared without dllimport: its address is the import thunk's. */
void _except_handler3(void);

/* The EXE's callback raises; the exception crosses the EXE's frame back into this DLL. */
SEH_EXPORT unsigned long seh_callback(void (*callback)(unsigned long), unsigned long code) {
    volatile unsigned long caught = 0;
    __try {
        callback(code);
    } __except (seh_matches(_exception_code(), code) ? seh_take_code(&caught, _exception_code()) : EXCEPTION_CONTINUE_SEARCH) {
        return caught;
    }
    return 0;
}

/* The handler address the frames register. */
SEH_EXPORT void *seh_handler_address(void) { return (void *)&_except_handler3; }
