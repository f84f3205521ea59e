/* Puts an option no linker knows into the .drectve section. */
#pragma comment(linker, "/frobnicate:yes")
__declspec(dllexport) int harmless(void) { return 1; }
