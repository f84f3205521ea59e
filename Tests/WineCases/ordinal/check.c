/* Scenario "ordinal": exports reached by number; NONAME exports have no name. */
#include "check.h"

/* NONAME exports @9 and @12: the import library makes these imports by ordinal. */
__declspec(dllimport) int ordinal_second_secret(void);
__declspec(dllimport) int __stdcall ordinal_std(int a);

typedef int (__stdcall *stdcall1_fn)(int);

RUN_CHECKS {
    HMODULE module = check_load("ordinal-load", "wn_ordinal.dll");
    if (module == NULL) return check_failures;
    int_fn0 secret = (int_fn0)(void *)GetProcAddress(module, MAKEINTRESOURCEA(5));
    check_true("ordinal-found", secret != NULL);
    if (secret) check_int("ordinal-call", secret(), 555);
    check_true("ordinal-noname-hidden", GetProcAddress(module, "ordinal_secret") == NULL
                                            && GetProcAddress(module, "ordinal_std") == NULL
                                            && GetProcAddress(module, "_ordinal_std@4") == NULL);
    int_fn0 visible = (int_fn0)check_export("ordinal-named", module, "ordinal_visible");
    check_same("ordinal-named-number", (void *)GetProcAddress(module, MAKEINTRESOURCEA(3)), (void *)visible);
    if (visible) check_int("ordinal-named-call", visible(), 333);
    check_true("ordinal-gap-empty", GetProcAddress(module, MAKEINTRESOURCEA(4)) == NULL);
    check_true("ordinal-past-end-empty", GetProcAddress(module, MAKEINTRESOURCEA(13)) == NULL);
    check_int("ordinal-implib-call", ordinal_second_secret(), 777);
    check_same("ordinal-implib-address", (void *)ordinal_second_secret,
               (void *)GetProcAddress(module, MAKEINTRESOURCEA(9)));
    check_int("ordinal-implib-stdcall", ordinal_std(12), 900);
    stdcall1_fn std = (stdcall1_fn)(void *)GetProcAddress(module, MAKEINTRESOURCEA(12));
    check_same("ordinal-stdcall-address", (void *)std, (void *)ordinal_std);
    if (std) check_int("ordinal-stdcall-call", std(1), 889);
    return check_failures;
}
