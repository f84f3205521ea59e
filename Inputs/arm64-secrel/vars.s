    .section .tls$,"dw"
    .p2align 4
    .globl small_tls
small_tls:
    .word   0x11223344, 0x55667788
    .space  0x1230
    .p2align 4
    .globl big_tls
big_tls:
    .space  0x1100, 7

    .data
    .p2align 4
    .space  0x2468
    .p2align 3
    .globl far_data
far_data:
    .xword  1, 2
