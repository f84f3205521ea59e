// Identical functions for /opt:icf; see NOTES.
int g;
__declspec(noinline) int leaf1(int x) { return x * 3 + 1; }
__declspec(noinline) int leaf2(int x) { return x * 3 + 1; }
__declspec(noinline) int mid1(int x) { return leaf1(x) + 5; }
__declspec(noinline) int mid2(int x) { return leaf2(x) + 5; }
__declspec(noinline) int top1(int x) { return mid1(x) * 2; }
__declspec(noinline) int top2(int x) { return mid2(x) * 2; }
__declspec(noinline) int other(int x) { return x * 3 + 2; }
__declspec(noinline) void sink(volatile int *p) { p[0]++; }
// Functions with a frame have unwind data (.pdata, .xdata), which folds with them.
__declspec(noinline) int frame1(int x) { volatile int a[8]; for (int i = 0; i < 8; i++) a[i] = x + i; sink(a); return a[3]; }
__declspec(noinline) int frame2(int x) { volatile int a[8]; for (int i = 0; i < 8; i++) a[i] = x + i; sink(a); return a[3]; }
static const int table1[4] = {1, 2, 3, 4};
static const int table2[4] = {1, 2, 3, 4};
const int *get1(void) { return table1; }
const int *get2(void) { return table2; }
int (*taken)(int) = leaf1;
__declspec(dllexport) int api(int x) {
    return top1(x) + top2(x) + other(x) + get1()[x & 3] + get2()[x & 3] + taken(x) + frame1(x) + frame2(x);
}
__declspec(dllexport) int api2(int x) { return top2(x); }
