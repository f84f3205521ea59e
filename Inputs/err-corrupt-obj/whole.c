int some_data[4] = { 1, 2, 3, 4 };
__declspec(dllexport) int some_function(int x) { return x + some_data[x & 3]; }
int another_function(void) { return 7; }
