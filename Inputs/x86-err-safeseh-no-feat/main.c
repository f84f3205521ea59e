/* clang's object: @feat.00 = 1 (SAFESEH-compatible). */
int plain_asm(void);
__declspec(dllexport) int call_asm(void) { return plain_asm() + 1; }
