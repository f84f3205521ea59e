/* Pulled by /include:pragma_forced in main.obj's .drectve. */
int pragma_forced = 22;
__declspec(dllexport) int pragma_forced_fn(void) { return pragma_forced; }
