// A DLL built with -ffunction-sections -fdata-sections and linked with --gc-sections --icf=all
// (MinGWTests): unused functions and data go, identical functions fold, and what stays works.
#include <stdio.h>

static int counter;
__attribute__((constructor)) static void start(void) { counter = 40; }

__attribute__((noinline)) int twice_a(int x) { return 2 * x + 1; }
__attribute__((noinline)) int twice_b(int x) { return 2 * x + 1; }
__attribute__((noinline)) int unused_function(int x) { return x * 1234567 + counter; }
const char unused_table[256] = "nothing refers to this";
const int lookup[4] = {3, 1, 4, 1};

__declspec(dllexport) int gc_value(int x) { return twice_a(x) + twice_b(x) + lookup[x & 3] + counter; }
__declspec(dllexport) int gc_same(void) { return twice_a(20) == twice_b(20); }
__declspec(dllexport) const char *gc_format(int x) {
    static char text[32];
    snprintf(text, sizeof text, "value=%d", gc_value(x));
    return text;
}
