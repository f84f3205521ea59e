/* checksum is defined in libs/extra.lib; the link names libs as a /libpath: folder but not the
   library itself, so the undefined-symbol error says which library to add. */
int checksum(const char *text);
__declspec(dllexport) int digest(const char *text) { return checksum(text) * 31; }
