/* secrel_table, in a data section (not .debug), holds IMAGE_REL_I386_SECREL (.secrel32:
   offset of the target within its output section) and IMAGE_REL_I386_SECTION (.secidx:
   the 1-based index of the target's output section) relocations against targets in
   .text, .data, .rdata and .bss. */
int table_data[2] = { 10, 11 };
const int table_const = 12;
int table_zero[3];
int table_code(int x) { return x * table_data[1] + table_const + table_zero[x & 1]; }

__asm__(".section .data\n"
        ".globl _secrel_table\n"
        ".p2align 2\n"
        "_secrel_table:\n"
        "  .secrel32 _table_code\n"
        "  .secrel32 _table_data\n"
        "  .secrel32 _table_data+4\n"
        "  .secrel32 _table_const\n"
        "  .secrel32 _table_zero\n"
        "  .secidx _table_code\n"
        "  .secidx _table_data\n"
        "  .secidx _table_const\n"
        "  .secidx _table_zero\n"
        "  .short 0\n");
