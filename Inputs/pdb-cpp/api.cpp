#include "geometry.h"

namespace {
// Objects with vtables in static storage, in an anonymous namespace (internal linkage).
geo::Rect first(1, 3, 4);
geo::Square second(2, 5);
const geo::Shape *const all_shapes[] = { &first, &second };
}

static int calls;                          // file-static data

extern "C" __declspec(dllexport) int api_total(void)
{
    ++calls;
    geo::shape_count = 2;
    return geo::total_area(all_shapes, 2);
}

extern "C" __declspec(dllexport) long long api_total_wide(void)
{
    ++calls;
    return geo::total_area_wide(all_shapes, 2);
}

extern "C" __declspec(dllexport) int api_scaled(int value)
{
    // geo::scaled is inlined here: an inline call site with its own lines.
    return geo::scaled(value, 7) + calls;
}

extern "C" __declspec(dllexport) int api_perimeter(int which)
{
    return all_shapes[which & 1]->perimeter();
}
