# Two data sections merged into names no input uses: the output keeps the inputs' order (.bar
# before .foo), not the new names' (.abc before .def), as lld-link orders them.
    .section .foo, "dw"
    .long 1
    .section .bar, "dw"
    .long 2
    .text
    .globl entry
entry:
    ret
