/* wn_forward.dll: one function of its own; the rest of its exports forward to kernel32. */
int forward_local(void) { return 5; }
