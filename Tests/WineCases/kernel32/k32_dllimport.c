/* Calls into kernel32 through __declspec(dllimport): indirect calls via the import address table
 * (on i386 through __imp__GetTickCount@0 and so on). */
__declspec(dllimport) unsigned long __stdcall GetCurrentProcessId(void);
__declspec(dllimport) unsigned long __stdcall GetTickCount(void);
__declspec(dllimport) int __stdcall lstrlenA(const char *text);
__declspec(dllimport) int __stdcall MulDiv(int number, int numerator, int denominator);

unsigned long k32_pid_dllimport(void) { return GetCurrentProcessId(); }
unsigned long k32_tick_dllimport(void) { return GetTickCount(); }
int k32_length_dllimport(const char *text) { return lstrlenA(text); }
int k32_muldiv_dllimport(int a, int b, int c) { return MulDiv(a, b, c); }
/* The value loaded from the import address table: kernel32's own address. */
void *k32_tick_address_dllimport(void) { return (void *)&GetTickCount; }
