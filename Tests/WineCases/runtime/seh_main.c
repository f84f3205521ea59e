// Calls each SEH function of seh.dll (linked by pelink, exception table from two objects whose
// .pdata is out of address order) and prints what each caught.
#include <stdio.h>

__declspec(dllimport) int seh_late_raise(void);
__declspec(dllimport) unsigned long seh_late_fault(volatile int *pointer);
__declspec(dllimport) unsigned long seh_raise(void);
__declspec(dllimport) unsigned long seh_fault(volatile int *pointer);
__declspec(dllimport) int seh_filter(void);
__declspec(dllimport) int seh_finally(void);

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("seh_raise caught %08lx\n", seh_raise());
    printf("seh_fault caught %08lx\n", seh_fault((volatile int *)0));
    printf("seh_late_raise caught %04x\n", seh_late_raise());
    printf("seh_late_fault caught %08lx\n", seh_late_fault((volatile int *)16));
    printf("seh_filter stage %d\n", seh_filter());
    printf("seh_finally log %d\n", seh_finally());
    printf("done\n");
    return 0;
}
