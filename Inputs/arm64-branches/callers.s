// Branches of every kind, forwards and backwards, to a static label of this object
// (in another section, so the assembler cannot resolve them) and to functions of
// targets.obj; all in range.
    .text
    .p2align 2
    .globl branch_entry
branch_entry:
    bl      far_fn              // BRANCH26 to another object
    b.eq    far_fn              // BRANCH19 (b.cond)
    b.lt    local_helper        // BRANCH19 to a static label in .text$a
    cbz     x0, far_fn          // BRANCH19 (cbz, 64-bit)
    cbnz    w1, second_fn       // BRANCH19 (cbnz, 32-bit)
    tbz     x2, #35, far_fn     // BRANCH14 (tbz with a bit number >= 32)
    tbnz    w3, #1, second_fn   // BRANCH14 (tbnz)
    tbz     w4, #7, local_helper  // BRANCH14 to the static label
    bl      local_helper        // BRANCH26 to the static label
    b       second_fn           // BRANCH26 (tail call)

    .section .text$a,"xr"
    .p2align 2
local_helper:
    bl      branch_entry        // BRANCH26 backwards
    tbz     w0, #0, branch_entry  // BRANCH14 backwards
    cbnz    x0, branch_entry    // BRANCH19 backwards
    b.hs    before_fn           // BRANCH19 backwards into the other object (linked first)
    ret
