/* Tentative definitions compiled with -fcommon become COMMON symbols. */
int shared_buf[4];        /* smaller here, 256 bytes in b.c: largest wins */
long long big_first[32];  /* larger here than in b.c */
int small_common;
int mixed;                /* common here, strong definition in c.c */

__declspec(dllexport) int *get_shared_buf(void) { return shared_buf; }
__declspec(dllexport) long long *get_big_first(void) { return big_first; }
__declspec(dllexport) int get_mixed(void) { return mixed + small_common; }
