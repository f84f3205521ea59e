// Data words of every width against targets in code, data, read-only data and
// zero-initialised data of targets.obj, with and without addends.
    .data
    .p2align 3
    .globl word_table
word_table:
    .xword  tgt_code              // ADDR64 -> DIR64 base relocation
    .xword  tgt_data+0x18         // ADDR64 with an addend
    .xword  tgt_bss+0x100
    .xword  local_ro              // ADDR64 to a static label
    .word   tgt_code              // ADDR32 (absolute 32-bit: HIGHLOW base relocation)
    .word   tgt_ro+4              // ADDR32 with an addend
    .word   tgt_code@IMGREL       // ADDR32NB (image-relative)
    .word   tgt_data@IMGREL+0x20  // ADDR32NB with an addend
    .word   tgt_bss@IMGREL
    .word   local_ro@IMGREL+2
    .word   tgt_data - .          // REL32 (relative to the end of the word)
    .word   tgt_ro + 0x10 - .     // REL32 with an addend
    .word   tgt_code - .
    .word   0

    .section .rdata,"dr"
    .p2align 3
    .word   0x11111111
local_ro:
    .word   0x22222222
    .xword  word_table+8          // ADDR64 from .rdata
    .word   tgt_bss - .           // REL32 from .rdata

    .text
    .p2align 2
    .globl words_code
words_code:
    ret
    .p2align 3
    .xword  tgt_data              // ADDR64 inside code
    .word   tgt_code@IMGREL       // ADDR32NB inside code
    .word   tgt_data - .          // REL32 inside code
