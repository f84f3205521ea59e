/* Absolute (ADDR64) pointers in .data and .rdata: each needs a DIR64 base relocation. */
static int value_a = 1;
static int value_b = 2;
int values[3] = { 10, 20, 30 };

static int op_add(int x, int y) { return x + y; }
static int op_mul(int x, int y) { return x * y; }

/* .rdata: const table of function pointers */
int (* const op_table[2])(int, int) = { op_add, op_mul };

/* .rdata: const pointers to data, including an interior pointer */
int * const data_ptrs[3] = { &value_a, &value_b, &values[2] };

/* .data: writable pointers to functions, data and a string literal */
int (*current_op)(int, int) = op_mul;
int *current_value = &values[1];
const char *greeting = "hello";

/* A pointer to another pointer table, spanning sections. */
int (* const *table_ref)(int, int) = &op_table[1];

__declspec(dllexport) int apply(int i, int x, int y) { return op_table[i & 1](x, y) + *data_ptrs[i % 3]; }
__declspec(dllexport) int apply_current(int x) { return current_op(x, *current_value) + (*table_ref)(x, 1) + greeting[0]; }
