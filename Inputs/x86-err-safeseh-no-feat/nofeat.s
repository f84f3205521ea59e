# Hand-written assembly without an @feat.00 symbol: the object does not say that it has no
# unregistered exception handlers, so it cannot be part of a /safeseh image.
	.text
	.globl	_plain_asm
_plain_asm:
	movl	$5, %eax
	retl
