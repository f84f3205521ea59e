    .text
    .p2align 2
    .globl pad_low
pad_low:
    ret
    .space  40000, 0                // code padding (udf #0)
    .globl pad_high
pad_high:
    ret
    .globl pad_high_2
pad_high_2:
    mov     x0, #2
    ret
