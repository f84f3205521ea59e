# /merge:.mycode=.mydata merges a code section into a data section; the
# merged output section takes the code characteristics (link.exe behaviour).
        .section .mycode,"xr"
        .globl  code_in_mycode
        .p2align 4
code_in_mycode:
        leaq    data_in_mydata(%rip), %rax
        retq

        .section .mydata,"dw"
        .globl  data_in_mydata
        .p2align 3
data_in_mydata:
        .quad   code_in_mycode

        .section .drectve,"yn"
        .ascii  " /export:code_in_mycode /export:data_in_mydata,DATA"
