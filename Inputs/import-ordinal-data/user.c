/* Imports by name, by ordinal (NONAME in the import library) and a DATA import. */
__declspec(dllimport) int named_import(int);
int by_ordinal(int);                 /* called through a thunk */
__declspec(dllimport) int shared_counter;

__declspec(dllexport) int use_other(int x)
{
    return named_import(x) + by_ordinal(x) + shared_counter;
}

__declspec(dllexport) int *counter_address(void) { return &shared_counter; }
