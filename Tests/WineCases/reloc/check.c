/* Scenario "reloc": two DLLs with the same preferred base loaded together. */
#include "check.h"

#define PREFERRED_BASE ((HMODULE)(ULONG_PTR)0x180000000ULL)

typedef void *(*entry_fn)(int);
typedef int *(*pointer_fn)(void);
typedef const char *(*name_fn)(int);

static void check_image(const char *tag, HMODULE module) {
    char label[64];
#define LABEL(suffix) (snprintf(label, sizeof label, "reloc-%s-%s", tag, suffix), label)
    int_fn1 call = (int_fn1)check_export(LABEL("exports"), module, "reloc_call");
    entry_fn entry = (entry_fn)check_export(LABEL("exports"), module, "reloc_table_entry");
    pointer_fn get_p = (pointer_fn)check_export(LABEL("exports"), module, "reloc_get_p");
    name_fn name = (name_fn)check_export(LABEL("exports"), module, "reloc_name");
    int_fn0 chain = (int_fn0)check_export(LABEL("exports"), module, "reloc_chain_sum");
    void *f3 = check_export(LABEL("exports"), module, "reloc_f3");
    int *x = (int *)check_export(LABEL("exports"), module, "reloc_x");
    int **p_y = (int **)check_export(LABEL("exports"), module, "reloc_p_y");
    if (call) {
        check_int(LABEL("table-call0"), call(0), 11);
        check_int(LABEL("table-call1"), call(1), 22);
        check_int(LABEL("table-call2"), call(2), 33);
    }
    if (entry) {
        check_same(LABEL("table-entry-address"), entry(2), f3);
        check_true(LABEL("table-entry-inside"), check_inside_image(module, entry(0)) && check_inside_image(module, entry(1)));
    }
    if (get_p) {
        check_same(LABEL("data-pointer"), (void *)get_p(), (void *)x);
        if (x) check_int(LABEL("data-pointer-value"), *get_p(), 99);
    }
    if (p_y) {
        check_true(LABEL("exported-pointer-inside"), check_inside_image(module, *p_y));
        check_int(LABEL("exported-pointer-value"), **p_y, 3);
    }
    if (name) {
        check_text(LABEL("string0"), name(0), "alpha");
        check_text(LABEL("string1"), name(1), "beta");
    }
    if (chain) check_int(LABEL("chain"), chain(), 60);
#undef LABEL
}

RUN_CHECKS {
    HMODULE a = check_load("reloc-load", "wn_relocA.dll");
    HMODULE b = check_load("reloc-load", "wn_relocB.dll");
    if (a == NULL || b == NULL) return check_failures;
    check_true("reloc-distinct", a != b);
    check_true("reloc-relocated", a != PREFERRED_BASE || b != PREFERRED_BASE);
    check_image("a", a);
    check_image("b", b);
    return check_failures;
}
