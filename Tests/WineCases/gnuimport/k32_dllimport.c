/* Calls into kernel32 through __declspec(dllimport): indirect calls via the import address table. */
__declspec(dllimport) unsigned long __stdcall GetCurrentProcessId(void);
__declspec(dllimport) unsigned long __stdcall GetTickCount(void);
__declspec(dllimport) int __stdcall lstrlenA(const char *text);

unsigned long k32_pid_dllimport(void) { return GetCurrentProcessId(); }
unsigned long k32_tick_dllimport(void) { return GetTickCount(); }
int k32_length_dllimport(const char *text) { return lstrlenA(text); }
/* The value loaded from the import address table: kernel32's own address. */
void *k32_tick_address_dllimport(void) { return (void *)&GetTickCount; }
