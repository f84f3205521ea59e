/* The TLS support an i386 image without a CRT needs, defined the way MSVC's CRT does
 * (tlssup.c): _tls_index, the .tls template bounds (.tls first, .tls$ZZZ last, the
 * __declspec(thread) variables in .tls$ between), the .CRT$XLA/.CRT$XLZ bounds of the TLS
 * callback list, and _tls_used (symbol __tls_used), the directory the linker points the TLS
 * data directory at. __tls_array is the TEB offset of the thread's TLS slot array, an absolute
 * symbol clang's code for __declspec(thread) reads. */
typedef unsigned long DWORD;
typedef void (__stdcall *TLS_CALLBACK)(void *instance, DWORD reason, void *reserved);

unsigned long _tls_index = 0;

__attribute__((section(".tls"))) char _tls_start = 0;
__attribute__((section(".tls$ZZZ"))) char _tls_end = 0;

__attribute__((section(".CRT$XLA"))) TLS_CALLBACK __xl_a = 0;
__attribute__((section(".CRT$XLZ"))) TLS_CALLBACK __xl_z = 0;

typedef struct {
    DWORD StartAddressOfRawData, EndAddressOfRawData, AddressOfIndex, AddressOfCallBacks;
    DWORD SizeOfZeroFill, Characteristics;
} TLS_DIRECTORY32;

const TLS_DIRECTORY32 _tls_used = {
    (DWORD)&_tls_start, (DWORD)&_tls_end, (DWORD)&_tls_index, (DWORD)(&__xl_a + 1), 0, 0,
};

__asm__(".globl __tls_array\n\t.set __tls_array, 0x2c\n");
