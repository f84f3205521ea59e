/* app_mingw.exe: the normal mingw-w64 CRT and printf; linked by x86_64-w64-mingw32-ld (through
   gcc) against the import library the linker under test wrote (consumer_target.lib). */
#include <stdio.h>
#include <windows.h>

#include "consumer_checks.h"

static int failures;

static void report_int(const char *label, int got, int want) {
    if (got == want) {
        printf("ok %s %d\n", label, got);
    } else {
        printf("FAIL %s %d expected %d\n", label, got, want);
        failures++;
    }
}

static void report_true(const char *label, int condition) {
    printf("%s %s\n", condition ? "ok" : "FAIL", label);
    if (!condition) failures++;
}

int main(void) {
    run_consumer_checks();
    fflush(stdout);
    return failures == 0 ? 0 : 1;
}
