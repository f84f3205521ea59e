/* GCC -fcommon: COMMON symbols; the aligned one gets a -aligncomm:NAME,LOG2 directive. */
int big __attribute__((aligned(64)));
int small_one;
int table[3] __attribute__((aligned(256)));
int get(void) { return big + small_one + table[1]; }
