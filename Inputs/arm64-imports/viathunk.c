/* Plain declarations: bl to the import thunks (adrp x16 / ldr x16 / br x16). */
void __stdcall Sleep(unsigned long ms);
unsigned long __stdcall GetCurrentProcessId(void);
unsigned long __stdcall GetTickCount(void);
int named_import(int);
int by_ordinal(int);

__declspec(dllexport) unsigned long nap_and_pid(unsigned long ms)
{
    Sleep(ms);
    return GetCurrentProcessId() ^ GetTickCount() ^ named_import(1) ^ by_ordinal(2);
}

/* A tail call through a thunk (b, not bl). */
__declspec(dllexport) int tail_to_import(int x) { return named_import(x); }

/* The thunk's address taken in code and in data. */
__declspec(dllexport) void *sleep_address(void) { return (void *)&Sleep; }
void (__stdcall *const sleep_pointer)(unsigned long) = Sleep;
