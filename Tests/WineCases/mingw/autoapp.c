#include <stdio.h>
__declspec(dllimport) int auto_value;
__declspec(dllimport) const char auto_name[];
int auto_twice(int x);
int auto_use_hidden(int x);
int main(void) {
    auto_value = 10;
    printf("twice=%d hidden=%d name=%s\n", auto_twice(21), auto_use_hidden(1), auto_name);
    return 0;
}
