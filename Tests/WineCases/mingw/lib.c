/* A MinGW DLL (linked through clang's driver by the linker under test as ld.lld) using the C
 * runtime: stdio, malloc, a constructor and a thread-local variable; stdcall and fastcall exports
 * (MinGW names on i386: mg_stdcall@8, @mg_fastcall@8; plain names on x64), and data the EXE
 * reaches both with dllimport and by auto-import. */
#include <stdio.h>
#include <stdlib.h>

int mg_counter = 1;
static __thread int mg_calls;

__attribute__((constructor)) static void mg_init(void) { mg_counter = 42; }

__declspec(dllexport) int mg_get_counter(void) { return mg_counter; }

__declspec(dllexport) char *mg_format(int value) {
    char *text = malloc(32);
    snprintf(text, 32, "value=%d", value);
    return text;
}

__declspec(dllexport) int mg_count_call(void) { return ++mg_calls; }

__declspec(dllexport) int __stdcall mg_stdcall(int a, int b) { return a * b; }

__declspec(dllexport) int __fastcall mg_fastcall(int a, int b) { return a * 1000 + b; }

__declspec(dllexport) int mg_value = 10;
__declspec(dllexport) const char mg_name[] = "mg";

__declspec(dllexport) int mg_read_value(void) { return mg_value; }
