/* Calls through __declspec(dllimport): adrp/ldr of __imp_X, then blr. */
__declspec(dllimport) unsigned long __stdcall GetTickCount(void);
__declspec(dllimport) unsigned long __stdcall GetLastError(void);
__declspec(dllimport) int by_ordinal(int);
__declspec(dllimport) extern int shared_counter;

__declspec(dllexport) unsigned long ticks_plus_error(void)
{
    return GetTickCount() + GetLastError() + by_ordinal(3) + shared_counter;
}

/* The import's address: the value loaded from its IAT slot. */
__declspec(dllexport) void *tick_func_address(void)
{
    return (void *)&GetTickCount;
}

/* A pointer to the IAT slot itself, in data (ADDR64 against __imp_X: DIR64 base relocation). */
extern void *__imp_GetLastError;
void **const error_slot = &__imp_GetLastError;
