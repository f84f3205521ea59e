// Loads each DLL named on the command line with LoadLibrary and reads its resources (compiled
// by windres from res.rc, linked by pelink). Prints one line per lookup; the test compares them.
#include <windows.h>
#include <stdio.h>
#include <string.h>

static void narrow(const WCHAR *text, int length, char *out, int size) {
    int n = WideCharToMultiByte(CP_UTF8, 0, text, length, out, size - 1, NULL, NULL);
    out[n > 0 ? n : 0] = 0;
}

// A resource's bytes through FindResource/LoadResource/LockResource/SizeofResource.
static void show_resource(const char *dll, HMODULE module, const char *label, HRSRC found) {
    if (!found) {
        printf("%s %s: FindResource failed (error %lu)\n", dll, label, GetLastError());
        return;
    }
    DWORD size = SizeofResource(module, found);
    HGLOBAL loaded = LoadResource(module, found);
    const char *bytes = loaded ? (const char *)LockResource(loaded) : NULL;
    if (!bytes) {
        printf("%s %s: LoadResource failed (error %lu)\n", dll, label, GetLastError());
        return;
    }
    printf("%s %s: size=%lu text=%.*s\n", dll, label, size, (int)size, bytes);
}

// One string of a STRINGTABLE block in a given language, read from the raw block.
static void show_string_in_language(const char *dll, HMODULE module, UINT id, WORD language) {
    HRSRC found = FindResourceExW(module, (LPCWSTR)RT_STRING, MAKEINTRESOURCEW(id / 16 + 1), language);
    const WCHAR *block = found ? (const WCHAR *)LockResource(LoadResource(module, found)) : NULL;
    if (!block) {
        printf("%s string %u lang %04x: not found (error %lu)\n", dll, id, language, GetLastError());
        return;
    }
    for (UINT index = 0; index < id % 16; index++) block += 1 + *block;
    char text[256];
    narrow(block + 1, *block, text, sizeof text);
    printf("%s string %u lang %04x: %s\n", dll, id, language, text);
}

static void show_version(const char *dll, const WCHAR *path) {
    DWORD handle = 0;
    DWORD size = GetFileVersionInfoSizeW(path, &handle);
    if (size == 0) {
        printf("%s version: GetFileVersionInfoSizeW failed (error %lu)\n", dll, GetLastError());
        return;
    }
    void *data = HeapAlloc(GetProcessHeap(), 0, size);
    if (!GetFileVersionInfoW(path, 0, size, data)) {
        printf("%s version: GetFileVersionInfoW failed (error %lu)\n", dll, GetLastError());
        return;
    }
    VS_FIXEDFILEINFO *fixed = NULL;
    UINT length = 0;
    if (!VerQueryValueW(data, L"\\", (void **)&fixed, &length) || !fixed || length < sizeof *fixed) {
        printf("%s version: VerQueryValueW(\\) failed\n", dll);
    } else {
        printf("%s version: signature=%08lx file=%u.%u.%u.%u product=%u.%u.%u.%u\n", dll, fixed->dwSignature,
               HIWORD(fixed->dwFileVersionMS), LOWORD(fixed->dwFileVersionMS), HIWORD(fixed->dwFileVersionLS),
               LOWORD(fixed->dwFileVersionLS), HIWORD(fixed->dwProductVersionMS), LOWORD(fixed->dwProductVersionMS),
               HIWORD(fixed->dwProductVersionLS), LOWORD(fixed->dwProductVersionLS));
    }
    const WCHAR *names[] = {L"FileDescription", L"ProductName"};
    for (int i = 0; i < 2; i++) {
        WCHAR query[128];
        _snwprintf(query, 128, L"\\StringFileInfo\\040904b0\\%ls", names[i]);
        WCHAR *value = NULL;
        UINT count = 0;
        char name[64], text[256];
        narrow(names[i], -1, name, sizeof name);
        if (!VerQueryValueW(data, query, (void **)&value, &count) || !value) {
            printf("%s version %s: VerQueryValueW failed\n", dll, name);
            continue;
        }
        narrow(value, -1, text, sizeof text);
        printf("%s version %s: %s\n", dll, name, text);
    }
    HeapFree(GetProcessHeap(), 0, data);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    for (int i = 1; i < argc; i++) {
        const char *dll = argv[i];
        WCHAR path[MAX_PATH];
        MultiByteToWideChar(CP_UTF8, 0, dll, -1, path, MAX_PATH);
        HMODULE module = LoadLibraryW(path);
        if (!module) {
            printf("%s: LoadLibrary failed (error %lu)\n", dll, GetLastError());
            continue;
        }
        show_resource(dll, module, "rcdata 200", FindResourceW(module, MAKEINTRESOURCEW(200), (LPCWSTR)RT_RCDATA));
        show_resource(dll, module, "named CONFIG/PELINKDATA", FindResourceW(module, L"CONFIG", L"PELINKDATA"));
        show_resource(dll, module, "named lowercase config/pelinkdata", FindResourceA(module, "config", "pelinkdata"));
        WCHAR buffer[128];
        char text[256];
        for (UINT id = 101; id <= 103; id++) {
            int length = LoadStringW(module, id, buffer, 128);
            narrow(buffer, length, text, sizeof text);
            printf("%s LoadStringW %u: length=%d text=%s\n", dll, id, length, text);
        }
        show_string_in_language(dll, module, 101, MAKELANGID(LANG_GERMAN, SUBLANG_GERMAN));
        show_string_in_language(dll, module, 101, MAKELANGID(LANG_NEUTRAL, SUBLANG_NEUTRAL));
        show_version(dll, path);
        FreeLibrary(module);
    }
    printf("done\n");
    return 0;
}
