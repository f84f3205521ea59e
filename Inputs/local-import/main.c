/* local_function is declared dllimport, so the compiler calls it through
   __imp_local_function, yet other.obj defines it. The linker warns (LNK4217)
   and makes a pointer slot holding local_function's address. */
__declspec(dllimport) int local_function(void);

/* A data pointer to the import slot itself. */
extern int (*__imp_local_function)(void);
__declspec(dllexport) int (**slot_pointer)(void) = &__imp_local_function;

__declspec(dllexport) int use_local(void) { return local_function() + 1; }
