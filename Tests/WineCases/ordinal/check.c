/* Scenario "ordinal": exports reached by number; NONAME exports have no name. */
#include "check.h"

/* NONAME export @9: the import library makes this an import by ordinal. */
__declspec(dllimport) int ordinal_second_secret(void);

RUN_CHECKS {
    HMODULE module = check_load("ordinal-load", "wn_ordinal.dll");
    if (module == NULL) return check_failures;
    int_fn0 secret = (int_fn0)(void *)GetProcAddress(module, MAKEINTRESOURCEA(5));
    check_true("ordinal-found", secret != NULL);
    if (secret) check_int("ordinal-call", secret(), 555);
    check_true("ordinal-noname-hidden", GetProcAddress(module, "ordinal_secret") == NULL);
    int_fn0 visible = (int_fn0)check_export("ordinal-named", module, "ordinal_visible");
    check_same("ordinal-named-number", (void *)GetProcAddress(module, MAKEINTRESOURCEA(3)), (void *)visible);
    if (visible) check_int("ordinal-named-call", visible(), 333);
    check_true("ordinal-gap-empty", GetProcAddress(module, MAKEINTRESOURCEA(4)) == NULL);
    check_true("ordinal-past-end-empty", GetProcAddress(module, MAKEINTRESOURCEA(10)) == NULL);
    check_int("ordinal-implib-call", ordinal_second_secret(), 777);
    check_same("ordinal-implib-address", (void *)ordinal_second_secret,
               (void *)GetProcAddress(module, MAKEINTRESOURCEA(9)));
    return check_failures;
}
