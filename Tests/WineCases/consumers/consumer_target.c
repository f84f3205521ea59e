/* consumer_target.dll: linked by the linker under test (no CRT, /noentry). Its import library is
   what the consumer programs (app_lld.exe, app_mingw.exe) link against with OTHER linkers. */
int ct_counter = 1000;                                  /* DATA export */

int ct_add(int a, int b) { return a + b; }              /* exported by name */

int ct_secret(int x) { return 3 * x + 1; }              /* NONAME @7: reachable by ordinal only */

int ct_internal_mul(int a, int b) { return a * b; }     /* exported only as ct_mul (alias) */

int ct_bump(int by) {                                   /* exported by name; touches the data */
    ct_counter += by;
    return ct_counter;
}
