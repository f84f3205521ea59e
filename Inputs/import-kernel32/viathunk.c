/* Plain declarations: calls bind to the import thunks (jmp *__imp_X). */
void __stdcall Sleep(unsigned long ms);
unsigned long __stdcall GetCurrentProcessId(void);
unsigned long __stdcall GetTickCount(void);

__declspec(dllexport) unsigned long nap_and_pid(unsigned long ms)
{
    Sleep(ms);
    return GetCurrentProcessId() ^ GetTickCount();
}
