/* A regular (non-bigobj) object linked together with big.obj. */
extern int big_values[3];                   /* defined in big.c */
int big_sum(int x);

int regular_counter = 5;
int *regular_pointer = &big_values[1];      /* ADDR64 into the bigobj's data */

__declspec(dllexport) int regular_bump(int by) { regular_counter += by; return regular_counter; }
__declspec(dllexport) int regular_calls_big(int x) { return big_sum(x) + *regular_pointer; }
