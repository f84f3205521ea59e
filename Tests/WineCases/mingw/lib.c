/* A MinGW DLL using the C runtime: stdio, malloc, a constructor and a thread-local variable. */
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
