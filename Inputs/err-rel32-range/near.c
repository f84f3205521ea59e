/* far_away is an absolute symbol at 0xF0000000; the image is based at
   0x180000000, so the rip-relative (REL32) reference cannot reach it. */
extern char far_away[];
__declspec(dllexport) char *get_far(void) { return far_away; }
