/* Nothing here references the library; members come in only through /include:. */
#pragma comment(linker, "/include:pragma_forced")
__declspec(dllexport) int main_api(void) { return 5; }
