/* No /noentry and no /entry: the default DLL entry _DllMainCRTStartup is required but absent. */
__declspec(dllexport) int lonely(void) { return 1; }
