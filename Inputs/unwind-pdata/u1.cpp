// Compiled with -funwind-tables: non-leaf functions get .pdata (ADDR32NB) and
// .xdata records; the inline function's records are ASSOCIATIVE COMDATs.
extern "C" int sink(int);

__attribute__((noinline)) inline int shared_inline(int x) { return sink(x) + sink(x + 1); }

extern "C" __declspec(dllexport) int unwind_one(int x)
{
    volatile int local[8];
    for (int i = 0; i < 8; ++i) local[i] = sink(i + x);
    return shared_inline(local[3]) + local[5];
}
