/* library_function is declared dllimport (called through
   __imp_library_function) but is defined in a member of libstatic.lib, which
   library_anchor, an ordinary reference, pulls in. The linker warns (LNK4217)
   and makes a pointer slot holding library_function's address. */
__declspec(dllimport) int library_function(void);
int library_anchor(void);

__declspec(dllexport) int use_library(void) { return library_anchor() + library_function(); }
