/* Three weak externals, each with a default in this object and a strong definition in
   libstrong.lib. clang writes every weak external with search kind ALIAS (3); BUILD patches
   the auxiliary record of lib_provided to LIBRARY (2) and of nolib_provided to NOLIBRARY (1). */
int lib_fallback(void) { return 1; }
int lib_provided(void) __attribute__((weak, alias("lib_fallback")));      /* -> LIBRARY */
int nolib_fallback(void) { return 2; }
int nolib_provided(void) __attribute__((weak, alias("nolib_fallback")));  /* -> NOLIBRARY */
int alias_fallback(void) { return 3; }
int alias_provided(void) __attribute__((weak, alias("alias_fallback")));  /* stays ALIAS */

__declspec(dllexport) int call_all(void) { return lib_provided() * 100 + nolib_provided() * 10 + alias_provided(); }
