/* delayed.dll: the DLL the program delay-loads. DllMain records that the loader initialised the
   DLL, and both functions return nonsense (-1000) without it, so a right answer also proves the
   DLL was loaded properly (by LoadLibrary), not merely mapped. */
static int attached;

int __stdcall DllMain(void *instance, unsigned long reason, void *reserved) {
    (void)instance;
    (void)reserved;
    if (reason == 1) attached = 1; /* DLL_PROCESS_ATTACH */
    return 1;
}

int delayed_add(int a, int b) { return attached ? a + b : -1000; }

/* Exported by ordinal only (delayed.def: @5 NONAME). */
int delayed_mul(int a, int b) { return attached ? a * b : -1000; }
