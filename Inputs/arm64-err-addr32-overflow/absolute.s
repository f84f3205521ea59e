// An absolute 32-bit address (IMAGE_REL_ARM64_ADDR32) of code in a DLL at the default
// ARM64 base 0x180000000, where no address fits in 32 bits.
    .text
    .p2align 2
    .globl far_target
far_target:
    ret

    .data
    .p2align 2
    .globl absolute_word
absolute_word:
    .word   far_target
