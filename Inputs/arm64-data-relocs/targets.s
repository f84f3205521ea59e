    .text
    .p2align 4
    .space  0x24
    .globl tgt_code
tgt_code:
    ret

    .data
    .p2align 4
    .space  0x44
    .globl tgt_data
tgt_data:
    .space  0x40, 1

    .section .rdata,"dr"
    .space  0x6
    .globl tgt_ro
tgt_ro:
    .space  0x20, 2

    .bss
    .p2align 4
    .space  0x30
    .globl tgt_bss
tgt_bss:
    .space  0x200
