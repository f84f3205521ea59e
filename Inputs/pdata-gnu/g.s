# GCC layout: the cold part of hot_function sits in .text.unlikely with its
# unwind entry in .pdata.unlikely. Both .pdata pieces make one .pdata output
# section, and the exception directory must cover all entries of both.
        .text
        .globl  hot_function
        .p2align 4
hot_function:
        subq    $40, %rsp
        movl    $1, %eax
        addq    $40, %rsp
        retq
.Lhot_end:

        .globl  other_function
        .p2align 4
other_function:
        subq    $40, %rsp
        movl    $2, %eax
        addq    $40, %rsp
        retq
.Lother_end:

        .section .text.unlikely,"xr"
        .p2align 4
hot_function_cold:
        subq    $40, %rsp
        movl    $3, %eax
        addq    $40, %rsp
        retq
.Lcold_end:

        .section .xdata,"dr"
        .p2align 2
.Lunwind_sub40:                  # version 1, prolog 4 bytes, 1 code: UWOP_ALLOC_SMALL 40
        .byte   1, 4, 1, 0
        .byte   4, 0x42, 0, 0

        .section .pdata,"dr"
        .p2align 2
        .rva    hot_function, .Lhot_end, .Lunwind_sub40
        .rva    other_function, .Lother_end, .Lunwind_sub40

        .section .pdata.unlikely,"dr"
        .p2align 2
        .rva    hot_function_cold, .Lcold_end, .Lunwind_sub40

        .section .drectve,"yn"
        .ascii  " -export:hot_function -export:other_function"
