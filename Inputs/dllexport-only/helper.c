int internal_helper(int x) { return x * x; }
__declspec(dllexport) int helper_exported(int x) { return internal_helper(x) + 1; }
