#include "shape.h"

/* Global, initialised data. */
struct shape shape_table[3] = {
    { SHAPE_SQUARE, { 0, 0 }, { 2, 2 }, "square" },
    { SHAPE_RECT, { 1, 1 }, { 3, 5 }, "rect" },
    { SHAPE_RECT, { -4, 2 }, { 7, 1 }, "wide" },
};

/* File-static data (S_LDATA32). */
static int area_calls;

/* A static function (S_LPROC32); noinline so it keeps its own line table. */
static __attribute__((noinline)) int width_of(const struct shape *s)
{
    int w = s->extent.x;
    if (w < 0)
        w = -w;
    return w;
}

int shape_area(const struct shape *s)
{
    area_calls++;
    int w = width_of(s);
    int h = s->extent.y;
    return w * h;
}
