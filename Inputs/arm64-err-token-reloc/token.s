// Assembled with an ordinary data word (ADDR32NB) that patch.py turns into
// IMAGE_REL_ARM64_TOKEN (0xC), which no assembler emits.
    .text
    .p2align 2
    .globl token_user
token_user:
    ret

    .data
    .p2align 2
    .globl token_word
token_word:
    .word   token_user@IMGREL
