/* Scenario "dllmain": entry points given with /entry: (on i386 found decorated), and the
 * linker's default entry of a DLL (wn_dllstartup.dll). */
#include "check.h"

typedef void *(*instance_fn)(void);
typedef void (*flag_fn)(int *);
typedef unsigned (*reasons_fn)(void);

static DWORD WINAPI nothing(void *parameter) { (void)parameter; return 0; }

RUN_CHECKS {
    HMODULE module = check_load("dllmain-load", "wn_dllmain.dll");
    if (module != NULL) {
        int_fn0 count = (int_fn0)check_export("dllmain-exports", module, "dllmain_attach_count");
        int_fn0 thread_count = (int_fn0)check_export("dllmain-exports", module, "dllmain_thread_attach_count");
        instance_fn instance = (instance_fn)check_export("dllmain-exports", module, "dllmain_instance");
        int_fn0 seen = (int_fn0)check_export("dllmain-exports", module, "dllmain_seen_value");
        flag_fn set_flag = (flag_fn)check_export("dllmain-exports", module, "dllmain_set_detach_flag");
        if (count && thread_count && instance && seen && set_flag) {
            check_int("dllmain-attached", count(), 1);
            check_same("dllmain-instance", instance(), (void *)module);
            check_int("dllmain-data-initialised", seen(), 7);
            HANDLE thread = CreateThread(NULL, 0, nothing, NULL, 0, NULL);
            if (thread) {
                WaitForSingleObject(thread, INFINITE);
                CloseHandle(thread);
            }
            check_true("dllmain-thread-attach", thread_count() >= 1);
            HMODULE again = LoadLibraryA("wn_dllmain.dll");
            check_same("dllmain-same-module", (void *)again, (void *)module);
            check_int("dllmain-attach-once", count(), 1);
            static int flag;
            set_flag(&flag);
            FreeLibrary(again);
            check_int("dllmain-still-loaded", flag, 0);
            FreeLibrary(module);
            check_int("dllmain-detached", flag, 0x5eed);
        }
    }
    SetLastError(0);
    HMODULE refused = LoadLibraryA("wn_dllmain_refuse.dll");
    DWORD error = GetLastError();
    check_true("dllmain-refused", refused == NULL);
    /* ERROR_DLL_INIT_FAILED, not ERROR_MOD_NOT_FOUND: the DLL was found and its entry said no. */
    check_int("dllmain-refused-error", (long)error, 1114);
    HMODULE startup = check_load("dllmain-load", "wn_dllstartup.dll");
    if (startup != NULL) {
        reasons_fn reasons = (reasons_fn)check_export("dllmain-startup-exports", startup, "startup_reasons");
        instance_fn instance = (instance_fn)check_export("dllmain-startup-exports", startup, "startup_instance_seen");
        if (reasons) check_int("dllmain-default-entry-attach", (long)(reasons() & 2u), 2);
        if (instance) check_same("dllmain-default-entry-instance", instance(), (void *)startup);
    }
    return check_failures;
}
