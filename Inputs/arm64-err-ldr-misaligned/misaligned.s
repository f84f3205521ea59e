// ldr x0, [x0, :lo12:odd] where odd is at an odd address: the 8-byte load's
// immediate counts doublewords, so the low 12 bits of odd's address cannot be
// encoded (IMAGE_REL_ARM64_PAGEOFFSET_12L).
    .text
    .p2align 2
    .globl load_odd
load_odd:
    adrp    x0, odd
    ldr     x0, [x0, :lo12:odd]
    ret

    .data
    .p2align 3
    .byte   1
    .globl odd
odd:
    .byte   2, 3, 4, 5, 6, 7, 8, 9
