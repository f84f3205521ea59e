/* Compiled with -ffunction-sections: each function in its own COMDAT section, which /order can place. */
__declspec(dllexport) int alpha(int x) { return x + 1; }
__declspec(dllexport) int beta(int x) { return x * 2; }
__declspec(dllexport) int gamma_(int x) { return x - 3; }
__declspec(dllexport) int delta(int x) { return x ^ 4; }
