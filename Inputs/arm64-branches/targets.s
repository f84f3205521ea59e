// Branch targets; this object is linked first, so before_fn lies below the callers
// and far_fn/second_fn above them (they are in .text$b, which sorts after .text and
// .text$a).
    .text
    .p2align 2
    .globl before_fn
before_fn:
    ret

    .section .text$b,"xr"
    .p2align 4
    .globl far_fn
far_fn:
    mov     x0, #1
    ret
    .globl second_fn
second_fn:
    b       before_fn           // BRANCH26 back over the callers
