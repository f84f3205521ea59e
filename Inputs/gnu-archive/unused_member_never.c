/* Archive member nobody references: it must not be pulled (its export must not appear). */
__declspec(dllexport) int never_pulled(void) { return -1; }
