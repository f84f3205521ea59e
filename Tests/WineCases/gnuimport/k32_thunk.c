/* Calls into kernel32 through plain declarations: direct calls to the import library's thunks. */
unsigned long GetCurrentProcessId(void);
unsigned long GetTickCount(void);
int lstrlenA(const char *text);

unsigned long k32_pid_thunk(void) { return GetCurrentProcessId(); }
unsigned long k32_tick_thunk(void) { return GetTickCount(); }
int k32_length_thunk(const char *text) { return lstrlenA(text); }
/* The thunk's address, inside this DLL. */
void *k32_tick_address_thunk(void) { return (void *)&GetTickCount; }
