// SEH in ordinary .text functions; some call into seh_late.c's .text$x functions and back.
#include "seh.h"

void seh_late_thrower(unsigned long code);

volatile int seh_after_raise;

__declspec(noinline) void seh_helper_raise(unsigned long code) {
    RaiseException(code, 0, 0, 0);
    seh_after_raise++;
}

__declspec(noinline) static void poke(volatile int *pointer) { *pointer = 2; }

// RaiseException caught in the same function.
SEH_EXPORT unsigned long seh_raise(void) {
    volatile unsigned long code = 0;
    __try {
        seh_helper_raise(SEH_CODE_RAISE);
    } __except (seh_take_code(&code, _exception_code())) {
        return code;
    }
    return 0;
}

// An access violation in a callee.
SEH_EXPORT unsigned long seh_fault(volatile int *pointer) {
    volatile unsigned long code = 0;
    __try {
        poke(pointer);
    } __except (seh_take_code(&code, _exception_code())) {
        return code;
    }
    return 0;
}

// A filter that declines (the inner __except) and one that accepts (the outer); the exception
// comes from .text$x, so unwinding crosses from the late section back into .text.
SEH_EXPORT int seh_filter(void) {
    int stage = 0;
    __try {
        __try {
            stage = 1;
            seh_late_thrower(SEH_CODE_FILTER);
            stage = 2;
        } __except (seh_matches(_exception_code(), SEH_CODE_RAISE)) {
            stage = 100;
        }
    } __except (seh_matches(_exception_code(), SEH_CODE_FILTER)) {
        stage += 10;
    }
    return stage;
}

// __finally runs during the unwind to an outer __except.
SEH_EXPORT int seh_finally(void) {
    volatile int log = 0;
    __try {
        __try {
            log = 1;
            seh_helper_raise(SEH_CODE_NESTED);
        } __finally {
            log = log * 10 + 2;
        }
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        log = log * 10 + 3;
    }
    return log;
}
