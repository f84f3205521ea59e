/* Stand-in for the CRT's SEH personality routine; cdecl, so its symbol is __except_handler3. */
int filter_result;
int _except_handler3(void *record, void *frame, void *context, void *dispatcher) { return filter_result; }
