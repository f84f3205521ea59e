/* Scenario "dllmain": an entry point given with /entry: runs on attach and detach. */
#include "check.h"

typedef void *(*instance_fn)(void);
typedef void (*flag_fn)(int *);

RUN_CHECKS {
    HMODULE module = check_load("dllmain-load", "wn_dllmain.dll");
    if (module == NULL) return check_failures;
    int_fn0 count = (int_fn0)check_export("dllmain-exports", module, "dllmain_attach_count");
    instance_fn instance = (instance_fn)check_export("dllmain-exports", module, "dllmain_instance");
    int_fn0 seen = (int_fn0)check_export("dllmain-exports", module, "dllmain_seen_value");
    flag_fn set_flag = (flag_fn)check_export("dllmain-exports", module, "dllmain_set_detach_flag");
    if (!count || !instance || !seen || !set_flag) return check_failures;
    check_int("dllmain-attached", count(), 1);
    check_same("dllmain-instance", instance(), (void *)module);
    check_int("dllmain-data-initialised", seen(), 7);
    HMODULE again = LoadLibraryA("wn_dllmain.dll");
    check_same("dllmain-same-module", (void *)again, (void *)module);
    check_int("dllmain-attach-once", count(), 1);
    static int flag;
    set_flag(&flag);
    FreeLibrary(again);
    check_int("dllmain-still-loaded", flag, 0);
    FreeLibrary(module);
    check_int("dllmain-detached", flag, 0x5eed);
    SetLastError(0);
    HMODULE refused = LoadLibraryA("wn_dllmain_refuse.dll");
    DWORD error = GetLastError();
    check_true("dllmain-refused", refused == NULL);
    /* ERROR_DLL_INIT_FAILED, not ERROR_MOD_NOT_FOUND: the DLL was found and its entry said no. */
    check_int("dllmain-refused-error", (long)error, 1114);
    return check_failures;
}
