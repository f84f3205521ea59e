/* Compiled with -ffunction-sections -fdata-sections -funwind-tables (so there are associative
   .pdata/.xdata COMDATs) and converted to the /bigobj format by tobigobj.py. */
extern int regular_counter;                 /* defined in regular.c */
int regular_bump(int by);                   /* defined in regular.c */

int big_values[3] = { 10, 20, 30 };
int *big_pointers[2] = { &big_values[2], &regular_counter };   /* ADDR64: base relocations */
__declspec(selectany) int big_shared = 99;                     /* COMDAT ANY */

__declspec(dllexport) int big_sum(int x) {
    /* a call, so this function gets .pdata/.xdata (associative COMDATs) */
    return regular_bump(x) + *big_pointers[0] + *big_pointers[1] + big_shared;
}
__declspec(dllexport) int *big_table(void) { return big_values; }
