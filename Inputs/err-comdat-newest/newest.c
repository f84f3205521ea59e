/* Compiled to a COMDAT section with selection ANY (2); BUILD patches the selection to 7 (NEWEST). */
__declspec(selectany) int versioned_table[4] = { 1, 2, 3, 4 };
__declspec(dllexport) int *get_versioned_table(void) { return versioned_table; }
