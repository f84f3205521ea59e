/* wn_tls.dll: __declspec(thread) variables (reached through _tls_index and the TEB's TLS
 * array) and a TLS callback in .CRT$XLB, with ../common/tlssup.c. Loaded with LoadLibrary. */
typedef unsigned long DWORD;

__declspec(thread) int tls_value = 5;
__declspec(thread) int tls_zero;
__declspec(thread) const char *tls_text = "thread-text";

static volatile unsigned callback_reasons;
static void *callback_instance;

static void __stdcall tls_callback(void *instance, DWORD reason, void *reserved) {
    (void)reserved;
    callback_reasons |= 1u << reason;
    if (reason == 1) callback_instance = instance;
}

__attribute__((section(".CRT$XLB"), used)) void (__stdcall *const tls_callback_pointer)(void *, DWORD, void *) = tls_callback;

int tls_get(void) { return tls_value; }
void tls_set(int value) { tls_value = value; }
int *tls_address(void) { return &tls_value; }
int tls_get_zero(void) { return tls_zero; }
const char *tls_get_text(void) { return tls_text; }
unsigned tls_callback_reasons(void) { return callback_reasons; }
void *tls_callback_instance(void) { return callback_instance; }
