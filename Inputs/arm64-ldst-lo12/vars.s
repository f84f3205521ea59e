// Load/store targets, aligned for the widest access that uses them, at offsets that
// make the low 12 bits of their addresses non-zero.
    .data
    .p2align 4
    .space  0x230
    .globl vars
vars:
    .space  0x60, 0x11
    .p2align 4
    .space  0x990
    .globl wide
wide:
    .space  0x1010, 0x22
    .p2align 1
    .byte   0
    .p2align 1
    .globl tail_half
tail_half:
    .hword  0x1234
