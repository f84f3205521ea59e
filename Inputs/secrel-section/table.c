/* secrel_table, in a data section (not .debug), holds IMAGE_REL_AMD64_SECREL (.secrel32:
   offset of the target within its output section) and IMAGE_REL_AMD64_SECTION (.secidx:
   the 1-based index of the target's output section) relocations against targets in
   .text, .data, .rdata and .bss. */
int table_data[2] = { 10, 11 };
const int table_const = 12;
int table_zero[3];
int table_code(int x) { return x * table_data[1] + table_const + table_zero[x & 1]; }

__asm__(".section .data\n"
        ".globl secrel_table\n"
        ".p2align 2\n"
        "secrel_table:\n"
        "  .secrel32 table_code\n"
        "  .secrel32 table_data\n"
        "  .secrel32 table_data+4\n"
        "  .secrel32 table_const\n"
        "  .secrel32 table_zero\n"
        "  .secidx table_code\n"
        "  .secidx table_data\n"
        "  .secidx table_const\n"
        "  .secidx table_zero\n");
