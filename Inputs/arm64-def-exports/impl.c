int arm_add(int a, int b) { return a + b; }
int arm_sub(int a, int b) { return a - b; }
int arm_mul(int a, int b) { return a * b; }
int arm_hidden(void) { return 42; }
int arm_counter = 3;
int (*const arm_table[3])(int, int) = { arm_add, arm_sub, arm_mul };
int arm_last(int i) { return arm_table[i % 3](i, arm_counter); }
