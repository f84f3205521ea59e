int dup_def(void) { return 1; }
__declspec(dllexport) int use_a(void) { return dup_def(); }
