/* Calls through __declspec(dllimport): references __imp_GetTickCount etc. */
__declspec(dllimport) unsigned long __stdcall GetTickCount(void);
__declspec(dllimport) unsigned long __stdcall GetLastError(void);

__declspec(dllexport) unsigned long ticks_plus_error(void)
{
    return GetTickCount() + GetLastError();
}

/* Take the import's address: the IAT slot itself is used as data. */
__declspec(dllexport) void *tick_func_address(void)
{
    return (void *)&GetTickCount;
}
