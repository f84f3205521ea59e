/* Only zero-initialised data: .bss with no raw data in the file. */
static char scratch[1 << 20];          /* 1 MiB, file-local */
int big_table[65536];                  /* 256 KiB, exported as DATA */
__declspec(align(4096)) char page_aligned[8192];
static long long small_zero;

__declspec(dllexport) char *get_scratch(int i) { small_zero += i; return &scratch[i & 0xfffff]; }
__declspec(dllexport) char *get_page(void) { return page_aligned; }
