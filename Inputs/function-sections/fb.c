static const char fb_msg[] = "function-sections";
int fb_helper(int x) { return x + fb_msg[x & 7]; }
__declspec(dllexport) const char *fb_message(void) { return fb_msg; }
