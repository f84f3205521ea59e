/* Plain declarations: calls go to import thunks (jmp *[__imp_X], a DIR32 with a HIGHLOW base
   relocation in the thunk), made by the linker for symbols that come from import libraries. */
unsigned long GetTickCount(void);                /* _GetTickCount, NOPREFIX */
void __stdcall Sleep(unsigned long ms);          /* _Sleep@4, NAME */
int __fastcall FastCall(int a, int b);           /* @FastCall@8, NAME */
int ByOrdinal(int x);                            /* _ByOrdinal, by ordinal 5 */
int __stdcall prov_std(int a, int b);            /* _prov_std@8, UNDECORATE */

/* The address of an import without dllimport is its thunk's address. */
unsigned long (*tick_thunk)(void) = GetTickCount;

__declspec(dllexport) int use_thunks(int x)
{
    Sleep(x);
    return (int)GetTickCount() + FastCall(x, 2) + ByOrdinal(x) + prov_std(x, 1);
}
