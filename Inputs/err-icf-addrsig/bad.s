# An address-significance table naming symbol record 100 of an object that has a handful.
	.section	.text,"xr",discard,f1
	.globl	f1
f1:
	movl	$1, %eax
	retq
	.section	.text,"xr",discard,f2
	.globl	f2
f2:
	movl	$1, %eax
	retq
	.section	.llvm_addrsig,"yn"
	.byte	0
	.byte	100
