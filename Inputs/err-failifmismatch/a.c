#pragma detect_mismatch("pelink_runtime", "static")
int a(void) { return 1; }
