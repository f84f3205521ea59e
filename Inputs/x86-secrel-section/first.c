/* Contributes to .text, .data, .rdata and .bss ahead of table.c, so that table.c's targets
   are not at the start of their output sections. */
int first_data[3] = { 1, 2, 3 };
const int first_const[5] = { 4, 5, 6, 7, 8 };
int first_zero[6];
__declspec(dllexport) int first_code(int x) { return x + first_data[x & 1] + first_const[x & 3] + first_zero[x & 3]; }
