/* Compiled with -ffunction-sections: each function a COMDAT. kept() is exported; helper() is
   called by it; unused() and only_user() are referenced by nothing kept, so /opt:ref drops them,
   and with them the import of UnusedImport, which only only_user() calls. */
__declspec(dllimport) int UsedImport(int);
__declspec(dllimport) int UnusedImport(int);
int helper(int x) { return UsedImport(x) + 1; }
__declspec(dllexport) int kept(int x) { return helper(x) * 2; }
int unused(int x) { return x - 1; }
int only_user(int x) { return UnusedImport(x); }
