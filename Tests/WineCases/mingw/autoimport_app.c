/* Uses the --export-all-symbols DLL without __declspec(dllimport): data is reached by auto-import (runtime pseudo-relocations). */
#include <stdio.h>
extern int auto_value;           /* no dllimport: auto-import */
extern const char auto_name[];
int auto_twice(int x);
int main(void) {
    auto_value = 10;
    printf("twice=%d value=%d name=%s\n", auto_twice(21), auto_value, auto_name);
    return 0;
}
