/* Thread-local variables; accessed through _tls_index and the TEB (gs:[0x58]). */
__declspec(thread) int tls_counter = 7;
__declspec(thread) char tls_buffer[16] = "per-thread";
__declspec(thread) int tls_zeroed;

__declspec(dllexport) int tls_bump(void) { tls_zeroed += 1; return ++tls_counter + tls_buffer[0] + tls_zeroed; }
