/* Without /entry or /noentry an x86 DLL's entry point is __DllMainCRTStartup@12: the CRT's
   stdcall _DllMainCRTStartup(HINSTANCE, DWORD, LPVOID). DllMain is defined too but is not
   the default entry. */
typedef int BOOL;
typedef void *HINSTANCE;
typedef unsigned long DWORD;

static int calls;
__declspec(dllexport) int get_calls(void) { return calls; }
BOOL __stdcall DllMain(HINSTANCE instance, DWORD reason, void *reserved) { return reason != 99; }
BOOL __stdcall _DllMainCRTStartup(HINSTANCE instance, DWORD reason, void *reserved)
{
    calls++;
    return DllMain(instance, reason, reserved);
}
