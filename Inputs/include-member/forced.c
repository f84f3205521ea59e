/* Pulled by the command-line /include:forced_init; its dllexport then adds an export. */
__declspec(dllexport) int forced_init(void) { return 11; }
