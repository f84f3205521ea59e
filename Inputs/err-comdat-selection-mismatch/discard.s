# One copy of symbol in a COMDAT section with selection discard.
        .section .text$nm, "xr", discard, symbol
        .globl symbol
symbol:
        .long 1
