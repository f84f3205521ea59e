#include "shared.h"
extern "C" __declspec(dllexport) int from_two(int x) { return twice(x + 1) - Counter::bump(x); }
extern "C" __declspec(dllexport) int *table_two(void) { return shared_table; }
