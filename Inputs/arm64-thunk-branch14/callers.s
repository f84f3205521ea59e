// tbz/tbnz (BRANCH14, +-32 KiB) across 40000 bytes of padding in pad.obj: out of
// reach, so the linker must branch to a range-extension thunk. .text runs forwards
// over the padding to pad_high; .text$z (laid out after pad.obj's .text) runs
// backwards to pad_low. The other branch kinds reach the same targets directly.
    .text
    .p2align 2
    .globl forward_caller
forward_caller:
    tbz     w0, #2, pad_high        // BRANCH14, out of range: thunk
    tbnz    x1, #40, pad_high       // the same target again (a thunk may be shared)
    tbz     x2, #5, pad_high_2      // another far target
    cbz     x0, pad_high            // BRANCH19, in range: direct
    b.ne    pad_high_2              // BRANCH19, in range: direct
    tbz     w3, #1, near_target     // BRANCH14 in range: direct
    bl      pad_high                // BRANCH26: direct
    ret
    .p2align 2
    .globl near_target
near_target:
    ret

    .section .text$z,"xr"
    .p2align 2
    .globl backward_caller
backward_caller:
    tbnz    w4, #0, pad_low         // BRANCH14 backwards, out of range: thunk
    tbz     w5, #31, near_target    // backwards, also out of range (over the padding)
    cbnz    w6, pad_low             // BRANCH19 backwards, in range
    b       pad_low                 // BRANCH26 backwards
