__declspec(dllexport) int answer(void) { return 42; }
