/* libstrong.lib member with the strong definition of lib_provided; the exported
   marker shows whether the member was pulled. */
int lib_provided(void) { return 7; }
__declspec(dllexport) int pulled_lib_member(void) { return lib_provided(); }
