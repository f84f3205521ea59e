__declspec(dllexport) int main_fn(void) { return 1; }
