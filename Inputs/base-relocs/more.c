/* A second object with pointers to symbols defined in ptrs.c. */
extern int values[3];
extern int (* const op_table[2])(int, int);
void *cross_refs[2] = { &values[0], (void *)&op_table };
__declspec(dllexport) void **get_cross_refs(void) { return cross_refs; }
