/* Nothing references this member: it must not be linked in.
   If it were, its dllexport would add an export. */
__declspec(dllexport) int unused_fn(int x) { return x - 100; }
int unused_data[16] = { 1 };
