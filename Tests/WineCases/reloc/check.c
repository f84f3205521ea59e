/* Scenario "reloc": DLLs loaded away from their preferred base. */
#include "check.h"

/* The /base: of wn_relocA.dll and wn_relocB.dll, and the EXE's (mingw gcc's default), that of wn_relocC.dll. */
#ifdef __i386__
#define SHARED_BASE ((HMODULE)0x10000000)
#define EXE_BASE ((HMODULE)0x00400000)
#else
#define SHARED_BASE ((HMODULE)(ULONG_PTR)0x180000000ULL)
#define EXE_BASE ((HMODULE)(ULONG_PTR)0x140000000ULL)
#endif

typedef void *(*entry_fn)(int);
typedef int *(*pointer_fn)(void);
typedef const char *(*name_fn)(int);
typedef char *(*buffer_fn)(void);

static void check_image(const char *tag, HMODULE module) {
    char label[64];
#define LABEL(suffix) (snprintf(label, sizeof label, "reloc-%s-%s", tag, suffix), label)
    int_fn1 call = (int_fn1)check_export(LABEL("exports"), module, "reloc_call");
    entry_fn entry = (entry_fn)check_export(LABEL("exports"), module, "reloc_table_entry");
    pointer_fn get_p = (pointer_fn)check_export(LABEL("exports"), module, "reloc_get_p");
    name_fn name = (name_fn)check_export(LABEL("exports"), module, "reloc_name");
    buffer_fn buffer = (buffer_fn)check_export(LABEL("exports"), module, "reloc_buffer");
    int_fn0 chain = (int_fn0)check_export(LABEL("exports"), module, "reloc_chain_sum");
    void *f3 = check_export(LABEL("exports"), module, "reloc_f3");
    int *x = (int *)check_export(LABEL("exports"), module, "reloc_x");
    int **p_y = (int **)check_export(LABEL("exports"), module, "reloc_p_y");
    char **middle = (char **)check_export(LABEL("exports"), module, "reloc_middle");
    char **end = (char **)check_export(LABEL("exports"), module, "reloc_end");
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
    if (buffer && middle && end) {
        check_int(LABEL("interior-pointer"), (int)(*middle - buffer()), 10);
        check_int(LABEL("end-pointer"), (int)(*end - buffer()), 16);
        check_int(LABEL("interior-value"), **middle, 'a');
    }
    if (chain) check_int(LABEL("chain"), chain(), 60);
#undef LABEL
}

RUN_CHECKS {
    HMODULE a = check_load("reloc-load", "wn_relocA.dll");
    HMODULE b = check_load("reloc-load", "wn_relocB.dll");
    HMODULE c = check_load("reloc-load", "wn_relocC.dll");
    if (a == NULL || b == NULL || c == NULL) return check_failures;
    check_true("reloc-distinct", a != b);
    check_true("reloc-relocated", a != SHARED_BASE || b != SHARED_BASE);
    check_true("reloc-c-relocated", c != EXE_BASE && GetModuleHandleA(NULL) == EXE_BASE);
    check_image("a", a);
    check_image("b", b);
    check_image("c", c);
    return check_failures;
}
