/* Read-only data that /merge:.rdata=.text folds into the code section. */
static const int primes[6] = { 2, 3, 5, 7, 11, 13 };
const char banner[] = "merged into .text";
int writable = 1;

__declspec(dllexport) int prime_at(int i) { return primes[i % 6] + writable; }
__declspec(dllexport) const char *get_banner(void) { return banner; }
