#include "shape.h"

/* Global, zero-initialised data (.bss). */
int total_area;

/* File-static, initialised data. */
static const char *last_label = "none";

static __attribute__((noinline)) void remember(const struct shape *s)
{
    last_label = s->label;
}

/* The exported function. */
__declspec(dllexport) int sum_areas(int count)
{
    int sum = 0;
    for (int i = 0; i < count && i < 3; i++) {
        sum += shape_area(&shape_table[i]);
        remember(&shape_table[i]);
    }
    total_area = sum;
    return sum;
}

__declspec(dllexport) const char *last_shape(void)
{
    return last_label;
}
