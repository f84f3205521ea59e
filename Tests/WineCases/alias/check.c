/* Scenario "alias": export names that stand for another symbol (name=internal). */
#include "check.h"

__declspec(dllimport) int AliasName(int x);
__declspec(dllimport) int alias_target(int x);
int PublicOnly(void);

RUN_CHECKS {
    check_int("alias-call", AliasName(1), 101);
    check_int("alias-target-call", alias_target(2), 102);
    check_int("alias-public-call", PublicOnly(), 7);
    check_same("alias-same-address", (void *)AliasName, (void *)alias_target);
    HMODULE module = GetModuleHandleA("wn_alias.dll");
    check_true("alias-module-loaded", module != NULL);
    void *by_alias = check_export("alias-lookup", module, "AliasName");
    void *by_name = check_export("alias-lookup", module, "alias_target");
    check_same("alias-getprocaddress-same", by_alias, by_name);
    check_same("alias-ordinal-same", (void *)GetProcAddress(module, MAKEINTRESOURCEA(12)), by_name);
    check_same("alias-second-name-same", (void *)GetProcAddress(module, "SecondAlias"), by_name);
    check_true("alias-internal-hidden", GetProcAddress(module, "hidden_impl") == NULL);
    return check_failures;
}
