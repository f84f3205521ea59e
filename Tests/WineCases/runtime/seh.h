// Shared declarations for the SEH DLL (MSVC target, no CRT, no SDK headers). The i386 suite's
// SafeSEH scenario (../i386/seh) builds seh.c and seh_late.c for i386 too.
#define SEH_EXPORT __declspec(dllexport)
#define EXCEPTION_EXECUTE_HANDLER 1
#define EXCEPTION_CONTINUE_SEARCH 0
#define SEH_CODE_LATE 0xE0000001u
#define SEH_CODE_RAISE 0xE0000002u
#define SEH_CODE_FILTER 0xE0000003u
#define SEH_CODE_NESTED 0xE0000004u

__declspec(dllimport) void __stdcall RaiseException(unsigned long code, unsigned long flags, unsigned long count,
                                                    const unsigned long long *arguments);
unsigned long _exception_code(void);

// Written after each RaiseException so the call is not a tail call: the raising function keeps
// its own frame (and .pdata entry) on the stack being unwound.
extern volatile int seh_after_raise;

// The exception code is read in the filter: Wine's __C_specific_handler passes 0, not the code
// as Windows does, to the __except block, where _exception_code() then reads 0.
static inline int seh_take_code(volatile unsigned long *slot, unsigned long code) {
    *slot = code;
    return EXCEPTION_EXECUTE_HANDLER;
}

static inline int seh_matches(unsigned long code, unsigned long wanted) {
    return code == wanted ? EXCEPTION_EXECUTE_HANDLER : EXCEPTION_CONTINUE_SEARCH;
}
