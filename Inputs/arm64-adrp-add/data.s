// Data placed so that the targets do not start pages: 0x7f0 bytes of filler first.
    .data
    .p2align 4
    .globl filler
filler:
    .space  0x7f0
    .globl table
table:
    .space  0x13000, 0xab

    .section .rdata,"dr"
    .p2align 2
    .globl ro_words
ro_words:
    .word   1, 2, 3, 4

    .bss
    .p2align 4
    .globl zeroed
zeroed:
    .space  0x100

    .text
    .p2align 4
    .globl other_code
other_code:
    .space  0x80, 0
    ret
