# MSVC layout: parent_one's funclet lives in .text$x, which sorts after the
# .text$mn code of parent_two, while the .pdata entries are in the order of
# the parents (parent_one, its funclet, parent_two). Concatenated as they are,
# the exception table would not be sorted by address; the linker must sort it.
        .section .text$mn,"xr"
        .globl  parent_one
        .p2align 4
parent_one:
        subq    $40, %rsp
        movl    $1, %eax
        addq    $40, %rsp
        retq
.Lparent_one_end:

        .globl  parent_two
        .p2align 4
parent_two:
        subq    $40, %rsp
        movl    $2, %eax
        addq    $40, %rsp
        retq
.Lparent_two_end:

        .section .text$x,"xr"
        .p2align 4
parent_one_funclet:
        subq    $40, %rsp
        movl    $3, %eax
        addq    $40, %rsp
        retq
.Lparent_one_funclet_end:

        .section .xdata,"dr"
        .p2align 2
.Lunwind_sub40:                   # version 1, prolog 4 bytes, 1 code: UWOP_ALLOC_SMALL 40
        .byte   1, 4, 1, 0
        .byte   4, 0x42, 0, 0

        .section .pdata,"dr"
        .p2align 2
        .rva    parent_one, .Lparent_one_end, .Lunwind_sub40
        .rva    parent_one_funclet, .Lparent_one_funclet_end, .Lunwind_sub40
        .rva    parent_two, .Lparent_two_end, .Lunwind_sub40

        .section .drectve,"yn"
        .ascii  " /export:parent_one /export:parent_two"
