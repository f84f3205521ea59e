# Source of rel16.obj: `jmpw rel16` written as bytes (66 e9 + a 16-bit displacement); the
# displacement's .secidx (SECTION) relocation is patched to IMAGE_REL_I386_REL16 (0x2) by
# patch.py.
	.globl	@feat.00
	.set	@feat.00, 1
	.text
	.globl	_jump_short
_jump_short:
	.byte	0x66, 0xe9          # jmpw rel16
	.secidx	_landing
	retl

	.section .text$b,"xr"
	.globl	_landing
_landing:
	movl	$3, %eax
	retl
