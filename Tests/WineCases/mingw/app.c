/* The EXE (also linked by pelink) that uses the MinGW DLL through pelink's import library. */
#include <stdio.h>
#include <stdlib.h>

__declspec(dllimport) int mg_get_counter(void);
__declspec(dllimport) char *mg_format(int value);
__declspec(dllimport) int mg_count_call(void);

static __thread int app_tls = 5;

int main(void) {
    app_tls += 1;
    char *text = mg_format(7);
    mg_count_call();
    printf("counter=%d format=%s calls=%d tls=%d\n", mg_get_counter(), text, mg_count_call(), app_tls);
    free(text);
    return mg_get_counter() == 42 ? 0 : 1;
}
