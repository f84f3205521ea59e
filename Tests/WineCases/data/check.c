/* Scenario "data": DATA exports imported with __declspec(dllimport) (through __imp_<name>;
 * on i386 __imp__<name>, whose export name has no underscore). */
#include "check.h"

__declspec(dllimport) extern int shared_counter;
__declspec(dllimport) extern int shared_table[4];
__declspec(dllimport) extern const char shared_text[];
__declspec(dllimport) extern int *shared_counter_pointer;
__declspec(dllimport) int read_shared_counter(void);
__declspec(dllimport) void bump_shared_counter(void);
__declspec(dllimport) int *address_of_shared_counter(void);
__declspec(dllimport) int sum_shared_table(void);

RUN_CHECKS {
    check_int("data-initial", shared_counter, 1234);
    shared_counter = 777;
    check_int("data-dll-sees-write", read_shared_counter(), 777);
    bump_shared_counter();
    check_int("data-exe-sees-write", shared_counter, 778);
    check_same("data-same-address", (void *)address_of_shared_counter(), (void *)&shared_counter);
    check_same("data-pointer-export", (void *)shared_counter_pointer, (void *)&shared_counter);
    shared_table[2] = 300;
    check_int("data-array", sum_shared_table(), 370);
    check_text("data-text", shared_text, "exported-text");
    HMODULE module = GetModuleHandleA("wn_data.dll");
    check_same("data-getprocaddress", (void *)GetProcAddress(module, "shared_counter"), (void *)&shared_counter);
    check_true("data-no-decorated-name", GetProcAddress(module, "_shared_counter") == NULL);
    return check_failures;
}
