/* Minimal stand-in for the CRT's TLS support: _tls_index, the .tls bracket symbols, a callback
   list with one callback, and the _tls_used directory (an IMAGE_TLS_DIRECTORY32; x86 symbol
   __tls_used) whose pointers are DIR32 relocations with HIGHLOW base relocations. */
typedef void (__stdcall *tls_callback)(void *, unsigned long, void *);

typedef struct {
    void *StartAddressOfRawData;
    void *EndAddressOfRawData;
    unsigned int *AddressOfIndex;
    tls_callback *AddressOfCallBacks;
    unsigned int SizeOfZeroFill;
    unsigned int Characteristics;
} tls_directory32;

unsigned int _tls_index = 0;

#pragma section(".tls", read, write)
#pragma section(".tls$ZZZ", read, write)
__declspec(allocate(".tls")) char _tls_start = 0;
__declspec(allocate(".tls$ZZZ")) char _tls_end = 0;

static void __stdcall on_thread(void *module, unsigned long reason, void *reserved) { }

#pragma section(".CRT$XLA", read)
#pragma section(".CRT$XLC", read)
#pragma section(".CRT$XLZ", read)
__declspec(allocate(".CRT$XLA")) tls_callback __xl_a = 0;
__declspec(allocate(".CRT$XLC")) tls_callback __xl_c = on_thread;
__declspec(allocate(".CRT$XLZ")) tls_callback __xl_z = 0;

#pragma section(".rdata$T", read)
__declspec(allocate(".rdata$T")) const tls_directory32 _tls_used = {
    &_tls_start, &_tls_end, &_tls_index, &__xl_a + 1, 0, 0
};
