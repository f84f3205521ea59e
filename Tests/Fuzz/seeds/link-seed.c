/* Seed for the whole-link fuzz target: defines what its fixed .def exports, and uses the
   features whose handling a mutated copy should reach: data with absolute and relative
   relocations, a COMDAT function, a thread-local, an import from kernel32, unwind data. */
__declspec(dllimport) void __stdcall Sleep(unsigned long);
int fuzz_data[8] = { 1, 2, 3, 4 };
int *fuzz_pointer = &fuzz_data[2];
static const char *names[] = { "one", "two", "three" };
__declspec(thread) int fuzz_tls = 5;
__declspec(selectany) int fuzz_selectany = 9;
inline int fuzz_inline(int x) { return x * 3; }

int fuzz_other(int x) { return names[x & 1][0] + fuzz_inline(x) + fuzz_selectany; }

int fuzz_function(int x) {
    if (x < 0) Sleep(0);
    return fuzz_other(x) + *fuzz_pointer + fuzz_tls;
}
