__declspec(dllimport) unsigned GetTickCount(void);
unsigned GetCurrentProcessId(void);
__declspec(dllimport) int lstrlenA(const char*);
__declspec(dllexport) unsigned f(void) { return GetTickCount() + GetCurrentProcessId() + lstrlenA("abc"); }
