/* wn_dllmain.dll (/entry:MyDllMain; on i386 the object's symbol is _MyDllMain@12, which the
 * linker finds from the undecorated name) and wn_dllmain_refuse.dll (/entry:RefusingDllMain).
 * No CRT. */
static int attach_count;
static int thread_attach_count;
static void *saved_instance;
static int *detach_flag;
static int initialised_before_entry = 7;
static int seen_initialised_value;

int __stdcall MyDllMain(void *instance, unsigned reason, void *reserved) {
    (void)reserved;
    if (reason == 1) {          /* DLL_PROCESS_ATTACH */
        attach_count++;
        saved_instance = instance;
        seen_initialised_value = initialised_before_entry;
    } else if (reason == 2) {   /* DLL_THREAD_ATTACH */
        thread_attach_count++;
    } else if (reason == 0) {   /* DLL_PROCESS_DETACH */
        if (detach_flag) *detach_flag = 0x5eed;
    }
    return 1;
}

/* Refuses to load: LoadLibrary must fail. */
int __stdcall RefusingDllMain(void *instance, unsigned reason, void *reserved) {
    (void)instance; (void)reserved;
    return reason == 1 ? 0 : 1;
}

int dllmain_attach_count(void) { return attach_count; }
int dllmain_thread_attach_count(void) { return thread_attach_count; }
void *dllmain_instance(void) { return saved_instance; }
int dllmain_seen_value(void) { return seen_initialised_value; }
void dllmain_set_detach_flag(int *flag) { detach_flag = flag; }
