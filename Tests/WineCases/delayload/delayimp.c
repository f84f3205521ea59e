/* The delay-load helper and the unload function delayimp.lib provides with MSVC, written here
   because delayimp.lib is not available: the linker's tail-merge code calls
   __delayLoadHelper2(descriptor, slot) (i386: ___delayLoadHelper2@8) on the first call of each
   delay-loaded function. Both read only what the linker wrote: the descriptors (found, for the
   unload function, through data directory 13), the module handle slot, the delay IAT, the import
   name table and the unload copy of the IAT. */
#include "delayload.h"

/* The image's first byte (the linker defines __ImageBase; i386: ___ImageBase). Neither const nor
   a struct: the helper writes through pointers derived from it, and the optimiser drops stores
   into what it knows is a constant object and may assume accesses stay within a known size. */
extern unsigned char __ImageBase[];

volatile int delay_helper_calls;

static unsigned char *image_base(void) { return __ImageBase; }

static void *from_rva(DWORD rva) { return (void *)(image_base() + rva); }

/* The optional header: after the "PE\0\0" signature and the 20-byte file header. */
static const unsigned char *optional_header(void) {
    const IMAGE_DOS_HEADER *dos = (const IMAGE_DOS_HEADER *)image_base();
    return image_base() + dos->e_lfanew + 4 + 20;
}

int image_contains(FARPROC address) {
    DWORD size_of_image = *(const DWORD *)(optional_header() + 56); /* same offset in PE32 and PE32+ */
    uintptr_t at = (uintptr_t)address, base = (uintptr_t)image_base();
    return at >= base && at - base < size_of_image;
}

static int same_text(const char *a, const char *b) {
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}

/* The descriptor of `dll` through data directory 13, the way delayimp.lib's unload function finds it. */
const ImgDelayDescr *find_delay_descriptor(const char *dll) {
    /* DataDirectory follows the fixed fields: 96 bytes of them in PE32, 112 in PE32+. */
    const unsigned char *optional = optional_header();
    WORD magic = *(const WORD *)optional;
    const IMAGE_DATA_DIRECTORY *directories = (const IMAGE_DATA_DIRECTORY *)(optional + (magic == 0x20b ? 112 : 96));
    const IMAGE_DATA_DIRECTORY *delay = &directories[IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT];
    if (delay->VirtualAddress == 0 || delay->Size == 0) return 0;
    for (const ImgDelayDescr *descriptor = from_rva(delay->VirtualAddress); descriptor->rvaDLLName != 0; descriptor++) {
        if (same_text(from_rva(descriptor->rvaDLLName), dll)) return descriptor;
    }
    return 0;
}

FARPROC __stdcall __delayLoadHelper2(const ImgDelayDescr *descriptor, FARPROC *slot) {
    delay_helper_calls++;
    if (descriptor->grAttrs != 1) fatal("helper: descriptor attributes are not 1 (RVAs)");
    HMODULE *handle = from_rva(descriptor->rvaHmod);
    if (*handle == 0) {
        *handle = LoadLibraryA(from_rva(descriptor->rvaDLLName));
        if (*handle == 0) fatal("helper: LoadLibraryA failed");
    }
    /* The slot's index in the delay IAT is its entry's index in the import name table. */
    FARPROC *iat = from_rva(descriptor->rvaIAT);
    const uintptr_t *names = from_rva(descriptor->rvaINT);
    uintptr_t entry = names[slot - iat];
    const char *function = (entry & ORDINAL_FLAG) ? (const char *)(entry & 0xffff)
                                                  : (const char *)from_rva((DWORD)entry) + 2; /* after the hint */
    FARPROC address = GetProcAddress(*handle, function);
    if (address == 0) fatal("helper: GetProcAddress failed");
    *slot = address;
    return address;
}

/* Puts the unload copy of the IAT back (every slot points to its delay-load thunk again), frees
   the DLL and clears its handle slot, so the next call loads the DLL again. */
int __stdcall __FUnloadDelayLoadedDLL2(const char *dll) {
    const ImgDelayDescr *descriptor = find_delay_descriptor(dll);
    if (descriptor == 0 || descriptor->rvaUnloadIAT == 0) return 0;
    /* volatile: keeps the optimiser from making the copy a call to memcpy, which nothing provides. */
    volatile FARPROC *iat = from_rva(descriptor->rvaIAT);
    const FARPROC *unload = from_rva(descriptor->rvaUnloadIAT);
    for (const uintptr_t *names = from_rva(descriptor->rvaINT); *names != 0; names++) *iat++ = *unload++;
    HMODULE *handle = from_rva(descriptor->rvaHmod);
    if (*handle != 0) FreeLibrary(*handle);
    *handle = 0;
    return 1;
}

FARPROC delay_slot(const char *dll, const char *function) {
    const ImgDelayDescr *descriptor = find_delay_descriptor(dll);
    if (descriptor == 0) return 0;
    volatile FARPROC *iat = from_rva(descriptor->rvaIAT);
    for (const uintptr_t *names = from_rva(descriptor->rvaINT); *names != 0; names++, iat++) {
        int matches = (*names & ORDINAL_FLAG) ? (uintptr_t)function == (*names & 0xffff)
                                              : (uintptr_t)function > 0xffff && same_text((const char *)from_rva((DWORD)*names) + 2, function);
        if (matches) return *iat;
    }
    return 0;
}

HMODULE delay_module_handle(const char *dll) {
    const ImgDelayDescr *descriptor = find_delay_descriptor(dll);
    return descriptor ? *(volatile HMODULE *)from_rva(descriptor->rvaHmod) : 0;
}
