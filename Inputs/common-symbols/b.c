int shared_buf[64];
long long big_first[2];
int small_common;
__declspec(dllexport) int sum_b(void) { return shared_buf[63] + (int)big_first[1] + small_common; }
