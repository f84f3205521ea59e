#include <stdio.h>
__declspec(dllimport) int gc_value(int x);
__declspec(dllimport) int gc_same(void);
__declspec(dllimport) const char *gc_format(int x);
int main(void) {
    printf("gc value=%d same=%d %s\n", gc_value(5), gc_same(), gc_format(2));
    return 0;
}
