/* Minimal stand-in for the CRT's TLS support: _tls_index, the .tls bracket
   symbols, an empty callback list and the _tls_used directory. */
typedef void (*tls_callback)(void *, unsigned long, void *);

typedef struct {
    void *StartAddressOfRawData;
    void *EndAddressOfRawData;
    unsigned int *AddressOfIndex;
    tls_callback *AddressOfCallBacks;
    unsigned int SizeOfZeroFill;
    unsigned int Characteristics;
} tls_directory64;

unsigned int _tls_index = 0;

#pragma section(".tls", read, write)
#pragma section(".tls$ZZZ", read, write)
__declspec(allocate(".tls")) char _tls_start = 0;
__declspec(allocate(".tls$ZZZ")) char _tls_end = 0;

#pragma section(".CRT$XLA", read)
#pragma section(".CRT$XLZ", read)
__declspec(allocate(".CRT$XLA")) tls_callback __xl_a = 0;
__declspec(allocate(".CRT$XLZ")) tls_callback __xl_z = 0;

#pragma section(".rdata$T", read)
__declspec(allocate(".rdata$T")) const tls_directory64 _tls_used = {
    &_tls_start, &_tls_end, &_tls_index, &__xl_a + 1, 0, 0
};
