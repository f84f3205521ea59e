/* Included by both translation units: each emits its own COMDAT copy. */
__declspec(selectany) int shared_table[4] = { 2, 3, 5, 7 };
__declspec(selectany) extern const char shared_label[] = "comdat-any";

__attribute__((noinline)) inline int twice(int x) { return x * 2 + shared_table[x & 3]; }
__forceinline int always_inlined(int x) { return x + 1; }

struct Counter {
    __attribute__((noinline)) static int bump(int v) { return v + 10; }   /* in-class definition: COMDAT */
};
