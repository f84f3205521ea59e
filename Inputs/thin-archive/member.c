__declspec(dllexport) int from_thin_library(int x) { return x + 40; }
