#pragma detect_mismatch("pelink_runtime", "dynamic")
int b(void) { return 2; }
