#pragma comment(lib, "nosuchlib")
__declspec(dllexport) int needs_nothing(void) { return 1; }
