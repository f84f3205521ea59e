int from_thin_library(int);
__declspec(dllexport) int use_thin(void) { return from_thin_library(2); }
