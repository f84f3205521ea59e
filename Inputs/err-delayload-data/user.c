/* shared_counter is a DATA export: the program reads it through its IAT slot before any call
   could load the DLL, so it cannot be delay-loaded (link.exe: LNK1194). */
__declspec(dllimport) extern int shared_counter;
__declspec(dllimport) int one_imported(int);
int read_counter(void) { return shared_counter + one_imported(1); }
