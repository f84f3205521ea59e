/* Defines an absolute (IMAGE_SYM_ABSOLUTE) symbol; no code or data. */
__asm__(".globl far_away\n.set far_away, 0xF0000000\n");
