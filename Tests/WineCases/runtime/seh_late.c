// Linked FIRST: these functions are in .text$x, so the output places them after every function
// of seh.c (.text), while their .pdata entries come first in input order. The exception
// directory must be sorted by address for the unwinder's binary search to find them all.
#include "seh.h"

void seh_helper_raise(unsigned long code);

#pragma code_seg(".text$x")

// Raises through a helper in .text, caught here in .text$x.
SEH_EXPORT int seh_late_raise(void) {
    volatile unsigned long code = 0;
    __try {
        seh_helper_raise(SEH_CODE_LATE);
    } __except (seh_take_code(&code, _exception_code())) {
        return (int)(code & 0xffff);
    }
    return -1;
}

__declspec(noinline) static void late_poke(volatile int *pointer) { *pointer = 1; }

// Access violation in a .text$x helper, caught in a .text$x function.
SEH_EXPORT unsigned long seh_late_fault(volatile int *pointer) {
    volatile unsigned long code = 0;
    __try {
        late_poke(pointer);
    } __except (seh_take_code(&code, _exception_code())) {
        return code;
    }
    return 0;
}

// Called from .text (seh.c): raises from .text$x; its caller in .text catches.
__declspec(noinline) void seh_late_thrower(unsigned long code) {
    RaiseException(code, 0, 0, 0);
    seh_after_raise++;
}

#pragma code_seg()
