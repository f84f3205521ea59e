# __tls_array: the offset of ThreadLocalStoragePointer in the x86 TEB (fs:[0x2c]),
# an absolute symbol as in MSVC's CRT. @feat.00 = 1 marks the object SAFESEH-compatible.
	.globl	@feat.00
	.set	@feat.00, 1
	.globl	__tls_array
	.set	__tls_array, 0x2c
