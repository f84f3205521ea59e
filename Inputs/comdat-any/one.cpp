#include "shared.h"
extern "C" __declspec(dllexport) int from_one(int x) { return twice(x) + Counter::bump(x) + always_inlined(x); }
extern "C" __declspec(dllexport) const char *label_one(void) { return shared_label; }
