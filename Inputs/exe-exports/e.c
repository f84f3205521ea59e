/* An executable that exports a function (as plugins' hosts do): linking it
   must write an import library, as for a DLL. */
__declspec(dllexport) int host_service(int x) { return x * 2; }
__declspec(dllexport) int host_value = 7;

int main(void) { return host_service(host_value); }
