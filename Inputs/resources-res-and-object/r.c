__declspec(dllexport) int resource_user(void) { return 100; }
