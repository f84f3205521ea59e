/* libstrong.lib member with the strong definition of nolib_provided; the exported
   marker shows whether the member was pulled. */
int nolib_provided(void) { return 7; }
__declspec(dllexport) int pulled_nolib_member(void) { return nolib_provided(); }
