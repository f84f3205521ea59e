/* Thread-local variables; on ARM64 reached through x18 (the TEB), ThreadLocalStoragePointer,
   _tls_index and :secrel_hi12:/:secrel_lo12: offsets into the .tls section. */
__declspec(thread) int tls_counter = 7;
__declspec(thread) char tls_buffer[5000] = "per-thread";
__declspec(thread) long long tls_wide = 0x1122334455667788;
__declspec(thread) int tls_zeroed;

__declspec(dllexport) int tls_bump(void) {
    tls_zeroed += 1;
    return ++tls_counter + tls_buffer[0] + tls_zeroed + (int)tls_wide;
}
__declspec(dllexport) char *tls_far(int i) { return &tls_buffer[4000 + i]; }
