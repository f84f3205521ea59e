# An export table written by hand in .edata (as some MinGW code carries): it exports myfunc only,
# though otherfunc is global and /export: asks for it.
    .text
    .globl myfunc
myfunc:
    ret
    .globl otherfunc
otherfunc:
    ret
    .section .edata, "dr"
    .p2align 2
exports:
    .long 0
    .long 0
    .long 0
    .rva name
    .long 1
    .long 1
    .long 1
    .rva functions
    .rva names
    .rva ordinals
names:
    .rva myfunc_name
ordinals:
    .short 0
functions:
    .rva myfunc
    .long 0
myfunc_name:
    .asciz "myfunc"
name:
    .asciz "literal-edata.dll"
