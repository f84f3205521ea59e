/* A second object whose pointers refer to the first one's symbols. */
extern int counter;
extern int table[4];
extern int *counter_ptr;
int add_one(int x);

int **ptr_to_ptr = &counter_ptr;   /* a pointer to a pointer that is itself relocated */
int *table_end = table + 4;        /* one past the end: addend 16 */
int (*more_fn)(int) = add_one;
static const int *const local_ro = &counter;

__declspec(dllexport) int *get_table_end(void) { return table_end + (local_ro == 0); }
