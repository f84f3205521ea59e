// adrp/add pairs and adr, with and without addends, against data of data.obj that
// sits at awkward offsets (page crossings), a static label and a section symbol.
    .text
    .p2align 2
    .globl addr_entry
addr_entry:
    adrp    x0, table                 // PAGEBASE_REL21
    add     x0, x0, :lo12:table       // PAGEOFFSET_12A
    adrp    x1, table+0x10            // PAGEBASE_REL21 with an addend
    add     x1, x1, :lo12:table+0x10  // PAGEOFFSET_12A with an addend
    adrp    x2, table+0xff8           // addend that crosses into the next page
    add     x2, x2, :lo12:table+0xff8
    adrp    x3, table+0x12344         // large addend (18 pages and a bit)
    add     x3, x3, :lo12:table+0x12344
    adrp    x4, ro_words+4            // .rdata
    add     x4, x4, :lo12:ro_words+4
    adrp    x5, zeroed+0x20           // .bss
    add     x5, x5, :lo12:zeroed+0x20
    adrp    x6, local_bytes+3         // static label of this object (.data)
    add     x6, x6, :lo12:local_bytes+3
    add     x9, x6, :lo12:local_bytes+3 // PAGEOFFSET_12A into another register
    adrp    x7, addr_entry            // code, own function
    add     x7, x7, :lo12:addr_entry
    adr     x8, other_code            // REL21 to another object's code
    adr     x10, other_code+0x40      // REL21 with an addend
    adr     x11, local_bytes+5        // REL21 to this object's .data
    adr     x12, addr_entry+8         // REL21 within the section, resolved by the assembler
    ret

    .data
    .p2align 3
    .byte   1, 2, 3, 4
local_bytes:
    .ascii  "local bytes here"
