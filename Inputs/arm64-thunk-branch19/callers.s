// b.cond/cbz/cbnz (BRANCH19, +-1 MiB) across 1 MiB + 0x400 bytes of padding in
// pad.obj: out of reach, so the linker must branch to a range-extension thunk.
// .text runs forwards over the padding to pad_high; .text$z (laid out after
// pad.obj's .text) runs backwards to pad_low. bl/b (BRANCH26) reach directly.
    .text
    .p2align 2
    .globl forward_caller
forward_caller:
    b.eq    pad_high                // BRANCH19 b.cond, out of range: thunk
    cbz     x0, pad_high            // the same target again
    cbnz    w1, pad_high_2          // another far target
    b.gt    near_target             // BRANCH19 in range: direct
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
    b.ne    pad_low                 // BRANCH19 backwards, out of range: thunk
    cbz     w2, near_target         // backwards, also out of range
    tbz     w3, #3, backward_caller // BRANCH14, resolved by the assembler (same section)
    b       pad_low                 // BRANCH26 backwards: direct
