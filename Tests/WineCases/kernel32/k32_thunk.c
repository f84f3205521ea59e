/* Calls into kernel32 through plain declarations: direct calls to the import library's thunks
 * (on i386 _GetTickCount@0 and so on). */
unsigned long __stdcall GetCurrentProcessId(void);
unsigned long __stdcall GetTickCount(void);
int __stdcall lstrlenA(const char *text);
int __stdcall MulDiv(int number, int numerator, int denominator);

unsigned long k32_pid_thunk(void) { return GetCurrentProcessId(); }
unsigned long k32_tick_thunk(void) { return GetTickCount(); }
int k32_length_thunk(const char *text) { return lstrlenA(text); }
int k32_muldiv_thunk(int a, int b, int c) { return MulDiv(a, b, c); }
/* The thunk's address, inside this DLL. */
void *k32_tick_address_thunk(void) { return (void *)&GetTickCount; }
