// Included by comdat_a.cpp, comdat_b.cpp and comdat_c.cpp: each object gets its own COMDAT
// copy of these; the linker must keep exactly one of each.
inline int comdat_inline_value(int x) { return x * 3 + 1; }

inline int *comdat_inline_counter() {
    static int counter = 0;
    return &counter;
}

extern "C" {
__declspec(selectany) int comdat_selectany_datum = 2024;
}

typedef int (*comdat_value_fn)(int);

#define COMDAT_GETTERS(suffix)                                                                    \
    extern "C" void *comdat_inline_address_##suffix() {                                         \
        comdat_value_fn volatile f = comdat_inline_value;                                         \
        return (void *)f;                                                                         \
    }                                                                                             \
    extern "C" int comdat_inline_call_##suffix(int x) { return comdat_inline_value(x); }         \
    extern "C" int *comdat_datum_address_##suffix() { return &comdat_selectany_datum; }          \
    extern "C" int *comdat_counter_address_##suffix() { return comdat_inline_counter(); }        \
    extern "C" int comdat_bump_##suffix() { return ++comdat_selectany_datum; }
