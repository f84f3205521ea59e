/* __declspec(dllexport) under each x86 calling convention: clang writes the decorated symbol
   into .drectve (/EXPORT:_cdecl_f, /EXPORT:"_std_f@8", /EXPORT:"@fast_f@8",
   /EXPORT:"vec_f@@8", /EXPORT:_data_v,DATA). */
__declspec(dllexport) int cdecl_f(int a, int b) { return a + b; }
__declspec(dllexport) int __stdcall std_f(int a, int b) { return a - b; }
__declspec(dllexport) int __stdcall std_noargs(void) { return 9; }
__declspec(dllexport) int __fastcall fast_f(int a, int b) { return a * b; }
__declspec(dllexport) int __vectorcall vec_f(int a, int b) { return a ^ b; }
__declspec(dllexport) int data_v = 5;
