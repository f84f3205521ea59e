/* zlib through the zlib1.dll the linker under test links (x64 or i686): round trip, and crc32/adler32 against known values. */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <zlib.h>

int main(void) {
    /* The DLL must be the linked one (time stamp 0), not Wine's builtin zlib1.dll. */
    HMODULE module = GetModuleHandleA("zlib1.dll");
    IMAGE_NT_HEADERS *nt = module ? (IMAGE_NT_HEADERS *)((char *)module + ((IMAGE_DOS_HEADER *)module)->e_lfanew) : NULL;
    printf("module=%s stamp=%lu\n", module ? "loaded" : "missing", nt ? (unsigned long)nt->FileHeader.TimeDateStamp : 1UL);
    const char *text = "The quick brown fox jumps over the lazy dog. The quick brown fox jumps over the lazy dog.";
    unsigned char packed[256], unpacked[256];
    uLongf packedLength = sizeof packed, unpackedLength = sizeof unpacked;
    int rc1 = compress(packed, &packedLength, (const Bytef *)text, strlen(text));
    int rc2 = uncompress(unpacked, &unpackedLength, packed, packedLength);
    printf("compress=%d uncompress=%d same=%d smaller=%d\n", rc1, rc2,
           unpackedLength == strlen(text) && memcmp(unpacked, text, unpackedLength) == 0, packedLength < strlen(text));
    printf("crc32=%08lx adler32=%08lx\n", crc32(0L, (const Bytef *)"The quick brown fox jumps over the lazy dog", 43),
           adler32(1L, (const Bytef *)"Wikipedia", 9));
    return 0;
}
