/* Scenario "staticlib": a DLL whose code comes from lazily pulled static library members. */
#include "check.h"

__declspec(dllimport) int staticlib_compute(int x);
__declspec(dllimport) int staticlib_hook(void);
__declspec(dllimport) int helper_b_exported(void);

RUN_CHECKS {
    check_int("staticlib-pulled", staticlib_compute(20), 42);
    check_int("staticlib-alternatename", staticlib_hook(), 404);
    check_int("staticlib-export-from-member", helper_b_exported(), 77);
    HMODULE module = GetModuleHandleA("wn_staticlib.dll");
    check_true("staticlib-module-loaded", module != NULL);
    int_fn0 forced = (int_fn0)check_export("staticlib-include", module, "helper_e_forced");
    if (forced) check_int("staticlib-include", forced(), 55);
    check_true("staticlib-unpulled-absent", GetProcAddress(module, "helper_c") == NULL);
    return check_failures;
}
