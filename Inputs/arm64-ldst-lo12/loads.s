// :lo12: in loads and stores of every access size. The 12-bit immediate of a
// load/store is scaled by the access size, so the linker must divide the low 12
// bits of symbol+addend by 1, 2, 4, 8 or 16 (an addend is already scaled in the
// object's immediate).
    .text
    .p2align 2
    .globl ldst_entry
ldst_entry:
    adrp    x8, vars
    ldrb    w0, [x8, :lo12:vars+1]      // byte (size 0)
    ldrsb   x0, [x8, :lo12:vars+3]      // signed byte
    strb    w0, [x8, :lo12:vars+5]
    ldrh    w1, [x8, :lo12:vars+2]      // half (size 1)
    ldrsh   w1, [x8, :lo12:vars+6]
    strh    w1, [x8, :lo12:vars+0xa]
    ldr     w2, [x8, :lo12:vars+4]      // word (size 2)
    ldrsw   x2, [x8, :lo12:vars+0xc]
    str     w2, [x8, :lo12:vars+0x14]
    ldr     x3, [x8, :lo12:vars+8]      // doubleword (size 3)
    str     x3, [x8, :lo12:vars+0x18]
    prfm    pldl1keep, [x8, :lo12:vars+0x20] // prefetch, scaled like a doubleword
    ldr     b4, [x8, :lo12:vars+7]      // FP/SIMD byte
    ldr     h4, [x8, :lo12:vars+0xe]    // FP/SIMD half
    ldr     s4, [x8, :lo12:vars+0x1c]   // FP/SIMD single
    ldr     d4, [x8, :lo12:vars+0x28]   // FP/SIMD double
    ldr     q4, [x8, :lo12:vars+0x30]   // 128-bit q register (size 4: opc bit 23 set)
    str     q4, [x8, :lo12:vars+0x40]
    str     d4, [x8, :lo12:vars+0x50]
    adrp    x9, wide
    ldr     q5, [x9, :lo12:wide]        // q load of another object's data, no addend
    ldr     x6, [x9, :lo12:wide+0x3b8]  // the same page, addend up to its last doubleword
    adrp    x10, wide+0x1000
    ldr     q6, [x10, :lo12:wide+0x1000] // the next page
    adrp    x11, tail_half
    ldrh    w7, [x11, :lo12:tail_half]
    adrp    x12, local_quad
    ldr     q7, [x12, :lo12:local_quad] // static label of this object
    ret

    .data
    .p2align 4
    .byte   0xee
    .p2align 4
local_quad:
    .space  16, 0x5a
