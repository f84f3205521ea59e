/* libstrong.lib member with the strong definition of alias_provided; the exported
   marker shows whether the member was pulled. */
int alias_provided(void) { return 7; }
__declspec(dllexport) int pulled_alias_member(void) { return alias_provided(); }
