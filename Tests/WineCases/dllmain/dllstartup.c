/* wn_dllstartup.dll: linked without /entry and without /noentry, so the entry point is the
 * linker's default for a DLL, _DllMainCRTStartup (on i386 the stdcall symbol
 * __DllMainCRTStartup@12), defined here the way a CRT would. */
static unsigned reasons_seen;
static void *startup_instance;

int __stdcall _DllMainCRTStartup(void *instance, unsigned reason, void *reserved) {
    (void)reserved;
    reasons_seen |= 1u << reason;
    if (reason == 1) startup_instance = instance;
    return 1;
}

__declspec(dllexport) unsigned startup_reasons(void) { return reasons_seen; }
__declspec(dllexport) void *startup_instance_seen(void) { return startup_instance; }
