# IMAGE_REL_I386_DIR32NB (image-relative, "no base"): .rva in data and @IMGREL in code.
# No @feat.00 symbol: this object does not claim SAFESEH compatibility, so the link needs
# /safeseh:no (lld-link's default for x86 is /safeseh).
	.text
	.globl	_first
_first:
	movl	$1, %eax
	retl

	.p2align 4, 0x90
	.globl	_second
_second:
	movl	4(%esp), %eax
	movl	_rva_table@IMGREL(,%eax,4), %eax   # DIR32NB inside an instruction
	retl

	.section .rdata,"dr"
	.p2align 2
	.globl	_rva_table
_rva_table:
	.rva	_first
	.rva	_second
	.rva	_second+3          # addend 3 in the field
	.rva	_data_word
	.rva	_zeroed            # a .bss target
	.rva	___ImageBase       # the linker's __ImageBase: RVA 0
	.rva	_helper_in_c       # defined in the other object
	.rva	_rva_table+24      # self-reference

	.data
	.p2align 2
	.globl	_data_word
_data_word:
	.long	7

	.bss
	.p2align 2
_zeroed:
	.long	0
