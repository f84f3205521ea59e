# REL32 from assembly: jumps and calls to symbols of other objects and sections, with
# addends, and a pc-relative word in .data.
	.globl	@feat.00
	.set	@feat.00, 1

	.text
	.globl	_leaf
_leaf:
	movl	4(%esp), %eax
	testl	%eax, %eax
	je	_skip_inc+1          # 0f 84 rel32 to another section, addend 1: skips the incl
	jmp	_twice               # to the other section of this object

	.section .text$b,"xr"
	.globl	_twice
_twice:
	movl	4(%esp), %eax
	addl	%eax, %eax
	retl
	.globl	_skip_inc
_skip_inc:
	incl	%eax
	retl
	.globl	_call_back
_call_back:
	jmp	_section_neighbour   # into calls.obj

	.data
	.p2align 2
	.globl	_pcrel_words
_pcrel_words:
	.long	_twice - .           # REL32 in data (the field holds 4: S - P = S + 4 - (P + 4))
	.long	_caller - . + 16     # with an extra addend
