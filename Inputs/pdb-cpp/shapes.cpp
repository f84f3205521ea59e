#include "geometry.h"

namespace geo {

int shape_count = 0;                      // global data (S_GDATA32)
static int area_queries;                  // file-static data (S_LDATA32)

int Rect::area() const
{
    ++area_queries;
    return scaled(w_, h_);
}

int Rect::perimeter() const
{
    return 2 * (w_ + h_);
}

int Square::area() const
{
    ++area_queries;
    return scaled(w_, w_);
}

int total_area(const Shape *const *shapes, int count)
{
    Accumulator<int> sum;
    for (int i = 0; i < count; ++i)
        sum.add(shapes[i]->area());
    return sum.total();
}

long long total_area_wide(const Shape *const *shapes, int count)
{
    Accumulator<long long> sum;
    for (int i = 0; i < count; ++i)
        sum.add(scaled(shapes[i]->area(), 3));
    return sum.total();
}

} // namespace geo

// No C runtime: the pure-virtual slot of Shape's vtable refers to _purecall.
extern "C" int _purecall() { return 0; }
