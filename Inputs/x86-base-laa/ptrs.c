/* Pointers (DIR32, HIGHLOW base relocations) in an image based above 2 GiB. */
int counter = 1;
const int limits[2] = { 100, 200 };
int add_one(int x) { return x + 1; }

int *counter_ptr = &counter;
const int *limit_ptr = &limits[1];
int (*fn_ptr)(int) = add_one;

__declspec(dllexport) int read_all(void) { return *counter_ptr + *limit_ptr + fn_ptr(counter); }
__declspec(dllexport) void *where(void) { return &counter; }
