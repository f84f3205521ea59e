int dup_comdat(int x) { return x + 2; }
__declspec(dllexport) int api_b(int x) { return dup_comdat(x) * 2; }
