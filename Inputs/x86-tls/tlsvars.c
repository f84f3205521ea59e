/* Thread-local variables. x86 code reads the TLS slot array at fs:[__tls_array] (an absolute
   symbol, DIR32 without base relocation), indexes it with _tls_index (DIR32) and adds each
   variable's SECREL offset within the image's .tls section. */
__declspec(thread) int tls_counter = 7;
__declspec(thread) char tls_buffer[16] = "per-thread";
__declspec(thread) int tls_zeroed;

__declspec(dllexport) int tls_bump(void) { tls_zeroed += 1; return ++tls_counter + tls_buffer[0] + tls_zeroed; }
