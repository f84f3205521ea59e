/* Pointers in .data and .rdata (IMAGE_REL_I386_DIR32, each one a HIGHLOW base relocation)
   and code that loads and stores globals by absolute address (DIR32 in .text, also HIGHLOW). */
int counter = 1;
int table[4] = { 10, 20, 30, 40 };
int scratch;                                   /* .bss */

__attribute__((noinline)) static int helper(int x) { return x * 3; }
int add_one(int x) { return x + 1; }

int *counter_ptr = &counter;
int *table_third = &table[2];                  /* interior offset: addend 8 in the field */
char *before_table = (char *)table - 4;        /* negative addend: 0xFFFFFFFC in the field */
int *scratch_ptr = &scratch;                   /* pointer into .bss */
int (*fn_ptrs[2])(int) = { add_one, helper };  /* a static function too */
const char *greeting = "hello";                /* string literal in .rdata */
int (*const ro_fn)(int) = add_one;             /* const pointer: DIR32 in .rdata */

__declspec(dllexport) int read_counter(void) { scratch = counter; return counter + table[3]; }
__declspec(dllexport) int call_through(int i, int x) { return fn_ptrs[i](x) + ro_fn(x); }
