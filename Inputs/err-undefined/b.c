extern int missing_func(int);
__declspec(dllexport) int from_b(int x) { return missing_func(x) * 2; }
