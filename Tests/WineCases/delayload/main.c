/* delay_main.exe: no CRT, entry point `start`; linked with /delayload:delayed.dll /delay:unload.
   Prints one `ok <check> [value]` or `FAIL …` line per check with WriteFile and exits with 0 when
   every check passed. The order matters: each check sees what the calls before it did. */
#include "delayload.h"

__declspec(dllimport) int normal_value(void);

#include "../common/nocrt_output.h"

void fatal(const char *what) {
    put_text("FAIL ");
    put_text(what);
    end_line();
    ExitProcess(2);
}

#define DELAYED "delayed.dll"
#define DELAYED_MUL_ORDINAL ((const char *)5)

static int is_loaded(void) { return GetModuleHandleA(DELAYED) != 0; }

/* The slot holds the function delayed.dll exports (the helper has bound it). */
static int slot_bound(const char *function) {
    HMODULE module = GetModuleHandleA(DELAYED);
    return module != 0 && delay_slot(DELAYED, function) == GetProcAddress(module, function);
}

/* The slot holds an address in this image: its delay-load thunk, not yet bound. */
static int slot_unbound(const char *function) { return image_contains(delay_slot(DELAYED, function)); }

void start(void) {
    output = GetStdHandle((DWORD)-11); /* STD_OUTPUT_HANDLE */

    /* (a) At startup the loader has mapped normal.dll but not delayed.dll. */
    report_true("not-loaded-at-start", !is_loaded());
    report_true("normal-loaded-at-start", GetModuleHandleA("normal.dll") != 0);
    report_int("normal-value", normal_value(), 7);
    report_true("descriptor-found", find_delay_descriptor(DELAYED) != 0);
    report_true("slots-unbound-at-start", slot_unbound("delayed_add") && slot_unbound(DELAYED_MUL_ORDINAL));
    report_int("helper-calls-at-start", delay_helper_calls, 0);

    /* (b) The first call, through the import thunk, loads the DLL; (d) the helper runs once. */
    report_int("name-first-call-thunk", add_by_import_thunk(2, 3), 5);
    report_true("loaded-by-first-call", is_loaded());
    report_true("handle-slot-set", delay_module_handle(DELAYED) == GetModuleHandleA(DELAYED));
    report_int("helper-calls-after-first-call", delay_helper_calls, 1);
    report_true("name-slot-bound", slot_bound("delayed_add"));
    report_true("ordinal-slot-still-unbound", slot_unbound(DELAYED_MUL_ORDINAL));
    /* The same slot, now through dllimport: straight to the DLL, no helper. */
    report_int("name-second-call-dllimport", add_by_dllimport(4, 5), 9);
    report_int("helper-calls-after-second-call", delay_helper_calls, 1);

    /* (c) By ordinal: its own first call binds its own slot. */
    report_int("ordinal-first-call", mul_by_ordinal(6, 7), 42);
    report_int("helper-calls-after-ordinal-call", delay_helper_calls, 2);
    report_true("ordinal-slot-bound", slot_bound(DELAYED_MUL_ORDINAL));
    report_int("ordinal-second-call", mul_by_ordinal(3, 3), 9);
    report_int("name-third-call-thunk", add_by_import_thunk(10, 1), 11);
    report_int("helper-calls-after-second-calls", delay_helper_calls, 2);

    /* (e) Unloading: only a delay-loaded DLL; afterwards the slots are unbound and the handle cleared. */
    report_true("unload-normal-refused", !__FUnloadDelayLoadedDLL2("normal.dll"));
    report_true("unload", __FUnloadDelayLoadedDLL2(DELAYED));
    report_true("not-loaded-after-unload", !is_loaded());
    report_true("handle-slot-cleared", delay_module_handle(DELAYED) == 0);
    report_true("slots-unbound-after-unload", slot_unbound("delayed_add") && slot_unbound(DELAYED_MUL_ORDINAL));

    /* The next calls load it again, once, and bind each slot again. */
    report_int("ordinal-call-after-unload", mul_by_ordinal(2, 5), 10);
    report_true("reloaded", is_loaded());
    report_int("name-call-after-unload-thunk", add_by_import_thunk(20, 22), 42);
    report_int("name-call-after-unload-dllimport", add_by_dllimport(1, 1), 2);
    report_int("helper-calls-after-reload", delay_helper_calls, 4);

    ExitProcess(failures == 0 ? 0 : 1);
}
