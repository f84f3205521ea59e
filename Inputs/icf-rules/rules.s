# Sections for /opt:icf's rules; see NOTES.
	.text
	.globl	use
	.p2align 4
use:
	callq	h1
	callq	h2
	callq	r1
	callq	r2
	callq	k1
	callq	k2
	callq	a1
	callq	a2
	callq	t1
	callq	t2
	leaq	d1(%rip), %rax
	leaq	d2(%rip), %rax
	leaq	d3(%rip), %rax
	leaq	d4(%rip), %rax
	leaq	"??_7Foo@@6B@"(%rip), %rax
	leaq	"??_7Bar@@6B@"(%rip), %rax
	leaq	w1(%rip), %rax
	leaq	w2(%rip), %rax
	retq

# Identical leaves, differently aligned: folded, the kept one 16-byte aligned.
	.section	.text,"xr",discard,f1
	.globl	f1
	.p2align 2
f1:
	movl	$1, %eax
	retq
	.section	.text,"xr",discard,f2
	.globl	f2
	.p2align 4
f2:
	movl	$1, %eax
	retq
# Callers of the leaves, and their callers: folded, whatever the depth.
	.section	.text,"xr",discard,g1
	.globl	g1
g1:
	jmp	f1
	.section	.text,"xr",discard,g2
	.globl	g2
g2:
	jmp	f2
	.section	.text,"xr",discard,h1
	.globl	h1
h1:
	callq	g1
	addl	$2, %eax
	retq
	.section	.text,"xr",discard,h2
	.globl	h2
h2:
	callq	g2
	addl	$2, %eax
	retq
# Mutual recursion: r1 <-> s1 and r2 <-> s2 fold pairwise.
	.section	.text,"xr",discard,r1
	.globl	r1
r1:
	jmp	s1
	.section	.text,"xr",discard,s1
	.globl	s1
s1:
	testl	%ecx, %ecx
	jne	r1
	retq
	.section	.text,"xr",discard,r2
	.globl	r2
r2:
	jmp	s2
	.section	.text,"xr",discard,s2
	.globl	s2
s2:
	testl	%ecx, %ecx
	jne	r2
	retq
# k1 is g1's twin and folds; k2 calls another function: kept apart.
	.section	.text,"xr",discard,k1
	.globl	k1
k1:
	jmp	f1
	.section	.text,"xr",discard,k2
	.globl	k2
k2:
	jmp	other
	.section	.text,"xr",discard,other
	.globl	other
other:
	movl	$2, %eax
	retq
# Identical functions, a1's address significant: folded by /opt:icf, not by /opt:safeicf.
	.section	.text,"xr",discard,a1
	.globl	a1
a1:
	movl	$7, %eax
	retq
	.section	.text,"xr",discard,a2
	.globl	a2
a2:
	movl	$7, %eax
	retq
# Identical bytes in sections of different names: kept apart.
	.section	.text$t1,"xr",discard,t1
	.globl	t1
t1:
	movl	$9, %eax
	retq
	.section	.text$t2,"xr",discard,t2
	.globl	t2
t2:
	movl	$9, %eax
	retq
# Read-only data: d1 and d2 fold; d3 (address significant) and d4 stay; the two vtables fold
# although significant.
	.section	.rdata,"dr",discard,d1
	.globl	d1
	.p2align 2
d1:
	.long	1, 2, 3, 4
	.section	.rdata,"dr",discard,d2
	.globl	d2
	.p2align 2
d2:
	.long	1, 2, 3, 4
	.section	.rdata,"dr",discard,d3
	.globl	d3
	.p2align 2
d3:
	.long	1, 2, 3, 4
	.section	.rdata,"dr",discard,d4
	.globl	d4
	.p2align 2
d4:
	.long	1, 2, 3, 5
	.section	.rdata,"dr",discard,"??_7Foo@@6B@"
	.globl	"??_7Foo@@6B@"
	.p2align 3
"??_7Foo@@6B@":
	.quad	f1
	.section	.rdata,"dr",discard,"??_7Bar@@6B@"
	.globl	"??_7Bar@@6B@"
	.p2align 3
"??_7Bar@@6B@":
	.quad	f2
# Writable data is never folded.
	.section	.data,"dw",discard,w1
	.globl	w1
	.p2align 2
w1:
	.long	5
	.section	.data,"dw",discard,w2
	.globl	w2
	.p2align 2
w2:
	.long	5

	.addrsig
	.addrsig_sym a1
	.addrsig_sym d3
	.addrsig_sym "??_7Foo@@6B@"
	.addrsig_sym "??_7Bar@@6B@"
	.addrsig_sym w1
	.addrsig_sym w2
