/* A DLL entry point defined in the source (no CRT). */
static int attach_count;

int __stdcall DllMainish(void *instance, unsigned long reason, void *reserved)
{
    (void)instance; (void)reserved;
    if (reason == 1) attach_count++;
    return 1;
}

__declspec(dllexport) int get_attach_count(void) { return attach_count; }
static int *self_ref = &attach_count;   /* still has a base relocation */
__declspec(dllexport) int **get_self_ref(void) { return &self_ref; }
