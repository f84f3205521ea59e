/* The .drectve asks for dup_fn at ordinal 3; the .def asks for it at ordinal 5. */
#pragma comment(linker, "/export:dup_fn,@3")
int dup_fn(int x) { return x + 3; }
/* Exported by both the .def and dllexport, with no ordinal conflict. */
__declspec(dllexport) int both_ways(int x) { return x + 4; }
int other_fn(int x) { return x + 5; }
/* Exported by /export:cmd_vs_def,@8 on the command line and at @9 by the .def. */
int cmd_vs_def(int x) { return x + 6; }
