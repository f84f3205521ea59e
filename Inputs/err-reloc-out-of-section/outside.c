/* get_limit's access to limit is a .text relocation; BUILD moves its VirtualAddress past
   the end of .text's raw data. */
int limit = 9;
__declspec(dllexport) int get_limit(void) { return limit; }
