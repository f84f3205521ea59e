/* Never referenced or included: must stay out. */
__declspec(dllexport) int left_out(void) { return 33; }
