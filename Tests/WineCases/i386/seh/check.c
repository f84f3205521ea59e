/* Scenario "seh": SEH in an i386 DLL linked with /safeseh: exceptions raised in the DLL (also
 * in its .text$x functions) and by a callback of the caller, caught in the DLL; and the load
 * configuration's SafeSEH table. */
#include <stddef.h>
#include "check.h"

__declspec(dllimport) unsigned long seh_raise(void);
__declspec(dllimport) unsigned long seh_fault(volatile int *pointer);
__declspec(dllimport) unsigned long seh_callback(void (*callback)(unsigned long), unsigned long code);
__declspec(dllimport) int seh_filter(void);
__declspec(dllimport) int seh_finally(void);
__declspec(dllimport) int seh_late_raise(void);
__declspec(dllimport) unsigned long seh_late_fault(volatile int *pointer);
__declspec(dllimport) void *seh_handler_address(void);

static volatile int after_callback_raise;

static void raising_callback(unsigned long code) {
    RaiseException(code, 0, 0, NULL);
    after_callback_raise++;
}

RUN_CHECKS {
    HMODULE module = GetModuleHandleA("wn_seh.dll");
    check_true("seh-module-loaded", module != NULL);
    check_hex("seh-raise", seh_raise(), 0xE0000002u);
    check_hex("seh-fault", seh_fault((volatile int *)0), 0xC0000005u);
    check_hex("seh-callback", seh_callback(raising_callback, 0xE0001234u), 0xE0001234u);
    check_int("seh-callback-unwound", after_callback_raise, 0);
    check_int("seh-filter", seh_filter(), 11);
    check_int("seh-finally", seh_finally(), 123);
    check_int("seh-late-raise", seh_late_raise(), 1);
    check_hex("seh-late-fault", seh_late_fault((volatile int *)16), 0xC0000005u);
    if (module == NULL) return check_failures;

    /* The load configuration and its SafeSEH table (VAs, relocated with the image). */
    const unsigned char *base = (const unsigned char *)module;
    const IMAGE_NT_HEADERS32 *nt = check_headers(module);
    check_true("seh-no-seh-flag-clear", (nt->OptionalHeader.DllCharacteristics & IMAGE_DLLCHARACTERISTICS_NO_SEH) == 0);
    IMAGE_DATA_DIRECTORY directory = nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_LOAD_CONFIG];
    check_true("seh-load-config-present", directory.VirtualAddress != 0
                                              && directory.Size >= offsetof(IMAGE_LOAD_CONFIG_DIRECTORY32, SEHandlerCount) + 4);
    if (directory.VirtualAddress == 0) return check_failures;
    const IMAGE_LOAD_CONFIG_DIRECTORY32 *config = (const IMAGE_LOAD_CONFIG_DIRECTORY32 *)(base + directory.VirtualAddress);
    check_int("seh-load-config-size", (long)config->Size, (long)offsetof(IMAGE_LOAD_CONFIG_DIRECTORY32, SEHandlerCount) + 4);
    const DWORD *cookie = (const DWORD *)config->SecurityCookie;
    check_true("seh-cookie-inside", check_inside_image(module, cookie));
    /* The loader replaces the default cookie (0xBB40E64E, the initial value in loadcfg.c) with
     * a random one: only where SecurityCookie points. */
    if (check_inside_image(module, cookie)) check_true("seh-cookie-initialised", *cookie != 0xBB40E64Eu && *cookie != 0);
    const DWORD *table = (const DWORD *)config->SEHandlerTable;
    DWORD count = config->SEHandlerCount;
    check_true("seh-table-inside", check_inside_image(module, table));
    check_int("seh-table-count", (long)count, 1);
    void *handler = seh_handler_address();
    check_true("seh-handler-inside", check_inside_image(module, handler));
    if (check_inside_image(module, table) && count < 1000) {
        DWORD wanted = (DWORD)((const unsigned char *)handler - base);
        int found = 0, sorted = 1;
        for (DWORD i = 0; i < count; i++) {
            if (table[i] == wanted) found = 1;
            if (i > 0 && table[i - 1] >= table[i]) sorted = 0;
        }
        check_true("seh-table-has-handler", found);
        check_true("seh-table-sorted", sorted);
        /* The handler is the import thunk: jmp *[IAT slot of msvcrt!_except_handler3]. */
        const unsigned char *thunk = (const unsigned char *)handler;
        HMODULE msvcrt = GetModuleHandleA("msvcrt.dll");
        check_true("seh-handler-is-thunk", thunk[0] == 0xff && thunk[1] == 0x25 && msvcrt != NULL
                                               && **(void ***)(thunk + 2) == (void *)GetProcAddress(msvcrt, "_except_handler3"));
    }
    return check_failures;
}
