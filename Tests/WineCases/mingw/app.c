/* The EXE (also linked by the linker under test) that uses lib.c's DLL through the import
 * library the linker wrote. */
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>

__declspec(dllimport) int mg_get_counter(void);
__declspec(dllimport) char *mg_format(int value);
__declspec(dllimport) int mg_count_call(void);
__declspec(dllimport) int __stdcall mg_stdcall(int a, int b);
__declspec(dllimport) int __fastcall mg_fastcall(int a, int b);
__declspec(dllimport) const char mg_name[];
int mg_read_value(void);     /* through the import library's thunk */
extern int mg_value;         /* no dllimport: auto-import (a runtime pseudo-relocation) */

/* The export names: MinGW keeps the stdcall and fastcall decoration on i386, without the underscore. */
#ifdef __i386__
#define STDCALL_NAME "mg_stdcall@8"
#define FASTCALL_NAME "@mg_fastcall@8"
#else
#define STDCALL_NAME "mg_stdcall"
#define FASTCALL_NAME "mg_fastcall"
#endif

static __thread int app_tls = 5;

int main(void) {
    app_tls += 1;
    char *text = mg_format(7);
    mg_count_call();
    printf("counter=%d format=%s calls=%d tls=%d\n", mg_get_counter(), text, mg_count_call(), app_tls);
    free(text);
    HMODULE module = GetModuleHandleA("mg.dll");
    int by_name = module != NULL && GetProcAddress(module, STDCALL_NAME) == (FARPROC)&mg_stdcall
                  && GetProcAddress(module, FASTCALL_NAME) == (FARPROC)&mg_fastcall;
    printf("stdcall=%d fastcall=%d names=%d\n", mg_stdcall(6, 7), mg_fastcall(5, 6), by_name);
    int before = mg_value;
    mg_value = 11;
    printf("auto-import value=%d after-write=%d name=%s\n", before, mg_read_value(), mg_name);
    return mg_get_counter() == 42 ? 0 : 1;
}
