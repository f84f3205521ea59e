# A handler registered with `.safeseh` (a static function: .sxdata names a local symbol), and
# may_fault. @feat.00 = 1 marks the object SAFESEH-compatible.
	.globl	@feat.00
	.set	@feat.00, 1

	.text
	.def	_own_handler; .scl 3; .type 32; .endef
_own_handler:
	movl	$1, %eax
	retl
	.safeseh _own_handler

	.globl	_may_fault
_may_fault:
	movl	4(%esp), %eax
	movl	(%eax), %eax
	retl
