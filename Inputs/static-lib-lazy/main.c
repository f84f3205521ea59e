/* Needs need_a (member chain_a), which in turn needs need_b (member chain_b). */
extern int need_a(int);
extern int lib_data_value;

__declspec(dllexport) int entry_point_fn(int x) { return need_a(x) + lib_data_value; }
