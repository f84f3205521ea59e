# Six /export: directives in a .drectve whose pieces are separated, and the
# whole padded, by NUL bytes (as some compilers and tools emit it).
        .text
        .globl  alpha, beta, gamma, delta, epsilon, zeta
        .p2align 4
alpha:  movl $1, %eax
        retq
        .p2align 4
beta:   movl $2, %eax
        retq
        .p2align 4
gamma:  movl $3, %eax
        retq
        .p2align 4
delta:  movl $4, %eax
        retq
        .p2align 4
epsilon: movl $5, %eax
        retq
        .p2align 4
zeta:   movl $6, %eax
        retq

        .section .drectve,"yn"
        .ascii  " /export:alpha"
        .asciz  " /export:beta"
        .asciz  "/export:gamma"
        .byte   0, 0, 0
        .ascii  "/export:delta "
        .asciz  ""
        .ascii  "  /export:epsilon"
        .byte   0
        .ascii  "/export:zeta"
        .byte   0, 0, 0, 0, 0, 0, 0
