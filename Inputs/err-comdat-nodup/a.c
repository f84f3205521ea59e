/* With -ffunction-sections every function gets its own COMDAT section with
   selection NODUPLICATES; defining it in two objects is an error. */
int dup_comdat(int x) { return x + 1; }
__declspec(dllexport) int api_a(int x) { return dup_comdat(x); }
