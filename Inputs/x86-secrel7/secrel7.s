# Source of secrel7.obj: the two .secrel32 (IMAGE_REL_I386_SECREL) relocations in .rdata are
# patched to IMAGE_REL_I386_SECREL7 (0xD) by patch.py, since no assembler emits that type.
# SECREL7 writes the low 7 bits of the target's offset in its output section into ONE byte;
# the addend is that byte's content (3 for the first one); the three bytes after each
# field stay zero.
	.globl	@feat.00
	.set	@feat.00, 1

	.text
	.globl	_before
_before:
	movl	$1, %eax
	retl
	.p2align 4, 0x90
	.globl	_func
_func:
	movl	$2, %eax
	retl

	.data
	.p2align 2
	.globl	_pad
_pad:
	.long	0, 0, 0, 0, 0
	.globl	_target
_target:
	.long	42

	.section .rdata,"dr"
	.p2align 2
	.globl	_offsets
_offsets:
	.secrel32 _target+3      # becomes SECREL7: byte 0x14 + 3 = 0x17
	.secrel32 _func          # becomes SECREL7: byte 0x10
