/* The checks both consumer programs run, so both print the same lines. The including file
   declares GetModuleHandleA/GetProcAddress and defines report_int/report_true, which print
   "ok <label> [value]" or "FAIL <label> ..." and count failures. */

/* Through the import library's thunks (its code symbols). */
int ct_add(int a, int b);
int ct_secret(int x);                       /* NONAME @7: the import library makes this an ordinal import */
int ct_bump(int by);
/* Through __imp_ pointers (dllimport). */
__declspec(dllimport) int ct_mul(int a, int b);   /* ct_mul=ct_internal_mul in the .def */
__declspec(dllimport) int ct_counter;             /* DATA: no thunk, only __imp_ct_counter */
/* The import address table slots themselves. */
extern void *__imp_ct_add;
extern void *__imp_ct_secret;

static void report_int(const char *label, int got, int want);
static void report_true(const char *label, int condition);

static void run_consumer_checks(void) {
    void *module = (void *)GetModuleHandleA("consumer_target.dll");
    report_true("module-loaded", module != 0);
    report_int("name-call", ct_add(40, 2), 42);
    report_true("name-iat-address", __imp_ct_add == (void *)GetProcAddress(module, "ct_add"));
    report_true("name-thunk-not-iat", (void *)&ct_add != __imp_ct_add);
    report_int("alias-call", ct_mul(6, 7), 42);
    report_true("alias-address", (void *)&ct_mul == (void *)GetProcAddress(module, "ct_mul"));
    report_true("alias-internal-hidden", GetProcAddress(module, "ct_internal_mul") == 0);
    report_int("ordinal-call", ct_secret(5), 16);
    report_true("ordinal-iat-address",
                __imp_ct_secret == (void *)GetProcAddress(module, (const char *)(unsigned long long)7));
    report_true("ordinal-noname-hidden", GetProcAddress(module, "ct_secret") == 0);
    report_int("data-read", ct_counter, 1000);
    ct_counter = 1005;
    report_int("data-dll-sees-write", ct_bump(1), 1006);
    report_int("data-exe-sees-write", ct_counter, 1006);
    report_true("data-address", (void *)&ct_counter == (void *)GetProcAddress(module, "ct_counter"));
}
