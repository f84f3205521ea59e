__declspec(dllexport) int reproducible(int x) { return x ^ 0x1234; }
const char tag[] = "brepro";
__declspec(dllexport) const char *get_tag(void) { return tag; }
