int helper(int x);   /* in libbad.lib's member helper.obj, whose header is corrupted */
__declspec(dllexport) int use_helper(int x) { return helper(x) + 1; }
