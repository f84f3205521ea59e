/* DllMain is stdcall: its symbol is _DllMain@12. /entry:DllMain gets the x86 underscore
   (_DllMain) and, that being undefined, resolves to _DllMain@12. */
typedef int BOOL;
typedef void *HINSTANCE;
typedef unsigned long DWORD;

static int attached;
__declspec(dllexport) int get_attached(void) { return attached; }
BOOL __stdcall DllMain(HINSTANCE instance, DWORD reason, void *reserved) { attached += (int)reason; return 1; }
