/* get_counter's RIP-relative access to counter is a REL32 relocation; BUILD patches its
   type to IMAGE_REL_AMD64_TOKEN (0xD, a CLR token), which a native link cannot resolve. */
int counter = 3;
__declspec(dllexport) int get_counter(void) { return counter; }
