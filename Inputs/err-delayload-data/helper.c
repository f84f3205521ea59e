/* The delay-load helper the tail-merge code calls; a real one loads the DLL (see
   Tests/WineCases/delayload). Here only its symbol matters. */
void *__stdcall __delayLoadHelper2(const void *descriptor, void **slot) {
    (void)descriptor;
    return *slot;
}
