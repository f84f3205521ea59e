/* Scenario "comdat": inline functions and selectany data defined in several objects, kept once. */
#include "check.h"

__declspec(dllimport) extern int comdat_selectany_datum;
__declspec(dllimport) void *comdat_inline_address_a(void);
__declspec(dllimport) void *comdat_inline_address_b(void);
__declspec(dllimport) void *comdat_inline_address_c(void);
__declspec(dllimport) int comdat_inline_call_a(int x);
__declspec(dllimport) int *comdat_datum_address_a(void);
__declspec(dllimport) int *comdat_datum_address_b(void);
__declspec(dllimport) int *comdat_datum_address_c(void);
__declspec(dllimport) int *comdat_counter_address_a(void);
__declspec(dllimport) int *comdat_counter_address_b(void);
__declspec(dllimport) int *comdat_counter_address_c(void);
__declspec(dllimport) int comdat_bump_a(void);
__declspec(dllimport) int comdat_bump_b(void);

RUN_CHECKS {
    void *inline_a = comdat_inline_address_a();
    check_same("comdat-inline-one-copy-ab", comdat_inline_address_b(), inline_a);
    check_same("comdat-inline-one-copy-ac", comdat_inline_address_c(), inline_a);
    if (inline_a) check_int("comdat-inline-call", ((int_fn1)inline_a)(5), 16);
    check_int("comdat-inline-inlined-call", comdat_inline_call_a(7), 22);
    int *datum = comdat_datum_address_a();
    check_same("comdat-selectany-one-copy-ab", (void *)comdat_datum_address_b(), (void *)datum);
    check_same("comdat-selectany-one-copy-ac", (void *)comdat_datum_address_c(), (void *)datum);
    check_same("comdat-selectany-exported", (void *)&comdat_selectany_datum, (void *)datum);
    check_int("comdat-selectany-value", comdat_selectany_datum, 2024);
    comdat_bump_a();
    check_int("comdat-selectany-shared", comdat_bump_b(), 2026);
    check_same("comdat-static-local-one-copy-ab", (void *)comdat_counter_address_b(), (void *)comdat_counter_address_a());
    check_same("comdat-static-local-one-copy-ac", (void *)comdat_counter_address_c(), (void *)comdat_counter_address_a());
    return check_failures;
}
