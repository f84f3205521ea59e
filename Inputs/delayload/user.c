/* Calls into two delay-loaded DLLs (one.dll, two.dll) and one loaded at startup (kernel32.dll). */
int one_plain(int);                          /* through an import thunk: jmp [delay IAT slot] */
__declspec(dllimport) int one_imported(int); /* straight through the delay IAT slot */
__declspec(dllimport) int one_by_ordinal(int);
int two_plain(void);
__declspec(dllimport) unsigned long __stdcall GetTickCount(void);

__declspec(dllexport) int use_all(int x) {
    return one_plain(x) + one_imported(x) + one_by_ordinal(x) + two_plain() + (int)GetTickCount();
}

/* Taking the address gives the thunk's, which the delay IAT slot starts with too. */
__declspec(dllexport) int (*address_of_one_plain(void))(int) { return one_plain; }
