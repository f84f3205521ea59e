/* Scenario "name": functions imported by name through the linker-made import library. */
#include "check.h"

__declspec(dllimport) int add_numbers(int a, int b);
__declspec(dllimport) const char *dll_greeting(void);
__declspec(dllimport) int answer_from_directive(void);
/* No dllimport: the call goes through the import library's thunk. */
int multiply_numbers(int a, int b);
int call_private_helper(int x);

RUN_CHECKS {
    check_int("name-call", add_numbers(40, 2), 42);
    check_int("name-thunk-call", multiply_numbers(6, 7), 42);
    check_int("name-directive-export", answer_from_directive(), 42);
    check_text("name-greeting", dll_greeting(), "hello-from-wn_name");
    check_int("name-internal-call", call_private_helper(5), 40);
    HMODULE module = GetModuleHandleA("wn_name.dll");
    check_true("name-module-loaded", module != NULL);
    check_same("name-address", (void *)GetProcAddress(module, "add_numbers"), (void *)add_numbers);
    check_true("name-private-hidden", GetProcAddress(module, "private_helper") == NULL);
    return check_failures;
}
