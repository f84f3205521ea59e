# One copy of symbol in a COMDAT section with selection one_only.
        .section .text$nm, "xr", one_only, symbol
        .globl symbol
symbol:
        .long 1
