/* A custom section declared with #pragma section, and /section: overrides. */
#pragma section(".shared", read, write)
__declspec(allocate(".shared")) int shared_between_processes = 1;
#pragma section(".tbl", read)
__declspec(allocate(".tbl")) const int table[4] = { 1, 2, 4, 8 };

int plain_data = 2;

__declspec(dllexport) int read_all(void) { return shared_between_processes + table[2] + plain_data; }
