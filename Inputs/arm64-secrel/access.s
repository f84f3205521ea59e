// Section-relative relocations: the TLS access sequence (add :secrel_hi12:,
// add :secrel_lo12: / ldr :secrel_lo12:) and .secrel32/.secidx data words,
// against variables of vars.obj more than 4 KiB into their output sections.
    .text
    .p2align 2
    .globl secrel_entry
secrel_entry:
    add     x8, x8, :secrel_hi12:big_tls          // SECREL_HIGH12A
    add     x8, x8, :secrel_lo12:big_tls          // SECREL_LOW12A
    add     x9, x9, :secrel_hi12:big_tls+0x1010   // SECREL_HIGH12A with an addend
    add     x9, x9, :secrel_lo12:big_tls+0x1010   // SECREL_LOW12A with an addend
    ldr     w0, [x8, :secrel_lo12:small_tls]      // SECREL_LOW12L, word
    ldr     x1, [x8, :secrel_lo12:big_tls+0x18]   // SECREL_LOW12L, doubleword with an addend
    ldrb    w2, [x8, :secrel_lo12:small_tls+3]    // SECREL_LOW12L, byte
    ldrh    w3, [x8, :secrel_lo12:small_tls+6]    // SECREL_LOW12L, half
    ldr     q4, [x8, :secrel_lo12:big_tls+0x20]   // SECREL_LOW12L, q register
    add     x10, x10, :secrel_hi12:far_data       // the same against ordinary .data
    add     x10, x10, :secrel_lo12:far_data
    ldr     x11, [x10, :secrel_lo12:far_data+8]
    ret

    .data
    .p2align 3
    .globl secrel_words
secrel_words:
    .secrel32 big_tls                 // SECREL
    .secrel32 big_tls+0x44            // SECREL with an addend
    .secrel32 small_tls
    .secrel32 far_data
    .secrel32 secrel_entry+4          // SECREL into .text
    .secidx   big_tls                 // SECTION (16 bits: the output section's index)
    .secidx   far_data
    .secidx   secrel_entry
    .secidx   secrel_words
