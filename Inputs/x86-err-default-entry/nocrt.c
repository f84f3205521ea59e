/* Only DllMain (_DllMain@12) and no _DllMainCRTStartup: the default x86 DLL entry point
   __DllMainCRTStartup@12 stays undefined. */
typedef int BOOL;
typedef void *HINSTANCE;
typedef unsigned long DWORD;

__declspec(dllexport) int answer(void) { return 42; }
BOOL __stdcall DllMain(HINSTANCE instance, DWORD reason, void *reserved) { return 1; }
