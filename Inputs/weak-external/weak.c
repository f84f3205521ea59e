/* Weak definitions (COFF weak externals with a default) and a weak undefined reference. */
__attribute__((weak)) int tunable(void) { return 1; }      /* overridden by strong.c */
__attribute__((weak)) int keep_default(void) { return 2; } /* no override: default used */
__attribute__((weak)) int weak_data = 30;                  /* overridden by strong.c */

extern int optional_sym __attribute__((weak));             /* never defined */

__declspec(dllexport) int weak_sum(void) { return tunable() + keep_default() + weak_data; }
__declspec(dllexport) int *optional_address(void) { return &optional_sym; }
