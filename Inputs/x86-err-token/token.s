# Source of token.obj: the DIR32 relocation of the movl below is patched to
# IMAGE_REL_I386_TOKEN (0xC, a CLR metadata token) by patch.py.
	.globl	@feat.00
	.set	@feat.00, 1
	.text
	.globl	_get_token
_get_token:
	movl	$_counter, %eax
	retl
	.data
	.p2align 2
	.globl	_counter
_counter:
	.long	1
