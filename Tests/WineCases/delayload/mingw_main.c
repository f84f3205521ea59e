/* delay_mingw.exe: the MinGW flavor. GNU ld has no delay-load option; instead
   `dlltool --output-delaylib libdelayed.a` writes objects holding the descriptor, the delay IAT,
   the name table, the thunks and the tail merge, and mingw-w64's libmingwex.a provides
   __delayLoadHelper2. The linker links them like any other objects. Prints one line per check. */
#include <stdio.h>
#include <windows.h>

/* Through the import thunk dlltool writes (`jmp [__imp_delayed_add]`). */
int delayed_add(int a, int b);
/* Through the delay IAT slot itself; by ordinal (delayed.def: @5 NONAME). */
__declspec(dllimport) int delayed_mul(int a, int b);

/* The delay IAT slots are dlltool's .idata$5 contributions, among the ordinary IAT's. mingw-w64's
   __delayLoadHelper2 (version 10 here) stores into a slot without VirtualProtect, so the import
   data must be writable, as GNU ld makes .idata; pelink does the same when it links a dlltool delay
   library (ld.lld does not: this program faults at its first call when ld.lld links it). */

static int failures;

static void check(const char *label, int condition) {
    printf("%s %s\n", condition ? "ok" : "FAIL", label);
    if (!condition) failures++;
}

static void check_value(const char *label, int got, int want) {
    printf("%s %s %d\n", got == want ? "ok" : "FAIL", label, got);
    if (got != want) failures++;
}

int main(void) {
    check("not-loaded-at-start", GetModuleHandleA("delayed.dll") == NULL);
    check_value("name-first-call", delayed_add(2, 3), 5);
    check("loaded-by-first-call", GetModuleHandleA("delayed.dll") != NULL);
    check_value("name-second-call", delayed_add(4, 5), 9);
    check_value("ordinal-first-call", delayed_mul(6, 7), 42);
    check_value("ordinal-second-call", delayed_mul(3, 3), 9);
    fflush(stdout);
    return failures == 0 ? 0 : 1;
}
