/* __ImageBase is defined by the linker; on x86 C names get a leading underscore, so the
   object refers to ___ImageBase. Its address is the image base (RVA 0). */
typedef struct {
    unsigned short e_magic;
    unsigned short e_other[29];
    long e_lfanew;
} IMAGE_DOS_HEADER;

extern IMAGE_DOS_HEADER __ImageBase;

void *base_in_data = &__ImageBase;                            /* DIR32 in .data: HIGHLOW */
const char *const past_headers = (const char *)&__ImageBase + 0x1000; /* DIR32, addend 0x1000, .rdata */

__declspec(dllexport) void *module_base(void) { return &__ImageBase; }       /* DIR32 in code */
__declspec(dllexport) unsigned short module_magic(void) { return __ImageBase.e_magic; }
__declspec(dllexport) long nt_offset(void) { return __ImageBase.e_lfanew; }  /* addend 0x3c */
__declspec(dllexport) const char *first_page(void) { return past_headers; }
