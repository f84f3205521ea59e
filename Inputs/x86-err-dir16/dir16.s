# Source of dir16.obj: the 16-bit .secidx field in .data is an IMAGE_REL_I386_SECTION
# relocation, patched to IMAGE_REL_I386_DIR16 (0x1, a 16-bit absolute address) by patch.py.
	.globl	@feat.00
	.set	@feat.00, 1
	.data
	.p2align 2
	.globl	_counter
_counter:
	.long	1
	.globl	_short_ptr
_short_ptr:
	.secidx	_counter
	.short	0
