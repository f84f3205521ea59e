extern int missing_func(int);
__declspec(dllexport) int from_a(int x) { return missing_func(x) + 1; }
