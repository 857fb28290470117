	.file	"<string>"
	.section	.ltext,"axl",@progbits
	.globl	_ZN1m13_lookup_blendB2v1B102c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDY_2faIoicJgA_3dE5ArrayIfLi2E1C7mutable7alignedEx5ArrayIfLi3E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedEbb5ArrayIfLi3E1C7mutable7alignedE
	.p2align	4
	.type	_ZN1m13_lookup_blendB2v1B102c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDY_2faIoicJgA_3dE5ArrayIfLi2E1C7mutable7alignedEx5ArrayIfLi3E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedEbb5ArrayIfLi3E1C7mutable7alignedE,@function
_ZN1m13_lookup_blendB2v1B102c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDY_2faIoicJgA_3dE5ArrayIfLi2E1C7mutable7alignedEx5ArrayIfLi3E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedEbb5ArrayIfLi3E1C7mutable7alignedE:
	.cfi_startproc
	pushq	%rbp
	.cfi_def_cfa_offset 16
	pushq	%r15
	.cfi_def_cfa_offset 24
	pushq	%r14
	.cfi_def_cfa_offset 32
	pushq	%r13
	.cfi_def_cfa_offset 40
	pushq	%r12
	.cfi_def_cfa_offset 48
	pushq	%rbx
	.cfi_def_cfa_offset 56
	subq	$504, %rsp
	.cfi_def_cfa_offset 560
	.cfi_offset %rbx, -56
	.cfi_offset %r12, -48
	.cfi_offset %r13, -40
	.cfi_offset %r14, -32
	.cfi_offset %r15, -24
	.cfi_offset %rbp, -16
	movq	664(%rsp), %rax
	movq	%rsi, %r12
	movq	%rdi, %rbx
	movq	$0, 104(%rsp)
	leaq	16383(%rax), %r14
	sarq	$14, %r14
	movq	%r14, %rax
	imulq	648(%rsp), %rax
	decq	%rax
	movq	%rax, 96(%rsp)
	movabsq	$get_num_threads, %rax
	callq	*%rax
	movabsq	$get_parallel_chunksize, %r13
	movq	%rax, %r15
	callq	*%r13
	testq	%r15, %r15
	jle	.LBB0_1
	movq	%rax, 40(%rsp)
	movq	600(%rsp), %rax
	leaq	104(%rsp), %rbp
	movq	%rbx, 32(%rsp)
	leaq	96(%rsp), %rbx
	movl	$1, %esi
	movq	%r15, %rdi
	movq	%rbp, %rdx
	leaq	(,%rax,4), %r12
	leaq	-2(%rax), %rcx
	movq	%rcx, 8(%rsp)
	movq	%rbx, %rcx
	movq	%r12, 16(%rsp)
	imulq	%rax, %r12
	decq	%rax
	vcvtsi2sd	%rax, %xmm15, %xmm0
	movabsq	$get_sched_size, %rax
	vmovsd	%xmm0, 24(%rsp)
	callq	*%rax
	movq	%rax, %r13
	movabsq	$set_parallel_chunksize, %rax
	xorl	%edi, %edi
	callq	*%rax
	leaq	(%r13,%r13), %rdi
	movabsq	$allocate_sched, %rax
	callq	*%rax
	movq	%rax, %r15
	movabsq	$do_scheduling_unsigned, %rax
	movl	$1, %edi
	movq	%rbp, %rsi
	movq	%rbx, %rdx
	movq	%r13, %rcx
	movq	%r15, %r8
	xorl	%r9d, %r9d
	callq	*%rax
	leaq	88(%rsp), %rax
	leaq	80(%rsp), %rcx
	movq	%r15, 208(%rsp)
	leaq	3(%rsp), %rdx
	movq	%r13, 112(%rsp)
	movq	$2, 120(%rsp)
	movq	$16, 312(%rsp)
	vxorpd	%xmm0, %xmm0, %xmm0
	vmovupd	%zmm0, 320(%rsp)
	vmovupd	%zmm0, 352(%rsp)
	movq	$8, 416(%rsp)
	cmpb	$0, 776(%rsp)
	vmovsd	24(%rsp), %xmm0
	leaq	4(%rsp), %r13
	movq	%r14, 80(%rsp)
	movq	%r12, 64(%rsp)
	movl	$0, 4(%rsp)
	movq	%rax, 216(%rsp)
	movq	%rcx, 224(%rsp)
	leaq	2(%rsp), %rcx
	movq	%rdx, 232(%rsp)
	movq	640(%rsp), %rdx
	movabsq	$numba_gil_ensure, %rax
	movq	%r13, %rdi
	movq	%rcx, 240(%rsp)
	movq	8(%rsp), %rcx
	setne	3(%rsp)
	cmpb	$0, 768(%rsp)
	movq	%rdx, 248(%rsp)
	leaq	72(%rsp), %rdx
	movq	%rcx, 72(%rsp)
	movq	560(%rsp), %rcx
	movq	%rdx, 256(%rsp)
	movq	728(%rsp), %rdx
	vmovsd	%xmm0, 48(%rsp)
	setne	2(%rsp)
	movq	%rcx, 264(%rsp)
	movq	816(%rsp), %rcx
	movq	%rdx, 272(%rsp)
	leaq	64(%rsp), %rdx
	movq	%rcx, 280(%rsp)
	movq	16(%rsp), %rcx
	movq	%rdx, 288(%rsp)
	leaq	56(%rsp), %rdx
	movq	%rdx, 296(%rsp)
	movq	648(%rsp), %rdx
	movq	%rcx, 56(%rsp)
	leaq	48(%rsp), %rcx
	movq	%rcx, 304(%rsp)
	movq	656(%rsp), %rcx
	movq	%rdx, 128(%rsp)
	movq	664(%rsp), %rdx
	movq	%rcx, 136(%rsp)
	movq	568(%rsp), %rcx
	movq	%rdx, 144(%rsp)
	movq	%rdx, 88(%rsp)
	movq	576(%rsp), %rdx
	movq	%rcx, 152(%rsp)
	movq	736(%rsp), %rcx
	movq	%rdx, 160(%rsp)
	movq	744(%rsp), %rdx
	movq	%rcx, 168(%rsp)
	movq	824(%rsp), %rcx
	movq	%rdx, 176(%rsp)
	movq	832(%rsp), %rdx
	movq	%rcx, 184(%rsp)
	movq	840(%rsp), %rcx
	movq	%rdx, 192(%rsp)
	movq	672(%rsp), %rdx
	movq	%rcx, 200(%rsp)
	movq	680(%rsp), %rcx
	movq	%rdx, 424(%rsp)
	movq	688(%rsp), %rdx
	movq	%rcx, 432(%rsp)
	movq	584(%rsp), %rcx
	movq	%rdx, 440(%rsp)
	movq	592(%rsp), %rdx
	movq	%rcx, 448(%rsp)
	movq	752(%rsp), %rcx
	movq	%rdx, 456(%rsp)
	movq	760(%rsp), %rdx
	movq	%rcx, 464(%rsp)
	movq	848(%rsp), %rcx
	movq	%rdx, 472(%rsp)
	movq	856(%rsp), %rdx
	movq	%rcx, 480(%rsp)
	movq	864(%rsp), %rcx
	movq	%rdx, 488(%rsp)
	movq	%rcx, 496(%rsp)
	vzeroupper
	callq	*%rax
	movabsq	$PyEval_SaveThread, %rax
	callq	*%rax
	movabsq	$get_num_threads, %r14
	movq	%rax, %rbx
	callq	*%r14
	movabsq	$__gufunc__._ZN13_3cdynamic_3e36__numba_parfor_gufunc_0x7f6d5a5b81d0B2v9B114c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDYswpLiwBbsD6JwiiHJNAA_3d_3dE5ArrayIyLi1E1C7mutable7alignedExxbb5ArrayIfLi3E1C7mutable7alignedEx5ArrayIfLi2E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedE5ArrayIfLi3E1C7mutable7alignedExxd, %rdi
	movabsq	$numba_parallel_for, %r10
	leaq	208(%rsp), %rsi
	leaq	112(%rsp), %rdx
	leaq	312(%rsp), %rcx
	movl	$11, %r9d
	xorl	%r8d, %r8d
	pushq	%rax
	.cfi_adjust_cfa_offset 8
	pushq	$13
	.cfi_adjust_cfa_offset 8
	callq	*%r10
	addq	$16, %rsp
	.cfi_adjust_cfa_offset -16
	movabsq	$PyEval_RestoreThread, %rax
	movq	%rbx, %rdi
	callq	*%rax
	movabsq	$numba_gil_release, %rax
	movq	%r13, %rdi
	callq	*%rax
	movq	40(%rsp), %rdi
	movabsq	$set_parallel_chunksize, %rax
	callq	*%rax
	movabsq	$deallocate_sched, %rax
	movq	%r15, %rdi
	callq	*%rax
	movq	32(%rsp), %rax
	movq	$0, (%rax)
	xorl	%eax, %eax
.LBB0_3:
	addq	$504, %rsp
	.cfi_def_cfa_offset 56
	popq	%rbx
	.cfi_def_cfa_offset 48
	popq	%r12
	.cfi_def_cfa_offset 40
	popq	%r13
	.cfi_def_cfa_offset 32
	popq	%r14
	.cfi_def_cfa_offset 24
	popq	%r15
	.cfi_def_cfa_offset 16
	popq	%rbp
	.cfi_def_cfa_offset 8
	retq
.LBB0_1:
	.cfi_def_cfa_offset 560
	movabsq	$printf_format, %rdi
	movabsq	$printf, %rcx
	movq	%r15, %rsi
	xorl	%eax, %eax
	callq	*%rcx
	movabsq	$.const.picklebuf.9d8bd6d541b3e336fd7917994940781bc68a3a8a, %rax
	movq	%rax, (%r12)
	movl	$1, %eax
	jmp	.LBB0_3
.Lfunc_end0:
	.size	_ZN1m13_lookup_blendB2v1B102c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDY_2faIoicJgA_3dE5ArrayIfLi2E1C7mutable7alignedEx5ArrayIfLi3E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedEbb5ArrayIfLi3E1C7mutable7alignedE, .Lfunc_end0-_ZN1m13_lookup_blendB2v1B102c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDY_2faIoicJgA_3dE5ArrayIfLi2E1C7mutable7alignedEx5ArrayIfLi3E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedEbb5ArrayIfLi3E1C7mutable7alignedE
	.cfi_endproc

	.globl	_ZN7cpython1m13_lookup_blendB2v1B102c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDY_2faIoicJgA_3dE5ArrayIfLi2E1C7mutable7alignedEx5ArrayIfLi3E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedEbb5ArrayIfLi3E1C7mutable7alignedE
	.p2align	4
	.type	_ZN7cpython1m13_lookup_blendB2v1B102c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDY_2faIoicJgA_3dE5ArrayIfLi2E1C7mutable7alignedEx5ArrayIfLi3E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedEbb5ArrayIfLi3E1C7mutable7alignedE,@function
_ZN7cpython1m13_lookup_blendB2v1B102c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDY_2faIoicJgA_3dE5ArrayIfLi2E1C7mutable7alignedEx5ArrayIfLi3E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedEbb5ArrayIfLi3E1C7mutable7alignedE:
	.cfi_startproc
	pushq	%rbp
	.cfi_def_cfa_offset 16
	pushq	%r15
	.cfi_def_cfa_offset 24
	pushq	%r14
	.cfi_def_cfa_offset 32
	pushq	%r13
	.cfi_def_cfa_offset 40
	pushq	%r12
	.cfi_def_cfa_offset 48
	pushq	%rbx
	.cfi_def_cfa_offset 56
	subq	$552, %rsp
	.cfi_def_cfa_offset 608
	.cfi_offset %rbx, -56
	.cfi_offset %r12, -48
	.cfi_offset %r13, -40
	.cfi_offset %r14, -32
	.cfi_offset %r15, -24
	.cfi_offset %rbp, -16
	movq	%rsi, %rdi
	subq	$8, %rsp
	.cfi_adjust_cfa_offset 8
	leaq	160(%rsp), %r10
	xorl	%ebx, %ebx
	leaq	168(%rsp), %r11
	leaq	176(%rsp), %r14
	leaq	184(%rsp), %r15
	leaq	192(%rsp), %r12
	movabsq	$.const._lookup_blend, %rsi
	movabsq	$PyArg_UnpackTuple, %r13
	leaq	208(%rsp), %r8
	leaq	200(%rsp), %r9
	movl	$7, %edx
	movl	$7, %ecx
	xorl	%eax, %eax
	pushq	%r10
	.cfi_adjust_cfa_offset 8
	pushq	%r11
	.cfi_adjust_cfa_offset 8
	pushq	%r14
	.cfi_adjust_cfa_offset 8
	pushq	%r15
	.cfi_adjust_cfa_offset 8
	pushq	%r12
	.cfi_adjust_cfa_offset 8
	callq	*%r13
	addq	$48, %rsp
	.cfi_adjust_cfa_offset -48
	vxorps	%xmm0, %xmm0, %xmm0
	vmovups	%zmm0, 464(%rsp)
	vmovups	%zmm0, 208(%rsp)
	movq	$0, 272(%rsp)
	vmovups	%zmm0, 488(%rsp)
	movq	$0, 32(%rsp)
	testl	%eax, %eax
	je	.LBB1_17
	movabsq	$_ZN08NumbaEnv1m13_lookup_blendB2v1B102c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDY_2faIoicJgA_3dE5ArrayIfLi2E1C7mutable7alignedEx5ArrayIfLi3E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedEbb5ArrayIfLi3E1C7mutable7alignedE, %rax
	cmpq	$0, (%rax)
	je	.LBB1_21
	movq	200(%rsp), %rdi
	movabsq	$NRT_adapt_ndarray_from_python, %rax
	leaq	288(%rsp), %rsi
	vmovups	%zmm0, 288(%rsp)
	movq	$0, 352(%rsp)
	vzeroupper
	callq	*%rax
	cmpq	$4, 312(%rsp)
	setne	%cl
	testl	%eax, %eax
	setne	%bl
	orb	%cl, %bl
	cmpb	$1, %bl
	je	.LBB1_23
	testb	%bl, %bl
	jne	.LBB1_24
.LBB1_4:
	movq	352(%rsp), %rax
	movq	192(%rsp), %rdi
	movq	288(%rsp), %r14
	movq	320(%rsp), %r12
	movq	328(%rsp), %r13
	movq	336(%rsp), %rbp
	movq	344(%rsp), %rbx
	movq	%rax, 136(%rsp)
	movabsq	$PyNumber_Long, %rax
	callq	*%rax
	movq	%rbx, 144(%rsp)
	testq	%rax, %rax
	je	.LBB1_25
	movabsq	$PyLong_AsLongLong, %rbx
	movq	%rax, %r15
	movq	%r15, %rdi
	callq	*%rbx
	movq	%rax, 16(%rsp)
	movabsq	$Py_DecRef, %rax
	movq	%r15, %rdi
	callq	*%rax
.LBB1_6:
	movabsq	$PyErr_Occurred, %rax
	movabsq	$NRT_adapt_ndarray_from_python, %r15
	callq	*%rax
	testq	%rax, %rax
	jne	.LBB1_31
	movq	184(%rsp), %rdi
	leaq	368(%rsp), %rsi
	vxorps	%xmm0, %xmm0, %xmm0
	vmovups	%zmm0, 368(%rsp)
	vmovups	%zmm0, 392(%rsp)
	vzeroupper
	callq	*%r15
	cmpq	$4, 392(%rsp)
	setne	%cl
	testl	%eax, %eax
	setne	%bl
	orb	%cl, %bl
	cmpb	$1, %bl
	je	.LBB1_26
	testb	%bl, %bl
	jne	.LBB1_31
.LBB1_9:
	movq	400(%rsp), %rdx
	movq	408(%rsp), %rcx
	movq	368(%rsp), %rax
	movq	176(%rsp), %rdi
	leaq	208(%rsp), %rsi
	vxorps	%xmm0, %xmm0, %xmm0
	vmovups	%zmm0, 208(%rsp)
	movq	$0, 272(%rsp)
	movq	%rdx, 128(%rsp)
	movq	%rcx, 120(%rsp)
	movq	416(%rsp), %rdx
	movq	424(%rsp), %rcx
	movq	%rax, 24(%rsp)
	movq	448(%rsp), %rax
	movq	%rdx, 112(%rsp)
	movq	%rcx, 104(%rsp)
	movq	432(%rsp), %rdx
	movq	440(%rsp), %rcx
	movq	%rax, 80(%rsp)
	movq	%rdx, 96(%rsp)
	movq	%rcx, 88(%rsp)
	vzeroupper
	callq	*%r15
	cmpq	$4, 232(%rsp)
	setne	%cl
	testl	%eax, %eax
	setne	%bl
	orb	%cl, %bl
	jne	.LBB1_27
	testb	%bl, %bl
	jne	.LBB1_30
.LBB1_11:
	movq	208(%rsp), %rax
	movq	240(%rsp), %rcx
	movq	168(%rsp), %rdi
	movq	%r12, 72(%rsp)
	movq	%r14, 8(%rsp)
	movq	256(%rsp), %r12
	movq	264(%rsp), %r15
	movq	272(%rsp), %r14
	movq	%r13, 64(%rsp)
	movabsq	$PyObject_IsTrue, %r13
	movq	%rbp, 56(%rsp)
	movq	%rax, (%rsp)
	movq	248(%rsp), %rax
	movq	%rcx, 48(%rsp)
	movq	%rax, 40(%rsp)
	callq	*%r13
	movabsq	$PyErr_Occurred, %rbx
	movl	%eax, %ebp
	callq	*%rbx
	testq	%rax, %rax
	jne	.LBB1_29
	movq	160(%rsp), %rdi
	callq	*%r13
	movl	%eax, %r13d
	callq	*%rbx
	testq	%rax, %rax
	jne	.LBB1_29
	movq	152(%rsp), %rdi
	leaq	464(%rsp), %rsi
	movabsq	$NRT_adapt_ndarray_from_python, %rax
	vxorps	%xmm0, %xmm0, %xmm0
	vmovups	%zmm0, 464(%rsp)
	vmovups	%zmm0, 488(%rsp)
	vzeroupper
	callq	*%rax
	testl	%eax, %eax
	jne	.LBB1_28
	cmpq	$4, 488(%rsp)
	jne	.LBB1_28
	vmovups	496(%rsp), %ymm0
	vmovaps	528(%rsp), %xmm1
	xorl	%eax, %eax
	testl	%r13d, %r13d
	movq	464(%rsp), %r13
	movq	544(%rsp), %rdx
	setne	%al
	xorl	%ecx, %ecx
	testl	%ebp, %ebp
	setne	%cl
	subq	$320, %rsp
	.cfi_adjust_cfa_offset 320
	movq	%rdx, 304(%rsp)
	vmovups	%xmm1, 288(%rsp)
	vmovups	%ymm0, 256(%rsp)
	movl	%eax, 216(%rsp)
	movabsq	$_ZN1m13_lookup_blendB2v1B102c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDY_2faIoicJgA_3dE5ArrayIfLi2E1C7mutable7alignedEx5ArrayIfLi3E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedEbb5ArrayIfLi3E1C7mutable7alignedE, %rax
	movq	%r14, 200(%rsp)
	movq	%r15, 192(%rsp)
	movq	%r12, 184(%rsp)
	movl	%ecx, 208(%rsp)
	movq	368(%rsp), %rsi
	movq	400(%rsp), %rdi
	movq	360(%rsp), %rdx
	movq	%rsi, 168(%rsp)
	movq	408(%rsp), %rsi
	movq	%rdi, 128(%rsp)
	movq	416(%rsp), %rdi
	movq	%rdx, 176(%rsp)
	movq	392(%rsp), %rdx
	movq	%rsi, 120(%rsp)
	movq	424(%rsp), %rsi
	movq	%rdi, 112(%rsp)
	movq	432(%rsp), %rdi
	movq	%rdx, (%rsp)
	movq	%rsi, 104(%rsp)
	movq	440(%rsp), %rsi
	movq	%rdi, 96(%rsp)
	movq	448(%rsp), %rdi
	movq	%rsi, 88(%rsp)
	movq	336(%rsp), %rsi
	movq	%rdi, 80(%rsp)
	movq	456(%rsp), %rdi
	movq	%rsi, 40(%rsp)
	movq	464(%rsp), %rsi
	movq	%rdi, 32(%rsp)
	movq	376(%rsp), %rdi
	movq	%rsi, 24(%rsp)
	movq	384(%rsp), %rsi
	movq	%rdi, 16(%rsp)
	leaq	776(%rsp), %rdi
	movq	%rsi, 8(%rsp)
	leaq	352(%rsp), %rsi
	vzeroupper
	callq	*%rax
	addq	$320, %rsp
	.cfi_adjust_cfa_offset -320
	movq	8(%rsp), %rdi
	movq	32(%rsp), %r14
	movabsq	$NRT_decref, %rbx
	movl	%eax, %ebp
	callq	*%rbx
	movq	24(%rsp), %rdi
	callq	*%rbx
	movq	(%rsp), %rdi
	callq	*%rbx
	movq	%r13, %rdi
	callq	*%rbx
	testl	%ebp, %ebp
	jne	.LBB1_18
	movabsq	$_Py_NoneStruct, %rbx
	movabsq	$Py_IncRef, %rax
	movq	%rbx, %rdi
	callq	*%rax
.LBB1_17:
	movq	%rbx, %rax
	addq	$552, %rsp
	.cfi_def_cfa_offset 56
	popq	%rbx
	.cfi_def_cfa_offset 48
	popq	%r12
	.cfi_def_cfa_offset 40
	popq	%r13
	.cfi_def_cfa_offset 32
	popq	%r14
	.cfi_def_cfa_offset 24
	popq	%r15
	.cfi_def_cfa_offset 16
	popq	%rbp
	.cfi_def_cfa_offset 8
	vzeroupper
	retq
.LBB1_18:
	.cfi_def_cfa_offset 608
	movabsq	$PyErr_Clear, %rax
	callq	*%rax
	movl	8(%r14), %esi
	movq	(%r14), %rdi
	cmpl	$0, 32(%r14)
	jle	.LBB1_32
	movslq	%esi, %rsi
	movabsq	$PyBytes_FromStringAndSize, %rax
	callq	*%rax
	movq	16(%r14), %rdi
	movq	%rax, %rbx
	callq	*24(%r14)
	testq	%rax, %rax
	je	.LBB1_37
	movabsq	$numba_runtime_build_excinfo_struct, %rcx
	movq	%rbx, %rdi
	movq	%rax, %rsi
	callq	*%rcx
	movabsq	$NRT_Free, %r15
	movq	%r14, %rdi
	movq	%rax, %rbx
	callq	*%r15
	jmp	.LBB1_33
.LBB1_21:
	movabsq	$PyExc_RuntimeError, %rdi
	movabsq	$".const.missing Environment: _ZN08NumbaEnv1m13_lookup_blendB2v1B102c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDY_2faIoicJgA_3dE5ArrayIfLi2E1C7mutable7alignedEx5ArrayIfLi3E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedEbb5ArrayIfLi3E1C7mutable7alignedE", %rsi
.LBB1_22:
	movabsq	$PyErr_SetString, %rax
	vzeroupper
	callq	*%rax
	xorl	%ebx, %ebx
	jmp	.LBB1_17
.LBB1_23:
	movabsq	$PyExc_TypeError, %rdi
	movabsq	$".const.can't unbox array from PyObject into native value.  The object maybe of a different type", %rsi
	movabsq	$PyErr_SetString, %rax
	callq	*%rax
	testb	%bl, %bl
	je	.LBB1_4
	jmp	.LBB1_24
.LBB1_25:
	movq	$0, 16(%rsp)
	jmp	.LBB1_6
.LBB1_26:
	movabsq	$PyExc_TypeError, %rdi
	movabsq	$".const.can't unbox array from PyObject into native value.  The object maybe of a different type", %rsi
	movabsq	$PyErr_SetString, %rax
	callq	*%rax
	testb	%bl, %bl
	je	.LBB1_9
	jmp	.LBB1_31
.LBB1_27:
	movabsq	$PyExc_TypeError, %rdi
	movabsq	$".const.can't unbox array from PyObject into native value.  The object maybe of a different type", %rsi
	movabsq	$PyErr_SetString, %rax
	callq	*%rax
	testb	%bl, %bl
	je	.LBB1_11
	jmp	.LBB1_30
.LBB1_28:
	movabsq	$PyExc_TypeError, %rdi
	movabsq	$".const.can't unbox array from PyObject into native value.  The object maybe of a different type", %rsi
	movabsq	$PyErr_SetString, %rax
	callq	*%rax
.LBB1_29:
	movq	(%rsp), %rdi
	movabsq	$NRT_decref, %rax
	callq	*%rax
	movq	8(%rsp), %r14
.LBB1_30:
	movq	24(%rsp), %rdi
	movabsq	$NRT_decref, %rax
	callq	*%rax
.LBB1_31:
	movabsq	$NRT_decref, %rax
	movq	%r14, %rdi
	jmp	.LBB1_35
.LBB1_32:
	movq	16(%r14), %rdx
	movabsq	$numba_unpickle, %rax
	callq	*%rax
	movq	%rax, %rbx
.LBB1_33:
	testq	%rbx, %rbx
	je	.LBB1_24
	movabsq	$numba_do_raise, %rax
	movq	%rbx, %rdi
.LBB1_35:
	callq	*%rax
.LBB1_24:
	xorl	%ebx, %ebx
	jmp	.LBB1_17
.LBB1_37:
	movabsq	$PyExc_RuntimeError, %rdi
	movabsq	$".const.Error creating Python tuple from runtime exception arguments", %rsi
	jmp	.LBB1_22
.Lfunc_end1:
	.size	_ZN7cpython1m13_lookup_blendB2v1B102c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDY_2faIoicJgA_3dE5ArrayIfLi2E1C7mutable7alignedEx5ArrayIfLi3E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedEbb5ArrayIfLi3E1C7mutable7alignedE, .Lfunc_end1-_ZN7cpython1m13_lookup_blendB2v1B102c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDY_2faIoicJgA_3dE5ArrayIfLi2E1C7mutable7alignedEx5ArrayIfLi3E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedEbb5ArrayIfLi3E1C7mutable7alignedE
	.cfi_endproc

	.globl	cfunc._ZN1m13_lookup_blendB2v1B102c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDY_2faIoicJgA_3dE5ArrayIfLi2E1C7mutable7alignedEx5ArrayIfLi3E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedEbb5ArrayIfLi3E1C7mutable7alignedE
	.p2align	4
	.type	cfunc._ZN1m13_lookup_blendB2v1B102c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDY_2faIoicJgA_3dE5ArrayIfLi2E1C7mutable7alignedEx5ArrayIfLi3E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedEbb5ArrayIfLi3E1C7mutable7alignedE,@function
cfunc._ZN1m13_lookup_blendB2v1B102c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDY_2faIoicJgA_3dE5ArrayIfLi2E1C7mutable7alignedEx5ArrayIfLi3E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedEbb5ArrayIfLi3E1C7mutable7alignedE:
	.cfi_startproc
	pushq	%r15
	.cfi_def_cfa_offset 16
	pushq	%r14
	.cfi_def_cfa_offset 24
	pushq	%rbx
	.cfi_def_cfa_offset 32
	subq	$336, %rsp
	.cfi_def_cfa_offset 368
	.cfi_offset %rbx, -32
	.cfi_offset %r14, -24
	.cfi_offset %r15, -16
	movq	656(%rsp), %rdx
	vmovups	608(%rsp), %ymm4
	vmovaps	640(%rsp), %xmm5
	vmovups	520(%rsp), %ymm3
	vmovups	368(%rsp), %ymm0
	vmovups	432(%rsp), %ymm1
	vmovaps	464(%rsp), %xmm2
	movq	$0, 328(%rsp)
	movq	$0, 320(%rsp)
	movq	480(%rsp), %rax
	movq	552(%rsp), %rcx
	leaq	328(%rsp), %rdi
	leaq	320(%rsp), %rsi
	movq	%rdx, 304(%rsp)
	movzbl	568(%rsp), %edx
	vmovups	%xmm5, 288(%rsp)
	vmovups	%ymm4, 256(%rsp)
	movq	%rcx, 200(%rsp)
	andl	$1, %edx
	movl	%edx, 216(%rsp)
	movzbl	560(%rsp), %edx
	andl	$1, %edx
	movl	%edx, 208(%rsp)
	vmovups	%ymm3, 168(%rsp)
	movq	%rax, 128(%rsp)
	movabsq	$_ZN1m13_lookup_blendB2v1B102c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDY_2faIoicJgA_3dE5ArrayIfLi2E1C7mutable7alignedEx5ArrayIfLi3E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedEbb5ArrayIfLi3E1C7mutable7alignedE, %rax
	vmovups	%xmm2, 112(%rsp)
	vmovups	%ymm1, 80(%rsp)
	vmovups	%ymm0, 16(%rsp)
	movq	%r9, 8(%rsp)
	movq	%r8, (%rsp)
	vzeroupper
	callq	*%rax
	movl	%eax, %ecx
	movq	320(%rsp), %rbx
	movq	328(%rsp), %rax
	movl	$0, 316(%rsp)
	testl	%ecx, %ecx
	jne	.LBB2_1
.LBB2_7:
	addq	$336, %rsp
	.cfi_def_cfa_offset 32
	popq	%rbx
	.cfi_def_cfa_offset 24
	popq	%r14
	.cfi_def_cfa_offset 16
	popq	%r15
	.cfi_def_cfa_offset 8
	retq
.LBB2_1:
	.cfi_def_cfa_offset 368
	movabsq	$numba_gil_ensure, %r14
	leaq	316(%rsp), %rdi
	movq	%rax, %r15
	callq	*%r14
	movabsq	$PyErr_Clear, %rax
	callq	*%rax
	movl	8(%rbx), %esi
	movq	(%rbx), %rdi
	cmpl	$0, 32(%rbx)
	jle	.LBB2_4
	movslq	%esi, %rsi
	movabsq	$PyBytes_FromStringAndSize, %rax
	callq	*%rax
	movq	16(%rbx), %rdi
	movq	%rax, %r14
	callq	*24(%rbx)
	testq	%rax, %rax
	je	.LBB2_3
	movabsq	$numba_runtime_build_excinfo_struct, %rcx
	movq	%r14, %rdi
	movq	%rax, %rsi
	callq	*%rcx
	movq	%rax, %r14
	movabsq	$NRT_Free, %rax
	movq	%rbx, %rdi
	callq	*%rax
	jmp	.LBB2_5
.LBB2_4:
	movq	16(%rbx), %rdx
	movabsq	$numba_unpickle, %rax
	callq	*%rax
	movq	%rax, %r14
.LBB2_5:
	testq	%r14, %r14
	je	.LBB2_6
	movabsq	$numba_do_raise, %rax
	movq	%r14, %rdi
	callq	*%rax
.LBB2_6:
	movabsq	$".const.<numba.core.cpu.CPUContext>", %rdi
	movabsq	$PyUnicode_FromString, %rax
	callq	*%rax
	movabsq	$PyErr_WriteUnraisable, %r14
	movq	%rax, %rbx
	movq	%rbx, %rdi
	callq	*%r14
	movabsq	$Py_DecRef, %rax
	movq	%rbx, %rdi
	callq	*%rax
	movabsq	$numba_gil_release, %rax
	leaq	316(%rsp), %rdi
	callq	*%rax
	movq	%r15, %rax
	jmp	.LBB2_7
.LBB2_3:
	movabsq	$PyExc_RuntimeError, %rdi
	movabsq	$".const.Error creating Python tuple from runtime exception arguments.1", %rsi
	movabsq	$PyErr_SetString, %rax
	callq	*%rax
	xorl	%eax, %eax
	jmp	.LBB2_7
.Lfunc_end2:
	.size	cfunc._ZN1m13_lookup_blendB2v1B102c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDY_2faIoicJgA_3dE5ArrayIfLi2E1C7mutable7alignedEx5ArrayIfLi3E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedEbb5ArrayIfLi3E1C7mutable7alignedE, .Lfunc_end2-cfunc._ZN1m13_lookup_blendB2v1B102c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDY_2faIoicJgA_3dE5ArrayIfLi2E1C7mutable7alignedEx5ArrayIfLi3E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedEbb5ArrayIfLi3E1C7mutable7alignedE
	.cfi_endproc

	.weak	__gufunc__._ZN13_3cdynamic_3e36__numba_parfor_gufunc_0x7f6d5a5b81d0B2v9B114c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDYswpLiwBbsD6JwiiHJNAA_3d_3dE5ArrayIyLi1E1C7mutable7alignedExxbb5ArrayIfLi3E1C7mutable7alignedEx5ArrayIfLi2E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedE5ArrayIfLi3E1C7mutable7alignedExxd
	.p2align	4
	.type	__gufunc__._ZN13_3cdynamic_3e36__numba_parfor_gufunc_0x7f6d5a5b81d0B2v9B114c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDYswpLiwBbsD6JwiiHJNAA_3d_3dE5ArrayIyLi1E1C7mutable7alignedExxbb5ArrayIfLi3E1C7mutable7alignedEx5ArrayIfLi2E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedE5ArrayIfLi3E1C7mutable7alignedExxd,@function
__gufunc__._ZN13_3cdynamic_3e36__numba_parfor_gufunc_0x7f6d5a5b81d0B2v9B114c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDYswpLiwBbsD6JwiiHJNAA_3d_3dE5ArrayIyLi1E1C7mutable7alignedExxbb5ArrayIfLi3E1C7mutable7alignedEx5ArrayIfLi2E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedE5ArrayIfLi3E1C7mutable7alignedExxd:
	.cfi_startproc
	pushq	%rbp
	.cfi_def_cfa_offset 16
	pushq	%r15
	.cfi_def_cfa_offset 24
	pushq	%r14
	.cfi_def_cfa_offset 32
	pushq	%r13
	.cfi_def_cfa_offset 40
	pushq	%r12
	.cfi_def_cfa_offset 48
	pushq	%rbx
	.cfi_def_cfa_offset 56
	subq	$808, %rsp
	.cfi_def_cfa_offset 864
	.cfi_offset %rbx, -56
	.cfi_offset %r12, -48
	.cfi_offset %r13, -40
	.cfi_offset %r14, -32
	.cfi_offset %r15, -24
	.cfi_offset %rbp, -16
	movq	(%rdx), %rbp
	movq	8(%rsi), %rcx
	movq	(%rsi), %rax
	movq	24(%rdi), %r11
	movq	32(%rdi), %rbx
	movq	40(%rdi), %r15
	movq	48(%rdi), %r8
	movq	56(%rdi), %r12
	movq	64(%rdi), %r13
	movq	72(%rdi), %r14
	movq	80(%rdi), %r9
	movq	88(%rdi), %r10
	movq	%rbp, 632(%rsp)
	movq	8(%rdx), %rbp
	movq	%rcx, 728(%rsp)
	movq	16(%rsi), %rcx
	movq	%rbp, 624(%rsp)
	movq	104(%rdx), %rbp
	movq	%rcx, 480(%rsp)
	movq	24(%rsi), %rcx
	movq	%rbp, 720(%rsp)
	movq	16(%rdx), %rbp
	movq	%rcx, 472(%rsp)
	movq	32(%rsi), %rcx
	movq	%rbp, 616(%rsp)
	movq	24(%rdx), %rbp
	movq	%rcx, 464(%rsp)
	movq	40(%rsi), %rcx
	movq	%rbp, 608(%rsp)
	movq	32(%rdx), %rbp
	movq	%rcx, 456(%rsp)
	movq	48(%rsi), %rcx
	movq	%rbp, 600(%rsp)
	movq	40(%rdx), %rbp
	movq	%rcx, 448(%rsp)
	movq	56(%rsi), %rcx
	movq	%rbp, 592(%rsp)
	movq	112(%rdx), %rbp
	movq	%rcx, 440(%rsp)
	movq	64(%rsi), %rcx
	movq	%rbp, 712(%rsp)
	movq	120(%rdx), %rbp
	movq	%rcx, 432(%rsp)
	movq	72(%rsi), %rcx
	movq	%rbp, 704(%rsp)
	movq	128(%rdx), %rbp
	movq	%rcx, 424(%rsp)
	movq	80(%rsi), %rcx
	movq	%rbp, 696(%rsp)
	movq	48(%rdx), %rbp
	movq	%rcx, 416(%rsp)
	movq	88(%rsi), %rcx
	movq	16(%rdi), %rsi
	movq	%rbp, 584(%rsp)
	movq	56(%rdx), %rbp
	movq	%rcx, 408(%rsp)
	movq	(%rdi), %rcx
	movq	%rbp, 576(%rsp)
	movq	136(%rdx), %rbp
	movq	%rcx, 488(%rsp)
	movq	8(%rdi), %rcx
	movq	96(%rdi), %rdi
	movq	%rbp, 688(%rsp)
	movq	144(%rdx), %rbp
	movq	%rbp, 680(%rsp)
	movq	64(%rdx), %rbp
	movq	%rbp, 568(%rsp)
	movq	152(%rdx), %rbp
	movq	%rbp, 672(%rsp)
	movq	160(%rdx), %rbp
	movq	%rbp, 664(%rsp)
	movq	72(%rdx), %rbp
	movq	%rbp, 560(%rsp)
	movq	168(%rdx), %rbp
	movq	%rbp, 656(%rsp)
	movq	176(%rdx), %rbp
	movq	%rbp, 648(%rsp)
	movq	184(%rdx), %rbp
	movq	%rbp, 640(%rsp)
	movq	80(%rdx), %rbp
	movq	%rbp, 552(%rsp)
	movq	88(%rdx), %rbp
	movq	96(%rdx), %rdx
	movq	$0, 496(%rsp)
	movl	$0, 404(%rsp)
	movq	%rbp, 544(%rsp)
	movq	%rdx, 536(%rsp)
	testq	%rax, %rax
	jle	.LBB3_7
	movq	472(%rsp), %rbp
	movq	416(%rsp), %rdx
	imulq	480(%rsp), %rbp
	imulq	424(%rsp), %rdx
	imulq	464(%rsp), %rbp
	imulq	408(%rsp), %rdx
	movq	%rbp, 528(%rsp)
	movq	448(%rsp), %rbp
	movq	%rdx, 504(%rsp)
	imulq	456(%rsp), %rbp
	movq	%rbp, 520(%rsp)
	movq	432(%rsp), %rbp
	imulq	440(%rsp), %rbp
	movq	%rbp, 512(%rsp)
	.p2align	4
.LBB3_2:
	movq	%rdi, %rbp
	movq	%r8, 760(%rsp)
	movq	(%r8), %rdi
	movq	%r9, 776(%rsp)
	movq	(%r9), %r8
	movq	(%r10), %r9
	movq	%rax, 792(%rsp)
	movq	%rsi, 744(%rsp)
	movq	%rcx, 768(%rsp)
	movq	(%rcx), %rax
	movq	(%rsi), %rcx
	vmovsd	(%rbp), %xmm0
	movzbl	(%r11), %edx
	movzbl	(%rbx), %esi
	movq	%r10, 752(%rsp)
	movq	648(%rsp), %r10
	movq	%r14, 736(%rsp)
	movq	%r14, 328(%rsp)
	movq	%rbp, 784(%rsp)
	vxorps	%xmm1, %xmm1, %xmm1
	movq	%rbx, %r14
	movq	%r11, %rbx
	movq	%r9, 392(%rsp)
	movq	640(%rsp), %r9
	movq	%r10, 368(%rsp)
	movq	408(%rsp), %r10
	movq	%r8, 384(%rsp)
	movq	%r9, 376(%rsp)
	movq	656(%rsp), %r9
	movq	%r10, 352(%rsp)
	movq	424(%rsp), %r10
	movq	%r9, 360(%rsp)
	movq	416(%rsp), %r9
	movq	%r10, 336(%rsp)
	movq	%r9, 344(%rsp)
	movq	504(%rsp), %r9
	movq	%r9, 312(%rsp)
	vmovups	%xmm1, 296(%rsp)
	movq	%r13, 256(%rsp)
	movq	672(%rsp), %r10
	movq	432(%rsp), %r9
	movq	664(%rsp), %r8
	movq	%r10, 280(%rsp)
	movq	%r9, 272(%rsp)
	movq	440(%rsp), %r10
	movq	512(%rsp), %r9
	movq	%r8, 288(%rsp)
	movq	%r10, 264(%rsp)
	movq	%r9, 240(%rsp)
	vmovups	%xmm1, 224(%rsp)
	movq	%r12, 184(%rsp)
	movq	688(%rsp), %r10
	movq	448(%rsp), %r9
	movq	680(%rsp), %r8
	movq	%r10, 208(%rsp)
	movq	%r9, 200(%rsp)
	movq	456(%rsp), %r10
	movq	520(%rsp), %r9
	movq	%r8, 216(%rsp)
	movq	%r10, 192(%rsp)
	movq	%r9, 168(%rsp)
	vmovups	%xmm1, 152(%rsp)
	movq	%rdi, 144(%rsp)
	movq	%r15, 88(%rsp)
	movq	704(%rsp), %r9
	movq	712(%rsp), %r8
	movq	696(%rsp), %rdi
	movq	%r9, 128(%rsp)
	movq	%r8, 120(%rsp)
	movq	464(%rsp), %r9
	movq	472(%rsp), %r8
	movq	%rdi, 136(%rsp)
	leaq	800(%rsp), %rdi
	movq	%r9, 112(%rsp)
	movq	%r8, 104(%rsp)
	movq	480(%rsp), %r9
	movq	528(%rsp), %r8
	movq	%r9, 96(%rsp)
	movq	%r8, 72(%rsp)
	vmovups	%xmm1, 56(%rsp)
	movq	%rax, 24(%rsp)
	movl	%esi, 48(%rsp)
	movl	$8, %r9d
	leaq	496(%rsp), %rsi
	movl	%edx, 40(%rsp)
	movq	%rcx, 32(%rsp)
	movq	$4, 320(%rsp)
	movq	$4, 248(%rsp)
	movq	$4, 176(%rsp)
	movq	$4, 80(%rsp)
	xorl	%edx, %edx
	xorl	%ecx, %ecx
	movq	720(%rsp), %rax
	movq	728(%rsp), %r8
	movq	488(%rsp), %rbp
	movq	%rax, 16(%rsp)
	movabsq	$_ZN13_3cdynamic_3e36__numba_parfor_gufunc_0x7f6d5a5b81d0B2v9B114c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDYswpLiwBbsD6JwiiHJNAA_3d_3dE5ArrayIyLi1E1C7mutable7alignedExxbb5ArrayIfLi3E1C7mutable7alignedEx5ArrayIfLi2E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedE5ArrayIfLi3E1C7mutable7alignedExxd, %rax
	movq	%r8, 8(%rsp)
	movq	%rbp, (%rsp)
	callq	*%rax
	testl	%eax, %eax
	jne	.LBB3_3
	movq	768(%rsp), %rcx
	movq	744(%rsp), %rsi
	movq	760(%rsp), %r8
	movq	736(%rsp), %r9
	movq	776(%rsp), %rdx
	movq	752(%rsp), %r10
	movq	784(%rsp), %rdi
	movq	792(%rsp), %rax
	addq	632(%rsp), %rbp
	addq	608(%rsp), %rbx
	addq	600(%rsp), %r14
	addq	592(%rsp), %r15
	addq	576(%rsp), %r12
	addq	568(%rsp), %r13
	addq	624(%rsp), %rcx
	addq	616(%rsp), %rsi
	addq	584(%rsp), %r8
	addq	560(%rsp), %r9
	addq	552(%rsp), %rdx
	addq	544(%rsp), %r10
	addq	536(%rsp), %rdi
	decq	%rax
	movq	%rbx, %r11
	movq	%r14, %rbx
	movq	%rbp, 488(%rsp)
	movq	%r9, %r14
	movq	%rdx, %r9
	jne	.LBB3_2
	jmp	.LBB3_7
.LBB3_3:
	movq	496(%rsp), %rbx
	movabsq	$numba_gil_ensure, %rax
	leaq	404(%rsp), %rdi
	callq	*%rax
	movabsq	$PyErr_Clear, %rax
	callq	*%rax
	movl	8(%rbx), %esi
	movq	(%rbx), %rdi
	cmpl	$0, 32(%rbx)
	jle	.LBB3_8
	movslq	%esi, %rsi
	movabsq	$PyBytes_FromStringAndSize, %rax
	callq	*%rax
	movq	16(%rbx), %rdi
	movq	%rax, %r14
	callq	*24(%rbx)
	testq	%rax, %rax
	je	.LBB3_5
	movabsq	$numba_runtime_build_excinfo_struct, %rcx
	movq	%r14, %rdi
	movq	%rax, %rsi
	callq	*%rcx
	movabsq	$NRT_Free, %r15
	movq	%rbx, %rdi
	movq	%rax, %r14
	callq	*%r15
	testq	%r14, %r14
	je	.LBB3_6
.LBB3_10:
	movabsq	$numba_do_raise, %rax
	movq	%r14, %rdi
	callq	*%rax
.LBB3_6:
	movabsq	$numba_gil_release, %rax
	leaq	404(%rsp), %rdi
	callq	*%rax
.LBB3_7:
	addq	$808, %rsp
	.cfi_def_cfa_offset 56
	popq	%rbx
	.cfi_def_cfa_offset 48
	popq	%r12
	.cfi_def_cfa_offset 40
	popq	%r13
	.cfi_def_cfa_offset 32
	popq	%r14
	.cfi_def_cfa_offset 24
	popq	%r15
	.cfi_def_cfa_offset 16
	popq	%rbp
	.cfi_def_cfa_offset 8
	retq
.LBB3_8:
	.cfi_def_cfa_offset 864
	movq	16(%rbx), %rdx
	movabsq	$numba_unpickle, %rax
	callq	*%rax
	movq	%rax, %r14
	testq	%r14, %r14
	jne	.LBB3_10
	jmp	.LBB3_6
.LBB3_5:
	movabsq	$PyExc_RuntimeError, %rdi
	movabsq	$".const.Error creating Python tuple from runtime exception arguments.5", %rsi
	movabsq	$PyErr_SetString, %rax
	callq	*%rax
	jmp	.LBB3_7
.Lfunc_end3:
	.size	__gufunc__._ZN13_3cdynamic_3e36__numba_parfor_gufunc_0x7f6d5a5b81d0B2v9B114c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDYswpLiwBbsD6JwiiHJNAA_3d_3dE5ArrayIyLi1E1C7mutable7alignedExxbb5ArrayIfLi3E1C7mutable7alignedEx5ArrayIfLi2E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedE5ArrayIfLi3E1C7mutable7alignedExxd, .Lfunc_end3-__gufunc__._ZN13_3cdynamic_3e36__numba_parfor_gufunc_0x7f6d5a5b81d0B2v9B114c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDYswpLiwBbsD6JwiiHJNAA_3d_3dE5ArrayIyLi1E1C7mutable7alignedExxbb5ArrayIfLi3E1C7mutable7alignedEx5ArrayIfLi2E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedE5ArrayIfLi3E1C7mutable7alignedExxd
	.cfi_endproc

	.section	.rodata,"a",@progbits
	.p2align	6, 0x0
.LCPI4_0:
	.quad	0
	.quad	1
	.quad	2
	.quad	3
	.quad	4
	.quad	5
	.quad	6
	.quad	7
	.section	.rodata.cst4,"aM",@progbits,4
	.p2align	2, 0x0
.LCPI4_1:
	.long	0x3f800000
	.section	.rodata.cst8,"aM",@progbits,8
	.p2align	3, 0x0
.LCPI4_2:
	.quad	0x3ff0000000000000
.LCPI4_3:
	.quad	4
.LCPI4_4:
	.quad	-4
.LCPI4_5:
	.quad	-5
.LCPI4_6:
	.quad	5
.LCPI4_7:
	.quad	-2
.LCPI4_8:
	.quad	-6
.LCPI4_9:
	.quad	6
.LCPI4_10:
	.quad	8
	.section	.ltext,"axl",@progbits
	.weak	_ZN13_3cdynamic_3e36__numba_parfor_gufunc_0x7f6d5a5b81d0B2v9B114c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDYswpLiwBbsD6JwiiHJNAA_3d_3dE5ArrayIyLi1E1C7mutable7alignedExxbb5ArrayIfLi3E1C7mutable7alignedEx5ArrayIfLi2E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedE5ArrayIfLi3E1C7mutable7alignedExxd
	.p2align	4
	.type	_ZN13_3cdynamic_3e36__numba_parfor_gufunc_0x7f6d5a5b81d0B2v9B114c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDYswpLiwBbsD6JwiiHJNAA_3d_3dE5ArrayIyLi1E1C7mutable7alignedExxbb5ArrayIfLi3E1C7mutable7alignedEx5ArrayIfLi2E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedE5ArrayIfLi3E1C7mutable7alignedExxd,@function
_ZN13_3cdynamic_3e36__numba_parfor_gufunc_0x7f6d5a5b81d0B2v9B114c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDYswpLiwBbsD6JwiiHJNAA_3d_3dE5ArrayIyLi1E1C7mutable7alignedExxbb5ArrayIfLi3E1C7mutable7alignedEx5ArrayIfLi2E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedE5ArrayIfLi3E1C7mutable7alignedExxd:
	.cfi_startproc
	pushq	%rbp
	.cfi_def_cfa_offset 16
	pushq	%r15
	.cfi_def_cfa_offset 24
	pushq	%r14
	.cfi_def_cfa_offset 32
	pushq	%r13
	.cfi_def_cfa_offset 40
	pushq	%r12
	.cfi_def_cfa_offset 48
	pushq	%rbx
	.cfi_def_cfa_offset 56
	subq	$7080, %rsp
	.cfi_def_cfa_offset 7136
	.cfi_offset %rbx, -56
	.cfi_offset %r12, -48
	.cfi_offset %r13, -40
	.cfi_offset %r14, -32
	.cfi_offset %r15, -24
	.cfi_offset %rbp, -16
	movq	7192(%rsp), %r12
	movq	7432(%rsp), %r13
	movq	7360(%rsp), %r15
	movq	7288(%rsp), %r14
	movq	7136(%rsp), %rbx
	movabsq	$NRT_incref, %rbp
	movq	%rdi, 160(%rsp)
	vmovdqa	%xmm0, 464(%rsp)
	movq	%rsi, 152(%rsp)
	movq	$0, 936(%rsp)
	movq	%r12, %rdi
	callq	*%rbp
	movq	%r14, %rdi
	callq	*%rbp
	movq	%r15, %rdi
	callq	*%rbp
	movq	%r13, %rdi
	callq	*%rbp
	movq	(%rbx), %rsi
	movq	8(%rbx), %rcx
	movabsq	$9223372036854775744, %rax
	addq	$63, %rax
	subq	%rsi, %rcx
	movq	%rcx, 48(%rsp)
	cmpq	%rax, %rcx
	jae	.LBB4_162
	movq	7248(%rsp), %r8
	vbroadcastsd	464(%rsp), %zmm3
	movq	7240(%rsp), %r9
	movq	7520(%rsp), %rax
	movq	7488(%rsp), %rcx
	movq	7480(%rsp), %rdx
	movq	7464(%rsp), %r15
	movq	7280(%rsp), %rdi
	movq	7528(%rsp), %rbp
	movq	7336(%rsp), %r14
	incq	48(%rsp)
	movq	%r8, %r10
	imulq	%r9, %r10
	shlq	$2, %r9
	movq	%r8, %rbx
	negq	%rbx
	movq	%rcx, %r11
	imulq	%rdx, %r11
	shlq	$2, %rdx
	vpbroadcastq	%rdi, %zmm4
	vpbroadcastq	%r8, %zmm0
	movq	7328(%rsp), %rdi
	movq	%r9, 248(%rsp)
	movq	7224(%rsp), %r9
	movq	%rbx, 424(%rsp)
	movq	%rcx, %rbx
	negq	%rbx
	movq	%rdx, 256(%rsp)
	movq	7408(%rsp), %rdx
	vmovdqu64	%zmm4, 736(%rsp)
	vpbroadcastq	%rbp, %zmm4
	vmovdqu64	%zmm0, 864(%rsp)
	movq	%rbx, 416(%rsp)
	vmovdqu64	%zmm4, 608(%rsp)
	movq	%r10, 240(%rsp)
	leaq	(,%r10,4), %r10
	movq	%r11, 232(%rsp)
	vmovups	%zmm3, 800(%rsp)
	vpbroadcastq	%rax, %zmm3
	movabsq	$.LCPI4_1, %rax
	vmovss	(%rax), %xmm2
	movabsq	$.LCPI4_2, %rax
	vmovdqu64	%zmm3, 672(%rsp)
	vpbroadcastq	%r14, %zmm3
	movq	%r10, 184(%rsp)
	vmovq	(%rax), %xmm1
	leaq	(%r9,%r8,4), %rbx
	leaq	(%r9,%r8,8), %r8
	leaq	28(%r15), %rax
	leaq	(,%rdx,4), %rdx
	vmovdqu64	%zmm3, 544(%rsp)
	movq	%rax, 64(%rsp)
	movq	%rbx, 224(%rsp)
	leaq	(%r15,%rcx,4), %rbx
	leaq	(%r15,%rcx,8), %rcx
	movq	%r8, 208(%rsp)
	leaq	(,%r11,4), %r8
	movq	%rdx, 128(%rsp)
	movq	%rcx, 200(%rsp)
	leaq	192(%r9), %rcx
	movq	%r8, 192(%rsp)
	leaq	192(%r15), %r8
	movq	%rbx, 216(%rsp)
	movq	%rcx, 176(%rsp)
	leaq	28(%r9), %rcx
	movq	%r8, 72(%rsp)
	movq	%rcx, 168(%rsp)
	movabsq	$9223372036854775744, %rcx
	leaq	64(%rcx), %rax
	vmovss	%xmm2, 44(%rsp)
	vmovq	%xmm1, 112(%rsp)
	movq	%rax, 408(%rsp)
	jmp	.LBB4_3
	.p2align	4
.LBB4_2:
	movq	48(%rsp), %rax
	movq	104(%rsp), %rbx
	movq	7360(%rsp), %rdi
	movabsq	$NRT_decref, %r13
	decq	%rax
	incq	%rbx
	movq	%rax, (%rsp)
	vzeroupper
	callq	*%r13
	movq	7288(%rsp), %rdi
	callq	*%r13
	movq	7432(%rsp), %r15
	movq	%r15, %rdi
	callq	*%r13
	movq	7192(%rsp), %r12
	movq	%r12, %rdi
	callq	*%r13
	movq	%r15, %rdi
	callq	*%r13
	movq	%r12, %rdi
	callq	*%r13
	movq	%r15, %rdi
	callq	*%r13
	movq	%r12, %rdi
	callq	*%r13
	cmpq	$1, 48(%rsp)
	movq	(%rsp), %rax
	movq	7328(%rsp), %rdi
	movq	%rbx, %rsi
	movq	%rax, 48(%rsp)
	jle	.LBB4_162
.LBB4_3:
	movq	7168(%rsp), %r8
	movq	%rsi, %rdx
	testq	%r8, %r8
	movq	%r8, %rcx
	notq	%rcx
	setne	%al
	xorq	408(%rsp), %rdx
	orq	%rcx, %rdx
	setne	%r9b
	andb	%al, %r9b
	movb	%r9b, (%rsp)
	je	.LBB4_11
	movq	%rsi, %rcx
	orq	%r8, %rcx
	movq	%rcx, %rax
	shrq	$32, %rax
	je	.LBB4_8
	movabsq	$-4294967296, %rdx
	testq	%rdx, %rcx
	je	.LBB4_8
	testq	%rax, %rax
	je	.LBB4_8
	movq	%rsi, %rax
	cqto
	idivq	%r8
	movq	%rax, %r15
	jmp	.LBB4_9
	.p2align	4
.LBB4_8:
	movl	%esi, %eax
	xorl	%edx, %edx
	divl	%r8d
	movl	%eax, %r15d
.LBB4_9:
	movq	%rdx, %rax
	xorq	%r8, %rax
	sets	%al
	testq	%rdx, %rdx
	setne	%cl
	andb	%al, %cl
	movzbl	%cl, %eax
	subq	%rax, %r15
	movq	%rsi, 104(%rsp)
	cmpq	$1, %rdi
	jne	.LBB4_12
.LBB4_10:
	xorl	%ebx, %ebx
	jmp	.LBB4_13
.LBB4_11:
	xorl	%r15d, %r15d
	movq	%rsi, 104(%rsp)
	cmpq	$1, %rdi
	je	.LBB4_10
	.p2align	4
.LBB4_12:
	movq	%r15, %rbx
	sarq	$63, %rbx
	andq	%rdi, %rbx
	addq	%r15, %rbx
	imulq	%r14, %rbx
.LBB4_13:
	movq	7288(%rsp), %rdi
	movabsq	$NRT_incref, %r13
	vzeroupper
	callq	*%r13
	movq	%r12, %rdi
	callq	*%r13
	movq	%r12, %rdi
	callq	*%r13
	movq	%r12, %rdi
	callq	*%r13
	movq	7432(%rsp), %r12
	movq	%r12, %rdi
	callq	*%r13
	movq	%r12, %rdi
	callq	*%r13
	movq	%r12, %rdi
	callq	*%r13
	cmpb	$0, 7184(%rsp)
	movq	7360(%rsp), %rdi
	movl	$0, %eax
	movq	%r15, %rcx
	cmoveq	%rax, %rcx
	movq	%rcx, 16(%rsp)
	callq	*%r13
	vmovapd	464(%rsp), %xmm24
	vmovdqu64	864(%rsp), %zmm27
	vmovupd	800(%rsp), %zmm26
	vmovdqu64	736(%rsp), %zmm31
	vmovdqu64	672(%rsp), %zmm29
	vmovdqu64	608(%rsp), %zmm20
	vmovdqu64	544(%rsp), %zmm30
	vmovss	44(%rsp), %xmm11
	vmovq	112(%rsp), %xmm12
	cmpb	$0, (%rsp)
	movq	7248(%rsp), %r8
	movl	$0, %r12d
	movabsq	$.LCPI4_2, %r13
	vxorps	%xmm16, %xmm16, %xmm16
	je	.LBB4_20
	movq	104(%rsp), %rax
	movq	7168(%rsp), %rsi
	movq	%rax, %rcx
	orq	%rsi, %rcx
	movq	%rcx, %rdx
	shrq	$32, %rdx
	je	.LBB4_18
	movabsq	$-4294967296, %rdi
	testq	%rdi, %rcx
	je	.LBB4_18
	testq	%rdx, %rdx
	je	.LBB4_18
	cqto
	idivq	%rsi
	jmp	.LBB4_19
	.p2align	4
.LBB4_18:
	xorl	%edx, %edx
	divl	%esi
.LBB4_19:
	movq	%rdx, %r12
	xorq	%rsi, %r12
	sarq	$63, %r12
	andq	%rsi, %r12
	testq	%rdx, %rdx
	cmoveq	%rdx, %r12
	addq	%rdx, %r12
	shlq	$14, %r12
.LBB4_20:
	movq	7160(%rsp), %rax
	leaq	16384(%r12), %rcx
	cmpq	%rcx, %rax
	cmovlq	%rax, %rcx
	movq	%rcx, 120(%rsp)
	subq	%r12, %rcx
	movq	%rcx, 80(%rsp)
	testq	%rcx, %rcx
	jle	.LBB4_2
	xorl	%eax, %eax
	cmpb	$0, 120(%rsp)
	movq	80(%rsp), %rcx
	setne	%al
	shrq	$8, %rcx
	addq	%rcx, %rax
	movq	%rax, 440(%rsp)
	je	.LBB4_2
	movq	%r15, %r11
	sarq	$63, %r11
	movq	%r15, %rax
	movq	7224(%rsp), %r10
	movq	224(%rsp), %rdi
	movq	208(%rsp), %rsi
	movq	%r11, %r15
	andq	7232(%rsp), %r15
	andq	7472(%rsp), %r11
	addq	%rax, %r15
	addq	%rax, %r11
	movq	7320(%rsp), %rax
	movq	%r15, %rcx
	imulq	240(%rsp), %rcx
	movq	%r11, %rdx
	imulq	232(%rsp), %rdx
	leaq	(%rax,%rbx,4), %r9
	movq	%r11, %rbx
	imulq	192(%rsp), %r11
	imulq	256(%rsp), %rbx
	leaq	(%r10,%rcx,4), %rax
	movq	7392(%rsp), %r10
	movq	%rax, (%rsp)
	leaq	(%rdi,%rcx,4), %rax
	movq	%rax, 32(%rsp)
	leaq	(%rsi,%rcx,4), %rax
	movq	7464(%rsp), %rsi
	movq	%rax, 24(%rsp)
	leaq	(%rsi,%rdx,4), %rcx
	movq	216(%rsp), %rsi
	movq	%rcx, 96(%rsp)
	movq	200(%rsp), %rcx
	leaq	(%rsi,%rdx,4), %rax
	leaq	8(%rbx), %rsi
	addq	$4, %rbx
	movq	%rax, 88(%rsp)
	leaq	(%rcx,%rdx,4), %rax
	movq	16(%rsp), %rdx
	movq	%rax, 144(%rsp)
	movq	%rdx, %rcx
	sarq	$63, %rcx
	andq	7400(%rsp), %rcx
	addq	%rdx, %rcx
	movq	%rcx, %rdx
	imulq	128(%rsp), %rcx
	imulq	7408(%rsp), %rdx
	addq	%r10, %rcx
	leaq	(%r10,%rdx,4), %rax
	movq	%r15, %rdx
	imulq	184(%rsp), %r15
	imulq	248(%rsp), %rdx
	leaq	(%rcx,%r12,4), %rcx
	movq	%rax, 432(%rsp)
	movq	7488(%rsp), %rax
	movq	%rcx, 136(%rsp)
	movq	72(%rsp), %rcx
	imulq	%rax, %rbx
	leaq	8(%rdx), %rdi
	addq	$4, %rdx
	imulq	%rax, %rsi
	movzbl	7176(%rsp), %eax
	leaq	(%rcx,%r11), %r10
	imulq	%r8, %rdx
	imulq	%r8, %rdi
	movq	%r10, 304(%rsp)
	movq	64(%rsp), %r10
	addq	%r11, %r10
	addq	7464(%rsp), %r11
	movq	%r10, 352(%rsp)
	movq	176(%rsp), %r10
	movq	%r11, 400(%rsp)
	leaq	(%r10,%r15), %r11
	movq	%r11, 296(%rsp)
	movq	168(%rsp), %r11
	leaq	(%r11,%r15), %rcx
	addq	7224(%rsp), %r15
	movq	%rcx, 344(%rsp)
	movq	72(%rsp), %rcx
	movq	%r15, 392(%rsp)
	movq	64(%rsp), %r15
	addq	%rbx, %rcx
	movq	%rcx, 288(%rsp)
	leaq	(%r15,%rbx), %rcx
	movq	7464(%rsp), %r15
	movq	%rcx, 336(%rsp)
	leaq	(%r10,%rdx), %rcx
	addq	%rdi, %r10
	movq	%rcx, 280(%rsp)
	movq	72(%rsp), %rcx
	movq	%r10, 264(%rsp)
	addq	%r15, %rbx
	movq	%rbx, 384(%rsp)
	leaq	(%r11,%rdx), %rbx
	addq	%rsi, %rcx
	movq	%rbx, 328(%rsp)
	movq	7224(%rsp), %rbx
	movq	%rcx, 272(%rsp)
	movq	64(%rsp), %rcx
	addq	%rbx, %rdx
	addq	%rsi, %rcx
	addq	%r15, %rsi
	movq	%rdx, 368(%rsp)
	xorl	%edx, %edx
	movq	%rcx, 320(%rsp)
	movq	80(%rsp), %rcx
	movq	%rsi, 376(%rsp)
	leaq	(%r11,%rdi), %rsi
	addq	%rbx, %rdi
	movq	%rsi, 312(%rsp)
	movq	%rdi, 360(%rsp)
	jmp	.LBB4_24
	.p2align	4
.LBB4_23:
	movq	448(%rsp), %rdx
	movq	456(%rsp), %rcx
	addq	$1024, 136(%rsp)
	addq	$256, %r12
	incq	%rdx
	addq	$-256, %rcx
	cmpq	440(%rsp), %rdx
	je	.LBB4_2
.LBB4_24:
	movq	80(%rsp), %r15
	cmpq	$256, %rcx
	movl	$256, %ebx
	movq	%rcx, 456(%rsp)
	movq	%rdx, 448(%rsp)
	movq	%r12, 16(%rsp)
	cmovlq	%rcx, %rbx
	movq	%rdx, %rcx
	shlq	$8, %rcx
	subq	%rcx, %r15
	movl	$256, %ecx
	cmpq	$256, %r15
	cmovgeq	%rcx, %r15
	movq	120(%rsp), %rcx
	subq	%r12, %rcx
	cmpb	$0, 7184(%rsp)
	je	.LBB4_32
	movq	7408(%rsp), %r11
	cmpq	$256, %rcx
	movl	$256, %edx
	movq	%r12, %rsi
	cmovlq	%rcx, %rdx
	sarq	$63, %rsi
	andq	%r11, %rsi
	addq	%r12, %rsi
	movq	%rsi, %rdi
	js	.LBB4_133
	cmpq	%r11, %rsi
	jge	.LBB4_134
.LBB4_27:
	addq	%r12, %rdx
	movq	%rdx, %r10
	sarq	$63, %r10
	andq	%r11, %r10
	addq	%rdx, %r10
	movq	%r10, %rsi
	js	.LBB4_135
	cmpq	%r11, %r10
	jge	.LBB4_136
.LBB4_29:
	subq	%rdi, %rsi
	movl	$0, %r10d
	testq	%rsi, %rsi
	cmovleq	%r10, %rsi
	movq	432(%rsp), %r10
	setle	%r11b
	leaq	(%r10,%rdi,4), %rdi
	xorl	%r10d, %r10d
	.p2align	4
.LBB4_30:
	testb	$1, %r11b
	jne	.LBB4_60
	vmovss	(%rdi,%r10,4), %xmm0
	leaq	1(%r10), %r12
	movl	$0, %r10d
	cmpq	%rsi, %r12
	cmovlq	%r12, %r10
	movq	16(%rsp), %r12
	setge	%r11b
	vucomiss	%xmm16, %xmm0
	jne	.LBB4_32
	jnp	.LBB4_30
.LBB4_32:
	testq	%rcx, %rcx
	jle	.LBB4_23
	cmpq	$7, %r15
	ja	.LBB4_35
	xorl	%ecx, %ecx
	jmp	.LBB4_149
	.p2align	4
.LBB4_35:
	movabsq	$.LCPI4_0, %rdx
	vpbroadcastq	%r12, %zmm1
	movq	(%rsp), %r12
	movq	24(%rsp), %rsi
	movq	%rbx, %rcx
	andq	$-8, %rcx
	vpternlogd	$255, %zmm28, %zmm28, %zmm28
	movabsq	$.LCPI4_10, %r11
	xorl	%edi, %edi
	vxorps	%xmm25, %xmm25, %xmm25
	vmovdqa64	(%rdx), %zmm0
	movq	32(%rsp), %rdx
	vmovdqu64	%zmm1, 480(%rsp)
	.p2align	4
.LBB4_36:
	vpaddq	480(%rsp), %zmm0, %zmm2
	movabsq	$.LCPI4_1, %r10
	kxnorb	%k0, %k0, %k1
	vpxor	%xmm3, %xmm3, %xmm3
	kxnorb	%k0, %k0, %k3
	vpxor	%xmm4, %xmm4, %xmm4
	vxorps	%xmm6, %xmm6, %xmm6
	vbroadcastsd	(%r13), %zmm7
	vxorps	%xmm14, %xmm14, %xmm14
	vxorps	%xmm19, %xmm19, %xmm19
	vxorps	%xmm22, %xmm22, %xmm22
	vpaddq	(%r11){1to8}, %zmm0, %zmm0
	vbroadcastss	(%r10), %ymm5
	movabsq	$.LCPI4_3, %r10
	vpbroadcastq	(%r10), %zmm13
	movabsq	$.LCPI4_4, %r10
	vpmovq2m	%zmm2, %k2
	vpaddq	%zmm27, %zmm2, %zmm2 {%k2}
	kxnorb	%k0, %k0, %k2
	vgatherqps	(%r12,%zmm2,4), %ymm3 {%k1}
	vgatherqps	(%rdx,%zmm2,4), %ymm4 {%k3}
	vgatherqps	(%rsi,%zmm2,4), %ymm6 {%k2}
	vcmpltps	%ymm3, %ymm25, %k1
	vcmpltps	%ymm5, %ymm3, %k2 {%k1}
	vcmpnltps	%ymm5, %ymm3, %k1 {%k1}
	vcvtps2pd	%ymm3, %zmm2 {%k2} {z}
	vcmpltps	%ymm4, %ymm25, %k2
	vcmpltps	%ymm5, %ymm4, %k3 {%k2}
	vcmpnltps	%ymm5, %ymm4, %k2 {%k2}
	vcvtps2pd	%ymm4, %zmm8 {%k3} {z}
	vcmpltps	%ymm6, %ymm25, %k3
	vmulpd	%zmm2, %zmm26, %zmm2
	vmovapd	%zmm26, %zmm2 {%k1}
	vcmpltps	%ymm5, %ymm6, %k1 {%k3}
	vmulpd	%zmm8, %zmm26, %zmm3
	vcvtps2pd	%ymm6, %zmm7 {%k1}
	vcvttpd2qq	%zmm2, %zmm6
	kxnorb	%k0, %k0, %k1
	vmovapd	%zmm26, %zmm3 {%k2}
	vpminsq	%zmm6, %zmm31, %zmm6
	vmovapd	%zmm7, %zmm4 {%k3} {z}
	vmulpd	%zmm4, %zmm26, %zmm5
	vcvttpd2qq	%zmm3, %zmm4
	kxnorb	%k0, %k0, %k3
	vcvttpd2qq	%zmm5, %zmm8
	vpminsq	%zmm4, %zmm31, %zmm7
	vcvtqq2pd	%zmm6, %zmm4
	vpsllq	$2, %zmm6, %zmm6
	vcvtqq2pd	%zmm7, %zmm9
	vpmullq	%zmm20, %zmm7, %zmm7
	vpminsq	%zmm8, %zmm31, %zmm8
	vsubpd	%zmm4, %zmm2, %zmm4
	vcvtqq2pd	%zmm8, %zmm10
	vpmullq	%zmm29, %zmm8, %zmm8
	vpaddq	%zmm6, %zmm7, %zmm1
	vsubpd	%zmm9, %zmm3, %zmm2
	vpaddq	%zmm8, %zmm1, %zmm8
	vpcmpltq	(%r10){1to8}, %zmm8, %k2
	movabsq	$.LCPI4_5, %r10
	vsubpd	%zmm10, %zmm5, %zmm3
	vpsraq	$63, %zmm8, %zmm5
	vpaddq	%zmm20, %zmm8, %zmm7
	vpsllq	$2, %zmm8, %zmm10
	vpaddq	%zmm29, %zmm8, %zmm6
	vpandq	%zmm30, %zmm5, %zmm11
	vpbroadcastq	%r9, %zmm5
	vpaddq	%zmm13, %zmm7, %zmm12
	vpsraq	$63, %zmm7, %zmm1
	vpaddq	%zmm13, %zmm6, %zmm9
	vpaddq	%zmm10, %zmm5, %zmm10
	vpsllq	$2, %zmm11, %zmm11
	vpsraq	$63, %zmm12, %zmm17
	vpandq	%zmm30, %zmm1, %zmm16
	vpsllq	$2, %zmm12, %zmm12
	vpaddq	%zmm11, %zmm10, %zmm15
	vpsllq	$2, %zmm7, %zmm11
	vpandq	%zmm30, %zmm17, %zmm17
	vpsllq	$2, %zmm16, %zmm16
	vpaddq	%zmm12, %zmm5, %zmm12
	vpaddq	%zmm11, %zmm5, %zmm11
	vgatherqps	(,%zmm15), %ymm14 {%k3}
	vpsllq	$2, %zmm17, %zmm1
	kxnorb	%k0, %k0, %k3
	vpxord	%xmm17, %xmm17, %xmm17
	vpaddq	%zmm16, %zmm11, %zmm15
	vpxord	%xmm16, %xmm16, %xmm16
	vpaddq	%zmm1, %zmm12, %zmm12
	vpsraq	$63, %zmm6, %zmm1
	vgatherqps	(,%zmm15), %ymm16 {%k3}
	kxnorb	%k0, %k0, %k3
	vpandq	%zmm30, %zmm1, %zmm18
	vpsraq	$63, %zmm9, %zmm1
	vpsllq	$2, %zmm9, %zmm9
	vgatherqps	(,%zmm12), %ymm17 {%k3}
	vpsllq	$2, %zmm6, %zmm12
	vpsllq	$2, %zmm18, %zmm18
	vmovdqa64	%zmm30, %zmm15 {%k2} {z}
	kxnorb	%k0, %k0, %k2
	vpsllq	$2, %zmm15, %zmm15
	vpaddq	%zmm9, %zmm5, %zmm9
	vpcmpgtq	%zmm7, %zmm28, %k3
	vpaddq	%zmm12, %zmm5, %zmm12
	vpaddq	%zmm15, %zmm10, %zmm15
	vpaddq	%zmm18, %zmm12, %zmm18
	vcvtps2pd	%ymm14, %zmm14
	vgatherqps	(,%zmm18), %ymm19 {%k2}
	vpandq	%zmm30, %zmm1, %zmm18
	kxnorb	%k0, %k0, %k2
	vmovdqa64	%zmm20, %zmm1
	vpsllq	$2, %zmm18, %zmm18
	vcvtps2pd	%ymm16, %zmm16
	vpaddq	%zmm18, %zmm9, %zmm9
	vpxord	%xmm18, %xmm18, %xmm18
	vcvtps2pd	%ymm17, %zmm17
	vgatherqps	(,%zmm9), %ymm18 {%k2}
	vxorps	%xmm9, %xmm9, %xmm9
	vgatherqps	16(,%zmm15), %ymm9 {%k1}
	kxnorb	%k0, %k0, %k1
	vpcmpltq	(%r10){1to8}, %zmm8, %k2
	movabsq	$.LCPI4_6, %r10
	vcvtps2pd	%ymm19, %zmm19
	vcvtps2pd	%ymm9, %zmm15
	vpaddq	%zmm20, %zmm6, %zmm9
	vsubpd	%zmm16, %zmm17, %zmm17
	vcvtps2pd	%ymm18, %zmm18
	vpsraq	$63, %zmm9, %zmm21
	vpaddq	%zmm13, %zmm9, %zmm20
	vpsllq	$2, %zmm9, %zmm13
	vpandq	%zmm30, %zmm21, %zmm21
	vpaddq	%zmm13, %zmm5, %zmm13
	vpsraq	$63, %zmm20, %zmm23
	vpsllq	$2, %zmm20, %zmm20
	vpsllq	$2, %zmm21, %zmm21
	vpaddq	%zmm20, %zmm5, %zmm20
	vmulpd	%zmm4, %zmm17, %zmm17
	vpaddq	%zmm21, %zmm13, %zmm21
	vgatherqps	(,%zmm21), %ymm22 {%k1}
	kxnorb	%k0, %k0, %k1
	vsubpd	%zmm14, %zmm15, %zmm15
	vaddpd	%zmm16, %zmm17, %zmm16
	vsubpd	%zmm19, %zmm18, %zmm18
	vmulpd	%zmm4, %zmm15, %zmm15
	vmulpd	%zmm18, %zmm4, %zmm18
	vcvtps2pd	%ymm22, %zmm21
	vpandq	%zmm30, %zmm23, %zmm22
	vpsllq	$2, %zmm22, %zmm22
	vpaddq	%zmm22, %zmm20, %zmm20
	vpxord	%xmm22, %xmm22, %xmm22
	vaddpd	%zmm14, %zmm15, %zmm14
	vaddpd	%zmm19, %zmm18, %zmm15
	vmovdqa64	%zmm30, %zmm18 {%k2} {z}
	vpsllq	$2, %zmm18, %zmm18
	kxnorb	%k0, %k0, %k2
	vmovdqa64	%zmm30, %zmm19 {%k3} {z}
	vpsllq	$2, %zmm19, %zmm19
	kxnorb	%k0, %k0, %k3
	vgatherqps	(,%zmm20), %ymm22 {%k1}
	vpbroadcastq	(%r10), %zmm20
	vpcmpgtq	%zmm8, %zmm28, %k1
	vpaddq	%zmm18, %zmm10, %zmm18
	vpaddq	%zmm19, %zmm11, %zmm19
	movabsq	$.LCPI4_7, %r10
	vsubpd	%zmm14, %zmm16, %zmm16
	vcvtps2pd	%ymm22, %zmm17
	vmulpd	%zmm16, %zmm2, %zmm16
	vaddpd	%zmm16, %zmm14, %zmm16
	vsubpd	%zmm21, %zmm17, %zmm17
	vmulpd	%zmm17, %zmm4, %zmm17
	vaddpd	%zmm21, %zmm17, %zmm17
	vpaddq	%zmm20, %zmm7, %zmm21
	vpsraq	$63, %zmm21, %zmm22
	vpsllq	$2, %zmm21, %zmm21
	vpandq	%zmm30, %zmm22, %zmm22
	vpaddq	%zmm21, %zmm5, %zmm21
	vsubpd	%zmm15, %zmm17, %zmm14
	vmulpd	%zmm14, %zmm2, %zmm14
	vaddpd	%zmm14, %zmm15, %zmm14
	vsubpd	%zmm16, %zmm14, %zmm15
	vmovdqa64	%zmm30, %zmm14 {%k1} {z}
	vpsllq	$2, %zmm14, %zmm14
	kxnorb	%k0, %k0, %k1
	vpaddq	%zmm14, %zmm10, %zmm17
	vpxor	%xmm14, %xmm14, %xmm14
	vmulpd	%zmm15, %zmm3, %zmm15
	vaddpd	%zmm15, %zmm16, %zmm16
	vxorpd	%xmm15, %xmm15, %xmm15
	vmovupd	%zmm16, 936(%rsp,%rdi,8)
	vxorpd	%xmm16, %xmm16, %xmm16
	vgatherqps	4(,%zmm17), %ymm14 {%k1}
	vpsllq	$2, %zmm22, %zmm17
	vpaddq	%zmm20, %zmm6, %zmm22
	vpcmpgtq	%zmm6, %zmm28, %k1
	vgatherqps	20(,%zmm18), %ymm15 {%k2}
	kxnorb	%k0, %k0, %k2
	vgatherqps	4(,%zmm19), %ymm16 {%k3}
	vxorps	%xmm19, %xmm19, %xmm19
	vpaddq	%zmm20, %zmm9, %zmm20
	vmovdqa64	%zmm30, %zmm18 {%k1} {z}
	vpsraq	$63, %zmm22, %zmm23
	vpsllq	$2, %zmm18, %zmm18
	vpsllq	$2, %zmm22, %zmm22
	vpaddq	%zmm17, %zmm21, %zmm17
	kxnorb	%k0, %k0, %k1
	vpxord	%xmm21, %xmm21, %xmm21
	vpaddq	%zmm18, %zmm12, %zmm18
	vpandq	%zmm30, %zmm23, %zmm23
	vgatherqps	(,%zmm17), %ymm21 {%k1}
	vpaddq	%zmm22, %zmm5, %zmm22
	kxnorb	%k0, %k0, %k1
	vgatherqps	4(,%zmm18), %ymm19 {%k2}
	vpsllq	$2, %zmm23, %zmm17
	vpcmpgtq	%zmm9, %zmm28, %k2
	vpsraq	$63, %zmm20, %zmm23
	vxorps	%xmm18, %xmm18, %xmm18
	vpsllq	$2, %zmm20, %zmm20
	vpaddq	%zmm17, %zmm22, %zmm17
	vmovdqa64	%zmm30, %zmm22 {%k2} {z}
	vpsllq	$2, %zmm22, %zmm22
	vpaddq	%zmm20, %zmm5, %zmm20
	vgatherqps	(,%zmm17), %ymm18 {%k1}
	vpaddq	%zmm22, %zmm13, %zmm17
	kxnorb	%k0, %k0, %k1
	vpxord	%xmm22, %xmm22, %xmm22
	vcvtps2pd	%ymm14, %zmm14
	vcvtps2pd	%ymm15, %zmm15
	vcvtps2pd	%ymm16, %zmm16
	vgatherqps	4(,%zmm17), %ymm22 {%k1}
	vpandq	%zmm30, %zmm23, %zmm17
	kxnorb	%k0, %k0, %k1
	vpsllq	$2, %zmm17, %zmm17
	vpaddq	%zmm17, %zmm20, %zmm17
	vpxord	%xmm20, %xmm20, %xmm20
	vcvtps2pd	%ymm19, %zmm19
	vgatherqps	(,%zmm17), %ymm20 {%k1}
	vcvtps2pd	%ymm21, %zmm17
	vcvtps2pd	%ymm18, %zmm18
	vsubpd	%zmm14, %zmm15, %zmm15
	vcvtps2pd	%ymm22, %zmm21
	vcvtps2pd	%ymm20, %zmm22
	vmulpd	%zmm15, %zmm4, %zmm15
	vmovdqa64	%zmm1, %zmm20
	vsubpd	%zmm16, %zmm17, %zmm17
	vsubpd	%zmm19, %zmm18, %zmm18
	vaddpd	%zmm14, %zmm15, %zmm14
	vmulpd	%zmm17, %zmm4, %zmm17
	vmulpd	%zmm18, %zmm4, %zmm15
	vaddpd	%zmm16, %zmm17, %zmm16
	vsubpd	%zmm21, %zmm22, %zmm17
	vaddpd	%zmm19, %zmm15, %zmm15
	vmulpd	%zmm17, %zmm4, %zmm17
	vsubpd	%zmm14, %zmm16, %zmm16
	vmulpd	%zmm16, %zmm2, %zmm16
	vaddpd	%zmm21, %zmm17, %zmm17
	vpbroadcastq	(%r10), %zmm21
	movabsq	$.LCPI4_8, %r10
	vpcmpltq	(%r10){1to8}, %zmm8, %k2
	movabsq	$.LCPI4_9, %r10
	vpbroadcastq	(%r10), %zmm19
	vaddpd	%zmm16, %zmm14, %zmm16
	vsubpd	%zmm15, %zmm17, %zmm14
	vmulpd	%zmm14, %zmm2, %zmm14
	vpcmpgtq	%zmm8, %zmm21, %k1
	vaddpd	%zmm14, %zmm15, %zmm14
	vmovdqa64	%zmm30, %zmm17 {%k1} {z}
	vmovdqa64	%zmm30, %zmm8 {%k2} {z}
	vpsllq	$2, %zmm17, %zmm17
	vpsllq	$2, %zmm8, %zmm8
	vpcmpgtq	%zmm7, %zmm21, %k2
	kxnorb	%k0, %k0, %k1
	vpaddq	%zmm17, %zmm10, %zmm17
	vpaddq	%zmm8, %zmm10, %zmm8
	vmovdqa64	%zmm30, %zmm10 {%k2} {z}
	kxnorb	%k0, %k0, %k2
	vpaddq	%zmm19, %zmm7, %zmm7
	vpsllq	$2, %zmm10, %zmm10
	vpaddq	%zmm10, %zmm11, %zmm10
	vpxor	%xmm11, %xmm11, %xmm11
	vsubpd	%zmm16, %zmm14, %zmm14
	vmulpd	%zmm14, %zmm3, %zmm15
	vaddpd	%zmm15, %zmm16, %zmm15
	vxorpd	%xmm16, %xmm16, %xmm16
	vmovupd	%zmm15, 2984(%rsp,%rdi,8)
	vxorpd	%xmm15, %xmm15, %xmm15
	vgatherqps	24(,%zmm8), %ymm15 {%k2}
	vpsraq	$63, %zmm7, %zmm8
	vpsllq	$2, %zmm7, %zmm7
	vgatherqps	8(,%zmm17), %ymm16 {%k1}
	kxnorb	%k0, %k0, %k1
	vpcmpgtq	%zmm6, %zmm21, %k2
	vpaddq	%zmm19, %zmm6, %zmm6
	vpandq	%zmm30, %zmm8, %zmm8
	vpaddq	%zmm7, %zmm5, %zmm7
	vgatherqps	8(,%zmm10), %ymm11 {%k1}
	kxnorb	%k0, %k0, %k1
	vmovdqa64	%zmm30, %zmm18 {%k2} {z}
	vpsraq	$63, %zmm6, %zmm1
	vpsllq	$2, %zmm6, %zmm6
	vxorps	%xmm10, %xmm10, %xmm10
	vpsllq	$2, %zmm8, %zmm8
	vpaddq	%zmm6, %zmm5, %zmm6
	vpaddq	%zmm8, %zmm7, %zmm7
	vpxor	%xmm8, %xmm8, %xmm8
	vgatherqps	(,%zmm7), %ymm8 {%k1}
	vpsllq	$2, %zmm18, %zmm7
	kxnorb	%k0, %k0, %k1
	vpaddq	%zmm7, %zmm12, %zmm7
	vcvtps2pd	%ymm16, %zmm12
	vcvtps2pd	%ymm15, %zmm15
	vgatherqps	8(,%zmm7), %ymm10 {%k1}
	vpandq	%zmm30, %zmm1, %zmm7
	kxnorb	%k0, %k0, %k1
	vcvtps2pd	%ymm11, %zmm11
	vpsllq	$2, %zmm7, %zmm7
	vpaddq	%zmm7, %zmm6, %zmm6
	vcvtps2pd	%ymm8, %zmm7
	vxorps	%xmm8, %xmm8, %xmm8
	vgatherqps	(,%zmm6), %ymm8 {%k1}
	vpcmpgtq	%zmm9, %zmm21, %k1
	vpaddq	%zmm19, %zmm9, %zmm9
	vmovdqa64	%zmm30, %zmm14 {%k1} {z}
	vpsllq	$2, %zmm14, %zmm14
	kxnorb	%k0, %k0, %k1
	vpsraq	$63, %zmm9, %zmm1
	vpsllq	$2, %zmm9, %zmm9
	vpaddq	%zmm14, %zmm13, %zmm13
	vpxor	%xmm14, %xmm14, %xmm14
	vpaddq	%zmm9, %zmm5, %zmm5
	vcvtps2pd	%ymm10, %zmm6
	vsubpd	%zmm12, %zmm15, %zmm10
	vgatherqps	8(,%zmm13), %ymm14 {%k1}
	kxnorb	%k0, %k0, %k1
	vcvtps2pd	%ymm8, %zmm8
	vmulpd	%zmm10, %zmm4, %zmm10
	vsubpd	%zmm11, %zmm7, %zmm7
	vcvtps2pd	%ymm14, %zmm13
	vpandq	%zmm30, %zmm1, %zmm14
	vaddpd	%zmm12, %zmm10, %zmm10
	vpsllq	$2, %zmm14, %zmm9
	vmulpd	%zmm7, %zmm4, %zmm7
	vpaddq	%zmm9, %zmm5, %zmm5
	vpxor	%xmm9, %xmm9, %xmm9
	vgatherqps	(,%zmm5), %ymm9 {%k1}
	vsubpd	%zmm6, %zmm8, %zmm8
	vaddpd	%zmm11, %zmm7, %zmm7
	vmulpd	%zmm8, %zmm4, %zmm8
	vcvtps2pd	%ymm9, %zmm5
	vaddpd	%zmm6, %zmm8, %zmm6
	vsubpd	%zmm13, %zmm5, %zmm5
	vmulpd	%zmm5, %zmm4, %zmm4
	vsubpd	%zmm10, %zmm7, %zmm5
	vaddpd	%zmm13, %zmm4, %zmm4
	vmulpd	%zmm5, %zmm2, %zmm5
	vsubpd	%zmm6, %zmm4, %zmm4
	vaddpd	%zmm5, %zmm10, %zmm5
	vmulpd	%zmm4, %zmm2, %zmm2
	vaddpd	%zmm2, %zmm6, %zmm2
	vsubpd	%zmm5, %zmm2, %zmm2
	vmulpd	%zmm2, %zmm3, %zmm2
	vaddpd	%zmm2, %zmm5, %zmm2
	vmovupd	%zmm2, 5032(%rsp,%rdi,8)
	addq	$8, %rdi
	cmpq	%rdi, %rcx
	jne	.LBB4_36
	vmovss	44(%rsp), %xmm11
	vmovq	112(%rsp), %xmm12
	movq	%r15, %rcx
	andq	$-8, %rcx
	vxorps	%xmm16, %xmm16, %xmm16
	cmpq	%rcx, %r15
	movq	16(%rsp), %r12
	jne	.LBB4_149
	.p2align	4
.LBB4_38:
	xorl	%ecx, %ecx
	jmp	.LBB4_42
	.p2align	4
.LBB4_39:
	vmovapd	%xmm3, %xmm2
.LBB4_40:
	vcvtss2sd	%xmm1, %xmm1, %xmm1
	vsubsd	%xmm1, %xmm2, %xmm2
	vmulsd	%xmm2, %xmm0, %xmm0
	vaddsd	%xmm1, %xmm0, %xmm0
	vcvtsd2ss	%xmm0, %xmm0, %xmm0
.LBB4_41:
	movq	144(%rsp), %rsi
	incq	%rcx
	vmovss	%xmm0, (%rsi,%rdx,4)
	cmpq	%rcx, %rbx
	je	.LBB4_23
.LBB4_42:
	cmpb	$0, 7184(%rsp)
	leaq	(%rcx,%r12), %rsi
	je	.LBB4_48
	movq	%rsi, %rdi
	sarq	$63, %rdi
	movq	%rdi, %rdx
	andq	128(%rsp), %rdx
	addq	136(%rsp), %rdx
	vmovss	(%rdx,%rcx,4), %xmm0
	vucomiss	%xmm16, %xmm0
	jne	.LBB4_44
	jnp	.LBB4_59
.LBB4_44:
	vcvtss2sd	%xmm0, %xmm0, %xmm0
	vmovsd	936(%rsp,%rcx,8), %xmm2
	testb	%al, %al
	je	.LBB4_49
.LBB4_45:
	movq	24(%rsp), %r11
	vxorpd	%xmm1, %xmm1, %xmm1
	vucomisd	%xmm1, %xmm2
	jbe	.LBB4_50
	vucomisd	%xmm2, %xmm12
	vmovapd	%xmm2, %xmm1
	ja	.LBB4_50
	vmovsd	(%r13), %xmm1
	jmp	.LBB4_50
	.p2align	4
.LBB4_48:
	vmovsd	(%r13), %xmm0
	vmovsd	936(%rsp,%rcx,8), %xmm2
	testb	%al, %al
	jne	.LBB4_45
.LBB4_49:
	movq	24(%rsp), %r11
	vmovapd	%xmm2, %xmm1
.LBB4_50:
	movq	(%rsp), %r10
	movq	%rsi, %rdx
	sarq	$63, %rdx
	movq	%rdx, %rdi
	andq	%r8, %rdi
	andq	7488(%rsp), %rdx
	addq	%rsi, %rdi
	vmovss	(%r10,%rdi,4), %xmm2
	addq	%rsi, %rdx
	movq	96(%rsp), %rsi
	vcvtss2sd	%xmm2, %xmm2, %xmm2
	vsubsd	%xmm2, %xmm1, %xmm1
	vmulsd	%xmm1, %xmm0, %xmm1
	vaddsd	%xmm2, %xmm1, %xmm1
	vcvtsd2ss	%xmm1, %xmm1, %xmm1
	vmovss	%xmm1, (%rsi,%rdx,4)
	vmovsd	2984(%rsp,%rcx,8), %xmm2
	testb	%al, %al
	je	.LBB4_54
	vxorps	%xmm1, %xmm1, %xmm1
	vucomisd	%xmm1, %xmm2
	jbe	.LBB4_55
	vucomisd	%xmm2, %xmm12
	vmovapd	%xmm2, %xmm1
	ja	.LBB4_55
	vmovsd	(%r13), %xmm1
	jmp	.LBB4_55
	.p2align	4
.LBB4_54:
	vmovapd	%xmm2, %xmm1
.LBB4_55:
	movq	32(%rsp), %rsi
	vmovss	(%rsi,%rdi,4), %xmm2
	movq	88(%rsp), %rsi
	vcvtss2sd	%xmm2, %xmm2, %xmm2
	vsubsd	%xmm2, %xmm1, %xmm1
	vmulsd	%xmm1, %xmm0, %xmm1
	vaddsd	%xmm2, %xmm1, %xmm1
	vcvtsd2ss	%xmm1, %xmm1, %xmm1
	vmovss	%xmm1, (%rsi,%rdx,4)
	vmovss	(%r11,%rdi,4), %xmm1
	vmovsd	5032(%rsp,%rcx,8), %xmm3
	testb	%al, %al
	je	.LBB4_39
	vxorpd	%xmm2, %xmm2, %xmm2
	vucomisd	%xmm2, %xmm3
	jbe	.LBB4_40
	vucomisd	%xmm3, %xmm12
	vmovapd	%xmm3, %xmm2
	ja	.LBB4_40
	vmovsd	(%r13), %xmm2
	jmp	.LBB4_40
	.p2align	4
.LBB4_59:
	movq	(%rsp), %r10
	movq	32(%rsp), %r15
	movq	24(%rsp), %r11
	movq	%rdi, %rdx
	andq	%r8, %rdx
	andq	7488(%rsp), %rdi
	addq	%rsi, %rdx
	vmovss	(%r10,%rdx,4), %xmm1
	vmovss	(%r11,%rdx,4), %xmm0
	vmovss	(%r15,%rdx,4), %xmm2
	movq	96(%rsp), %r11
	movq	88(%rsp), %r10
	leaq	(%rdi,%rsi), %rdx
	addq	%rsi, %rdi
	vmovss	%xmm1, (%r11,%rdi,4)
	vmovss	%xmm2, (%r10,%rdi,4)
	jmp	.LBB4_41
.LBB4_60:
	movq	424(%rsp), %rax
	cmpq	%r8, %r12
	movq	%r8, %rsi
	leaq	(%r12,%r8), %rcx
	movl	$0, %r10d
	movq	%r8, %rdi
	leaq	(%rdx,%r8), %r11
	cmovlq	%r12, %rsi
	cmpq	%rax, %r12
	cmovgq	%rcx, %r10
	cmpq	%r8, %rdx
	cmovlq	%rdx, %rdi
	cmpq	%rax, %rdx
	movl	$0, %eax
	cmovleq	%rax, %r11
	testq	%rdx, %rdx
	cmovnsq	%rdi, %r11
	testq	%r12, %r12
	cmovnsq	%rsi, %r10
	cmovnsq	%r12, %rcx
	movq	%r11, 56(%rsp)
	movq	%r10, 480(%rsp)
	movq	%rcx, %rax
	testq	%rcx, %rcx
	js	.LBB4_137
	cmpq	%r8, %rcx
	jge	.LBB4_138
.LBB4_62:
	movq	%rax, 8(%rsp)
	movq	7488(%rsp), %rax
	movq	416(%rsp), %r15
	movq	56(%rsp), %rbx
	movl	$0, %r10d
	subq	480(%rsp), %rbx
	cmpq	%rax, %r12
	movq	%rax, %rsi
	leaq	(%r12,%rax), %rdi
	leaq	(%rdx,%rax), %r11
	cmovlq	%r12, %rsi
	cmpq	%r15, %r12
	cmovgq	%rdi, %r10
	testq	%r12, %r12
	cmovnsq	%rsi, %r10
	cmpq	%rax, %rdx
	movq	%rax, %rsi
	movl	$0, %eax
	cmovlq	%rdx, %rsi
	cmpq	%r15, %rdx
	cmovleq	%rax, %r11
	testq	%rdx, %rdx
	cmovnsq	%rsi, %r11
	subq	%r10, %r11
	cmpq	%rbx, %r11
	jne	.LBB4_163
	testq	%r12, %r12
	cmovnsq	%r12, %rdi
	movq	%rdi, %rdx
	testq	%rdi, %rdi
	js	.LBB4_139
	movzbl	7176(%rsp), %eax
	cmpq	7488(%rsp), %rdi
	jge	.LBB4_140
.LBB4_65:
	testq	%rbx, %rbx
	jle	.LBB4_85
.LBB4_66:
	movq	96(%rsp), %r11
	movq	(%rsp), %rsi
	movq	8(%rsp), %r15
	leaq	(%rsi,%r15,4), %r10
	leaq	(%r11,%rdx,4), %r11
	cmpq	$8, %rbx
	jb	.LBB4_67
	movq	392(%rsp), %rsi
	movq	400(%rsp), %r12
	leaq	(%rsi,%r15,4), %rsi
	subq	%rsi, %r12
	leaq	(%r12,%rdx,4), %rsi
	cmpq	$256, %rsi
	jae	.LBB4_70
.LBB4_67:
	xorl	%r15d, %r15d
.LBB4_79:
	movq	%rbx, %r13
	andq	$7, %r13
	movq	%r15, %r12
	je	.LBB4_82
	movq	%r15, %r12
	.p2align	4
.LBB4_81:
	vmovd	(%r10,%r12,4), %xmm0
	decq	%r13
	vmovd	%xmm0, (%r11,%r12,4)
	leaq	1(%r12), %r12
	jne	.LBB4_81
.LBB4_82:
	movq	480(%rsp), %rsi
	movabsq	$.LCPI4_2, %r13
	subq	56(%rsp), %rsi
	addq	%r15, %rsi
	cmpq	$-8, %rsi
	ja	.LBB4_85
	movq	352(%rsp), %rsi
	movq	344(%rsp), %r11
	movq	8(%rsp), %r10
	leaq	(%rsi,%rdx,4), %rdx
	leaq	(%r11,%r10,4), %rsi
	.p2align	4
.LBB4_84:
	vmovss	-28(%rsi,%r12,4), %xmm0
	vmovss	%xmm0, -28(%rdx,%r12,4)
	vmovss	-24(%rsi,%r12,4), %xmm0
	vmovss	%xmm0, -24(%rdx,%r12,4)
	vmovss	-20(%rsi,%r12,4), %xmm0
	vmovss	%xmm0, -20(%rdx,%r12,4)
	vmovss	-16(%rsi,%r12,4), %xmm0
	vmovss	%xmm0, -16(%rdx,%r12,4)
	vmovss	-12(%rsi,%r12,4), %xmm0
	vmovss	%xmm0, -12(%rdx,%r12,4)
	vmovss	-8(%rsi,%r12,4), %xmm0
	vmovss	%xmm0, -8(%rdx,%r12,4)
	vmovss	-4(%rsi,%r12,4), %xmm0
	vmovss	%xmm0, -4(%rdx,%r12,4)
	vmovd	(%rsi,%r12,4), %xmm0
	vmovd	%xmm0, (%rdx,%r12,4)
	addq	$8, %r12
	cmpq	%r12, %rbx
	jne	.LBB4_84
.LBB4_85:
	movq	%rcx, %rdx
	testq	%rcx, %rcx
	js	.LBB4_141
	cmpq	%r8, %rcx
	jge	.LBB4_142
.LBB4_87:
	movq	%rdi, %rsi
	testq	%rdi, %rdi
	js	.LBB4_143
.LBB4_88:
	movq	%rdx, 8(%rsp)
	cmpq	7488(%rsp), %rdi
	jge	.LBB4_144
.LBB4_89:
	testq	%rbx, %rbx
	jle	.LBB4_109
.LBB4_90:
	movq	88(%rsp), %r11
	movq	32(%rsp), %rdx
	movq	8(%rsp), %r15
	leaq	(%rdx,%r15,4), %r10
	leaq	(%r11,%rsi,4), %r11
	cmpq	$8, %rbx
	jb	.LBB4_91
	movq	368(%rsp), %rdx
	movq	384(%rsp), %r12
	leaq	(%rdx,%r15,4), %rdx
	subq	%rdx, %r12
	leaq	(%r12,%rsi,4), %rdx
	cmpq	$256, %rdx
	jae	.LBB4_94
.LBB4_91:
	xorl	%r15d, %r15d
.LBB4_103:
	movq	%rbx, %r13
	andq	$7, %r13
	movq	%r15, %r12
	je	.LBB4_106
	movq	%r15, %r12
	.p2align	4
.LBB4_105:
	vmovd	(%r10,%r12,4), %xmm0
	decq	%r13
	vmovd	%xmm0, (%r11,%r12,4)
	leaq	1(%r12), %r12
	jne	.LBB4_105
.LBB4_106:
	movq	480(%rsp), %rdx
	movabsq	$.LCPI4_2, %r13
	subq	56(%rsp), %rdx
	addq	%r15, %rdx
	cmpq	$-8, %rdx
	ja	.LBB4_109
	movq	336(%rsp), %rdx
	movq	328(%rsp), %r11
	movq	8(%rsp), %r10
	leaq	(%rdx,%rsi,4), %rsi
	leaq	(%r11,%r10,4), %rdx
	.p2align	4
.LBB4_108:
	vmovss	-28(%rdx,%r12,4), %xmm0
	vmovss	%xmm0, -28(%rsi,%r12,4)
	vmovss	-24(%rdx,%r12,4), %xmm0
	vmovss	%xmm0, -24(%rsi,%r12,4)
	vmovss	-20(%rdx,%r12,4), %xmm0
	vmovss	%xmm0, -20(%rsi,%r12,4)
	vmovss	-16(%rdx,%r12,4), %xmm0
	vmovss	%xmm0, -16(%rsi,%r12,4)
	vmovss	-12(%rdx,%r12,4), %xmm0
	vmovss	%xmm0, -12(%rsi,%r12,4)
	vmovss	-8(%rdx,%r12,4), %xmm0
	vmovss	%xmm0, -8(%rsi,%r12,4)
	vmovss	-4(%rdx,%r12,4), %xmm0
	vmovss	%xmm0, -4(%rsi,%r12,4)
	vmovd	(%rdx,%r12,4), %xmm0
	vmovd	%xmm0, (%rsi,%r12,4)
	addq	$8, %r12
	cmpq	%r12, %rbx
	jne	.LBB4_108
.LBB4_109:
	movq	%rcx, %rdx
	testq	%rcx, %rcx
	js	.LBB4_145
	movq	16(%rsp), %r12
	cmpq	%r8, %rcx
	jge	.LBB4_146
.LBB4_111:
	movq	%rdi, %rcx
	testq	%rdi, %rdi
	js	.LBB4_147
.LBB4_112:
	cmpq	7488(%rsp), %rdi
	jge	.LBB4_148
.LBB4_113:
	testq	%rbx, %rbx
	jle	.LBB4_23
.LBB4_114:
	movq	24(%rsp), %rsi
	movq	144(%rsp), %rdi
	leaq	(%rsi,%rdx,4), %rsi
	leaq	(%rdi,%rcx,4), %rdi
	cmpq	$8, %rbx
	jb	.LBB4_115
	movq	360(%rsp), %r10
	movq	376(%rsp), %r11
	leaq	(%r10,%rdx,4), %r10
	subq	%r10, %r11
	leaq	(%r11,%rcx,4), %r10
	cmpq	$256, %r10
	jae	.LBB4_118
.LBB4_115:
	xorl	%r10d, %r10d
.LBB4_127:
	movq	%rbx, %r15
	andq	$7, %r15
	movq	%r10, %r11
	je	.LBB4_130
	movq	%r10, %r11
	.p2align	4
.LBB4_129:
	vmovd	(%rsi,%r11,4), %xmm0
	decq	%r15
	vmovd	%xmm0, (%rdi,%r11,4)
	leaq	1(%r11), %r11
	jne	.LBB4_129
.LBB4_130:
	movq	480(%rsp), %rsi
	subq	56(%rsp), %rsi
	addq	%r10, %rsi
	cmpq	$-8, %rsi
	ja	.LBB4_23
	movq	320(%rsp), %rsi
	movq	312(%rsp), %rdi
	leaq	(%rsi,%rcx,4), %rcx
	leaq	(%rdi,%rdx,4), %rdx
	.p2align	4
.LBB4_132:
	vmovss	-28(%rdx,%r11,4), %xmm0
	vmovss	%xmm0, -28(%rcx,%r11,4)
	vmovss	-24(%rdx,%r11,4), %xmm0
	vmovss	%xmm0, -24(%rcx,%r11,4)
	vmovss	-20(%rdx,%r11,4), %xmm0
	vmovss	%xmm0, -20(%rcx,%r11,4)
	vmovss	-16(%rdx,%r11,4), %xmm0
	vmovss	%xmm0, -16(%rcx,%r11,4)
	vmovss	-12(%rdx,%r11,4), %xmm0
	vmovss	%xmm0, -12(%rcx,%r11,4)
	vmovss	-8(%rdx,%r11,4), %xmm0
	vmovss	%xmm0, -8(%rcx,%r11,4)
	vmovss	-4(%rdx,%r11,4), %xmm0
	vmovss	%xmm0, -4(%rcx,%r11,4)
	vmovd	(%rdx,%r11,4), %xmm0
	vmovd	%xmm0, (%rcx,%r11,4)
	addq	$8, %r11
	cmpq	%r11, %rbx
	jne	.LBB4_132
	jmp	.LBB4_23
.LBB4_70:
	cmpq	$64, %rbx
	jae	.LBB4_72
	xorl	%r15d, %r15d
	jmp	.LBB4_76
.LBB4_94:
	cmpq	$64, %rbx
	jae	.LBB4_96
	xorl	%r15d, %r15d
	jmp	.LBB4_100
.LBB4_118:
	cmpq	$64, %rbx
	jae	.LBB4_120
	xorl	%r10d, %r10d
	jmp	.LBB4_124
.LBB4_72:
	movq	8(%rsp), %rsi
	leaq	(,%rdx,4), %r12
	addq	304(%rsp), %r12
	movq	%rbx, %r15
	leaq	(,%rsi,4), %r13
	addq	296(%rsp), %r13
	movabsq	$9223372036854775744, %rsi
	andq	%rsi, %r15
	xorl	%esi, %esi
	.p2align	4
.LBB4_73:
	vmovdqu64	-192(%r13,%rsi,4), %zmm0
	vmovdqu64	-128(%r13,%rsi,4), %zmm1
	vmovupd	-64(%r13,%rsi,4), %zmm2
	vmovdqu64	(%r13,%rsi,4), %zmm3
	vmovdqu64	%zmm0, -192(%r12,%rsi,4)
	vmovdqu64	%zmm1, -128(%r12,%rsi,4)
	vmovupd	%zmm2, -64(%r12,%rsi,4)
	vmovdqu64	%zmm3, (%r12,%rsi,4)
	addq	$64, %rsi
	cmpq	%rsi, %r15
	jne	.LBB4_73
	movabsq	$.LCPI4_2, %r13
	cmpq	%r15, %rbx
	je	.LBB4_85
	testb	$56, %bl
	je	.LBB4_79
.LBB4_76:
	movabsq	$9223372036854775744, %r8
	movq	%r15, %rsi
	leaq	56(%r8), %r15
	andq	%rbx, %r15
	.p2align	4
.LBB4_77:
	vmovdqu	(%r10,%rsi,4), %ymm0
	vmovdqu	%ymm0, (%r11,%rsi,4)
	addq	$8, %rsi
	cmpq	%rsi, %r15
	jne	.LBB4_77
	movq	7248(%rsp), %r8
	cmpq	%r15, %rbx
	je	.LBB4_85
	jmp	.LBB4_79
.LBB4_96:
	movq	8(%rsp), %rdx
	leaq	(,%rsi,4), %r12
	addq	288(%rsp), %r12
	movq	%rbx, %r15
	leaq	(,%rdx,4), %r13
	addq	280(%rsp), %r13
	movabsq	$9223372036854775744, %rdx
	andq	%rdx, %r15
	xorl	%edx, %edx
	.p2align	4
.LBB4_97:
	vmovdqu64	-192(%r13,%rdx,4), %zmm0
	vmovdqu64	-128(%r13,%rdx,4), %zmm1
	vmovupd	-64(%r13,%rdx,4), %zmm2
	vmovdqu64	(%r13,%rdx,4), %zmm3
	vmovdqu64	%zmm0, -192(%r12,%rdx,4)
	vmovdqu64	%zmm1, -128(%r12,%rdx,4)
	vmovupd	%zmm2, -64(%r12,%rdx,4)
	vmovdqu64	%zmm3, (%r12,%rdx,4)
	addq	$64, %rdx
	cmpq	%rdx, %r15
	jne	.LBB4_97
	movabsq	$.LCPI4_2, %r13
	cmpq	%r15, %rbx
	je	.LBB4_109
	testb	$56, %bl
	je	.LBB4_103
.LBB4_100:
	movabsq	$9223372036854775744, %r8
	movq	%r15, %rdx
	leaq	56(%r8), %r15
	andq	%rbx, %r15
	.p2align	4
.LBB4_101:
	vmovdqu	(%r10,%rdx,4), %ymm0
	vmovdqu	%ymm0, (%r11,%rdx,4)
	addq	$8, %rdx
	cmpq	%rdx, %r15
	jne	.LBB4_101
	movq	7248(%rsp), %r8
	cmpq	%r15, %rbx
	je	.LBB4_109
	jmp	.LBB4_103
.LBB4_120:
	leaq	(,%rcx,4), %r11
	leaq	(,%rdx,4), %r15
	addq	272(%rsp), %r11
	addq	264(%rsp), %r15
	movabsq	$9223372036854775744, %r8
	movq	%rbx, %r10
	xorl	%r12d, %r12d
	andq	%r8, %r10
	.p2align	4
.LBB4_121:
	vmovdqu64	-192(%r15,%r12,4), %zmm0
	vmovdqu64	-128(%r15,%r12,4), %zmm1
	vmovupd	-64(%r15,%r12,4), %zmm2
	vmovdqu64	(%r15,%r12,4), %zmm3
	vmovdqu64	%zmm0, -192(%r11,%r12,4)
	vmovdqu64	%zmm1, -128(%r11,%r12,4)
	vmovupd	%zmm2, -64(%r11,%r12,4)
	vmovdqu64	%zmm3, (%r11,%r12,4)
	addq	$64, %r12
	cmpq	%r12, %r10
	jne	.LBB4_121
	movq	7248(%rsp), %r8
	movq	16(%rsp), %r12
	cmpq	%r10, %rbx
	je	.LBB4_23
	testb	$56, %bl
	je	.LBB4_127
.LBB4_124:
	movabsq	$9223372036854775744, %r8
	movq	%r10, %r11
	leaq	56(%r8), %r10
	andq	%rbx, %r10
	.p2align	4
.LBB4_125:
	vmovdqu	(%rsi,%r11,4), %ymm0
	vmovdqu	%ymm0, (%rdi,%r11,4)
	addq	$8, %r11
	cmpq	%r11, %r10
	jne	.LBB4_125
	movq	7248(%rsp), %r8
	cmpq	%r10, %rbx
	je	.LBB4_23
	jmp	.LBB4_127
.LBB4_133:
	xorl	%edi, %edi
	cmpq	%r11, %rsi
	jl	.LBB4_27
.LBB4_134:
	movq	%r11, %rdi
	jmp	.LBB4_27
.LBB4_135:
	xorl	%esi, %esi
	cmpq	%r11, %r10
	jl	.LBB4_29
.LBB4_136:
	movq	%r11, %rsi
	jmp	.LBB4_29
.LBB4_137:
	xorl	%eax, %eax
	cmpq	%r8, %rcx
	jl	.LBB4_62
.LBB4_138:
	movq	%r8, %rax
	jmp	.LBB4_62
.LBB4_139:
	xorl	%edx, %edx
	movzbl	7176(%rsp), %eax
	cmpq	7488(%rsp), %rdi
	jl	.LBB4_65
.LBB4_140:
	movq	7488(%rsp), %rdx
	testq	%rbx, %rbx
	jg	.LBB4_66
	jmp	.LBB4_85
.LBB4_141:
	xorl	%edx, %edx
	cmpq	%r8, %rcx
	jl	.LBB4_87
.LBB4_142:
	movq	%r8, %rdx
	movq	%rdi, %rsi
	testq	%rdi, %rdi
	jns	.LBB4_88
.LBB4_143:
	xorl	%esi, %esi
	movq	%rdx, 8(%rsp)
	cmpq	7488(%rsp), %rdi
	jl	.LBB4_89
.LBB4_144:
	movq	7488(%rsp), %rsi
	testq	%rbx, %rbx
	jg	.LBB4_90
	jmp	.LBB4_109
.LBB4_145:
	xorl	%edx, %edx
	movq	16(%rsp), %r12
	cmpq	%r8, %rcx
	jl	.LBB4_111
.LBB4_146:
	movq	%r8, %rdx
	movq	%rdi, %rcx
	testq	%rdi, %rdi
	jns	.LBB4_112
.LBB4_147:
	xorl	%ecx, %ecx
	cmpq	7488(%rsp), %rdi
	jl	.LBB4_113
.LBB4_148:
	movq	7488(%rsp), %rcx
	testq	%rbx, %rbx
	jg	.LBB4_114
	jmp	.LBB4_23
	.p2align	4
.LBB4_149:
	movq	(%rsp), %rax
	leaq	(%r12,%rcx), %rsi
	vpxor	%xmm0, %xmm0, %xmm0
	vpxor	%xmm1, %xmm1, %xmm1
	movq	%rsi, %rdx
	sarq	$63, %rdx
	andq	%r8, %rdx
	addq	%rsi, %rdx
	movq	24(%rsp), %rsi
	vmovss	(%rax,%rdx,4), %xmm2
	movq	32(%rsp), %rax
	vucomiss	%xmm16, %xmm2
	jbe	.LBB4_152
	vucomiss	%xmm2, %xmm11
	jbe	.LBB4_155
	vcvtss2sd	%xmm2, %xmm2, %xmm1
.LBB4_152:
	vmovss	(%rax,%rdx,4), %xmm2
	vucomiss	%xmm16, %xmm2
	jbe	.LBB4_157
.LBB4_153:
	vucomiss	%xmm2, %xmm11
	jbe	.LBB4_156
	vcvtss2sd	%xmm2, %xmm2, %xmm0
	jmp	.LBB4_157
	.p2align	4
.LBB4_155:
	vmovdqa	%xmm12, %xmm1
	vmovss	(%rax,%rdx,4), %xmm2
	vucomiss	%xmm16, %xmm2
	ja	.LBB4_153
	jmp	.LBB4_157
	.p2align	4
.LBB4_156:
	vmovdqa	%xmm12, %xmm0
.LBB4_157:
	vmovss	(%rsi,%rdx,4), %xmm3
	vmulsd	%xmm1, %xmm24, %xmm1
	vmulsd	%xmm0, %xmm24, %xmm0
	vxorps	%xmm2, %xmm2, %xmm2
	vucomiss	%xmm16, %xmm3
	jbe	.LBB4_161
	vucomiss	%xmm3, %xmm11
	jbe	.LBB4_160
	vcvtss2sd	%xmm3, %xmm3, %xmm2
	jmp	.LBB4_161
	.p2align	4
.LBB4_160:
	vmovdqa	%xmm12, %xmm2
.LBB4_161:
	movq	7280(%rsp), %rax
	vmulsd	%xmm2, %xmm24, %xmm3
	vcvttsd2si	%xmm1, %rdx
	vcvttsd2si	%xmm0, %rsi
	vcvttsd2si	%xmm3, %rdi
	cmpq	%rdx, %rax
	cmovlq	%rax, %rdx
	cmpq	%rsi, %rax
	vcvtsi2sd	%rdx, %xmm31, %xmm2
	cmovlq	%rax, %rsi
	cmpq	%rdi, %rax
	cmovlq	%rax, %rdi
	movq	7520(%rsp), %rax
	vcvtsi2sd	%rdi, %xmm31, %xmm4
	vsubsd	%xmm2, %xmm1, %xmm2
	vcvtsi2sd	%rsi, %xmm31, %xmm1
	imulq	%rbp, %rsi
	imulq	%rax, %rdi
	leaq	(%rsi,%rdx,4), %rsi
	vsubsd	%xmm1, %xmm0, %xmm1
	vsubsd	%xmm4, %xmm3, %xmm0
	addq	%rdi, %rsi
	movq	%rsi, %r13
	sarq	$63, %r13
	leaq	(%r9,%rsi,4), %r12
	leaq	4(%rbp,%rsi), %r10
	leaq	(%rsi,%rbp), %r8
	leaq	4(%rax,%rsi), %r11
	leaq	(%rsi,%rax), %rdi
	andq	%r14, %r13
	cmpq	$-4, %rsi
	movq	%r8, %rdx
	leaq	(%rdi,%rbp), %r15
	vmovss	(%r12,%r13,4), %xmm3
	movl	$0, %r13d
	cmovlq	%r14, %r13
	sarq	$63, %rdx
	sarq	$63, %r10
	sarq	$63, %r11
	vmovss	16(%r12,%r13,4), %xmm4
	leaq	(%r9,%r8,4), %r13
	andq	%r14, %rdx
	andq	%r14, %r10
	andq	%r14, %r11
	vmovss	(%r13,%rdx,4), %xmm5
	vmovss	16(%r13,%r10,4), %xmm6
	movq	%rdi, %rdx
	sarq	$63, %rdx
	leaq	(%r9,%rdi,4), %r10
	andq	%r14, %rdx
	vmovss	(%r10,%rdx,4), %xmm7
	vmovss	16(%r10,%r11,4), %xmm8
	movq	%r15, %rdx
	sarq	$63, %rdx
	leaq	(%r9,%r15,4), %r11
	andq	%r14, %rdx
	vcvtss2sd	%xmm3, %xmm3, %xmm3
	vmovss	(%r11,%rdx,4), %xmm9
	leaq	4(%rbp,%rdi), %rdx
	vcvtss2sd	%xmm4, %xmm4, %xmm4
	sarq	$63, %rdx
	andq	%r14, %rdx
	cmpq	$-1, %rsi
	vsubsd	%xmm3, %xmm4, %xmm4
	vmulsd	%xmm4, %xmm2, %xmm4
	vaddsd	%xmm3, %xmm4, %xmm3
	vcvtss2sd	%xmm5, %xmm5, %xmm4
	vcvtss2sd	%xmm6, %xmm6, %xmm5
	vcvtss2sd	%xmm8, %xmm8, %xmm6
	vsubsd	%xmm4, %xmm5, %xmm5
	vmulsd	%xmm5, %xmm2, %xmm5
	vaddsd	%xmm4, %xmm5, %xmm4
	vcvtss2sd	%xmm7, %xmm7, %xmm5
	vmovss	16(%r11,%rdx,4), %xmm7
	movl	$0, %edx
	cmovlq	%r14, %rdx
	cmpq	$-5, %rsi
	vsubsd	%xmm5, %xmm6, %xmm6
	vsubsd	%xmm3, %xmm4, %xmm4
	vmulsd	%xmm6, %xmm2, %xmm6
	vmulsd	%xmm4, %xmm1, %xmm4
	vcvtss2sd	%xmm7, %xmm7, %xmm7
	vaddsd	%xmm5, %xmm6, %xmm5
	vcvtss2sd	%xmm9, %xmm9, %xmm6
	vaddsd	%xmm4, %xmm3, %xmm3
	vsubsd	%xmm6, %xmm7, %xmm7
	vmulsd	%xmm7, %xmm2, %xmm7
	vaddsd	%xmm6, %xmm7, %xmm6
	vsubsd	%xmm5, %xmm6, %xmm4
	vmulsd	%xmm4, %xmm1, %xmm4
	vaddsd	%xmm4, %xmm5, %xmm4
	vsubsd	%xmm3, %xmm4, %xmm4
	vmulsd	%xmm4, %xmm0, %xmm4
	vaddsd	%xmm4, %xmm3, %xmm3
	vmovsd	%xmm3, 936(%rsp,%rcx,8)
	vmovss	4(%r12,%rdx,4), %xmm3
	movl	$0, %edx
	cmovlq	%r14, %rdx
	cmpq	$-1, %r8
	vmovss	20(%r12,%rdx,4), %xmm4
	movl	$0, %edx
	cmovlq	%r14, %rdx
	vcvtss2sd	%xmm3, %xmm3, %xmm3
	vcvtss2sd	%xmm4, %xmm4, %xmm4
	vsubsd	%xmm3, %xmm4, %xmm4
	vmulsd	%xmm4, %xmm2, %xmm4
	vaddsd	%xmm3, %xmm4, %xmm3
	vmovss	4(%r13,%rdx,4), %xmm4
	leaq	5(%rbp,%rsi), %rdx
	sarq	$63, %rdx
	andq	%r14, %rdx
	cmpq	$-1, %rdi
	vmovss	20(%r13,%rdx,4), %xmm5
	movl	$0, %edx
	cmovlq	%r14, %rdx
	vcvtss2sd	%xmm4, %xmm4, %xmm4
	vcvtss2sd	%xmm5, %xmm5, %xmm5
	vsubsd	%xmm4, %xmm5, %xmm5
	vmulsd	%xmm5, %xmm2, %xmm5
	vaddsd	%xmm4, %xmm5, %xmm4
	vmovss	4(%r10,%rdx,4), %xmm5
	leaq	5(%rax,%rsi), %rdx
	sarq	$63, %rdx
	andq	%r14, %rdx
	cmpq	$-1, %r15
	vsubsd	%xmm3, %xmm4, %xmm4
	vmovss	20(%r10,%rdx,4), %xmm6
	movl	$0, %edx
	cmovlq	%r14, %rdx
	vmulsd	%xmm4, %xmm1, %xmm4
	vcvtss2sd	%xmm5, %xmm5, %xmm5
	vaddsd	%xmm4, %xmm3, %xmm3
	vcvtss2sd	%xmm6, %xmm6, %xmm6
	vsubsd	%xmm5, %xmm6, %xmm6
	vmulsd	%xmm6, %xmm2, %xmm6
	vaddsd	%xmm5, %xmm6, %xmm5
	vmovss	4(%r11,%rdx,4), %xmm6
	leaq	5(%rbp,%rdi), %rdx
	sarq	$63, %rdx
	andq	%r14, %rdx
	cmpq	$-2, %rsi
	vmovss	20(%r11,%rdx,4), %xmm7
	movl	$0, %edx
	cmovlq	%r14, %rdx
	cmpq	$-6, %rsi
	vcvtss2sd	%xmm6, %xmm6, %xmm6
	vcvtss2sd	%xmm7, %xmm7, %xmm7
	vsubsd	%xmm6, %xmm7, %xmm7
	vmulsd	%xmm7, %xmm2, %xmm7
	vaddsd	%xmm6, %xmm7, %xmm6
	vsubsd	%xmm5, %xmm6, %xmm4
	vmulsd	%xmm4, %xmm1, %xmm4
	vaddsd	%xmm4, %xmm5, %xmm4
	vsubsd	%xmm3, %xmm4, %xmm4
	vmulsd	%xmm4, %xmm0, %xmm4
	vaddsd	%xmm4, %xmm3, %xmm3
	vmovsd	%xmm3, 2984(%rsp,%rcx,8)
	vmovss	8(%r12,%rdx,4), %xmm3
	movl	$0, %edx
	cmovlq	%r14, %rdx
	cmpq	$-2, %r8
	movq	7248(%rsp), %r8
	vmovss	24(%r12,%rdx,4), %xmm4
	movl	$0, %edx
	cmovlq	%r14, %rdx
	vmovss	8(%r13,%rdx,4), %xmm5
	leaq	6(%rbp,%rsi), %rdx
	sarq	$63, %rdx
	andq	%r14, %rdx
	cmpq	$-2, %rdi
	vmovss	24(%r13,%rdx,4), %xmm6
	movl	$0, %edx
	vcvtss2sd	%xmm3, %xmm3, %xmm3
	movabsq	$.LCPI4_2, %r13
	cmovlq	%r14, %rdx
	vcvtss2sd	%xmm4, %xmm4, %xmm4
	vmovss	8(%r10,%rdx,4), %xmm7
	leaq	6(%rax,%rsi), %rdx
	movzbl	7176(%rsp), %eax
	sarq	$63, %rdx
	andq	%r14, %rdx
	vsubsd	%xmm3, %xmm4, %xmm4
	cmpq	$-2, %r15
	vmovss	24(%r10,%rdx,4), %xmm8
	movl	$0, %edx
	cmovlq	%r14, %rdx
	vmovss	8(%r11,%rdx,4), %xmm9
	leaq	6(%rbp,%rdi), %rdx
	vmulsd	%xmm4, %xmm2, %xmm4
	sarq	$63, %rdx
	andq	%r14, %rdx
	vaddsd	%xmm3, %xmm4, %xmm3
	vcvtss2sd	%xmm5, %xmm5, %xmm4
	vcvtss2sd	%xmm6, %xmm6, %xmm5
	vmovss	24(%r11,%rdx,4), %xmm10
	vsubsd	%xmm4, %xmm5, %xmm5
	vcvtss2sd	%xmm8, %xmm8, %xmm6
	vcvtss2sd	%xmm9, %xmm9, %xmm8
	vmulsd	%xmm5, %xmm2, %xmm5
	vaddsd	%xmm4, %xmm5, %xmm4
	vcvtss2sd	%xmm7, %xmm7, %xmm5
	vcvtss2sd	%xmm10, %xmm10, %xmm7
	vsubsd	%xmm5, %xmm6, %xmm6
	vsubsd	%xmm8, %xmm7, %xmm7
	vsubsd	%xmm3, %xmm4, %xmm4
	vmulsd	%xmm6, %xmm2, %xmm6
	vmulsd	%xmm7, %xmm2, %xmm2
	vmulsd	%xmm4, %xmm1, %xmm4
	vaddsd	%xmm5, %xmm6, %xmm5
	vaddsd	%xmm2, %xmm8, %xmm2
	vaddsd	%xmm4, %xmm3, %xmm3
	vsubsd	%xmm5, %xmm2, %xmm2
	vmulsd	%xmm2, %xmm1, %xmm1
	vaddsd	%xmm1, %xmm5, %xmm1
	vsubsd	%xmm3, %xmm1, %xmm1
	vmulsd	%xmm1, %xmm0, %xmm0
	vaddsd	%xmm0, %xmm3, %xmm0
	vmovsd	%xmm0, 5032(%rsp,%rcx,8)
	incq	%rcx
	cmpq	%rcx, %rbx
	movq	16(%rsp), %r12
	jne	.LBB4_149
	jmp	.LBB4_38
.LBB4_162:
	movq	7432(%rsp), %rdi
	movabsq	$NRT_decref, %rbx
	callq	*%rbx
	movq	7360(%rsp), %rdi
	callq	*%rbx
	movq	7288(%rsp), %rdi
	callq	*%rbx
	movq	%r12, %rdi
	callq	*%rbx
	movq	160(%rsp), %rax
	movq	$0, (%rax)
	xorl	%eax, %eax
	jmp	.LBB4_164
.LBB4_163:
	movq	152(%rsp), %rcx
	movabsq	$.const.picklebuf.a111a816c257411b62fe6f30fae17d6fff064154, %rax
	movq	%rax, (%rcx)
	movl	$1, %eax
.LBB4_164:
	addq	$7080, %rsp
	.cfi_def_cfa_offset 56
	popq	%rbx
	.cfi_def_cfa_offset 48
	popq	%r12
	.cfi_def_cfa_offset 40
	popq	%r13
	.cfi_def_cfa_offset 32
	popq	%r14
	.cfi_def_cfa_offset 24
	popq	%r15
	.cfi_def_cfa_offset 16
	popq	%rbp
	.cfi_def_cfa_offset 8
	vzeroupper
	retq
.Lfunc_end4:
	.size	_ZN13_3cdynamic_3e36__numba_parfor_gufunc_0x7f6d5a5b81d0B2v9B114c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDYswpLiwBbsD6JwiiHJNAA_3d_3dE5ArrayIyLi1E1C7mutable7alignedExxbb5ArrayIfLi3E1C7mutable7alignedEx5ArrayIfLi2E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedE5ArrayIfLi3E1C7mutable7alignedExxd, .Lfunc_end4-_ZN13_3cdynamic_3e36__numba_parfor_gufunc_0x7f6d5a5b81d0B2v9B114c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDYswpLiwBbsD6JwiiHJNAA_3d_3dE5ArrayIyLi1E1C7mutable7alignedExxbb5ArrayIfLi3E1C7mutable7alignedEx5ArrayIfLi2E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedE5ArrayIfLi3E1C7mutable7alignedExxd
	.cfi_endproc

	.weak	NRT_incref
	.p2align	4
	.type	NRT_incref,@function
NRT_incref:
	testq	%rdi, %rdi
	je	.LBB5_2
	lock		incq	(%rdi)
.LBB5_2:
	retq
.Lfunc_end5:
	.size	NRT_incref, .Lfunc_end5-NRT_incref

	.weak	NRT_decref
	.p2align	4
	.type	NRT_decref,@function
NRT_decref:
	.cfi_startproc
	testq	%rdi, %rdi
	je	.LBB6_2
	#MEMBARRIER
	lock		decq	(%rdi)
	je	.LBB6_3
.LBB6_2:
	retq
.LBB6_3:
	movabsq	$NRT_MemInfo_call_dtor, %rax
	#MEMBARRIER
	jmpq	*%rax
.Lfunc_end6:
	.size	NRT_decref, .Lfunc_end6-NRT_decref
	.cfi_endproc

	.type	printf_format,@object
	.section	.lrodata,"al",@progbits
	.p2align	4, 0x0
printf_format:
	.asciz	"num_threads: %d\n"
	.size	printf_format, 17

	.type	.const.pickledata.9d8bd6d541b3e336fd7917994940781bc68a3a8a,@object
	.p2align	4, 0x0
.const.pickledata.9d8bd6d541b3e336fd7917994940781bc68a3a8a:
	.ascii	"\200\004\225e\000\000\000\000\000\000\000\214\bbuiltins\224\214\fRuntimeError\224\223\224\214@Invalid number of threads. This likely indicates a bug in Numba.\224\205\224N\207\224."
	.size	.const.pickledata.9d8bd6d541b3e336fd7917994940781bc68a3a8a, 112

	.type	.const.pickledata.9d8bd6d541b3e336fd7917994940781bc68a3a8a.sha1,@object
	.p2align	4, 0x0
.const.pickledata.9d8bd6d541b3e336fd7917994940781bc68a3a8a.sha1:
	.ascii	"\235\213\326\325A\263\3436\375y\027\231I@x\033\306\212:\212"
	.size	.const.pickledata.9d8bd6d541b3e336fd7917994940781bc68a3a8a.sha1, 20

	.type	.const.picklebuf.9d8bd6d541b3e336fd7917994940781bc68a3a8a,@object
	.p2align	4, 0x0
.const.picklebuf.9d8bd6d541b3e336fd7917994940781bc68a3a8a:
	.quad	.const.pickledata.9d8bd6d541b3e336fd7917994940781bc68a3a8a
	.long	112
	.zero	4
	.quad	.const.pickledata.9d8bd6d541b3e336fd7917994940781bc68a3a8a.sha1
	.quad	0
	.long	0
	.zero	4
	.size	.const.picklebuf.9d8bd6d541b3e336fd7917994940781bc68a3a8a, 40

	.type	.const._lookup_blend,@object
.const._lookup_blend:
	.asciz	"_lookup_blend"
	.size	.const._lookup_blend, 14

	.type	_ZN08NumbaEnv1m13_lookup_blendB2v1B102c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDY_2faIoicJgA_3dE5ArrayIfLi2E1C7mutable7alignedEx5ArrayIfLi3E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedEbb5ArrayIfLi3E1C7mutable7alignedE,@object
	.comm	_ZN08NumbaEnv1m13_lookup_blendB2v1B102c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDY_2faIoicJgA_3dE5ArrayIfLi2E1C7mutable7alignedEx5ArrayIfLi3E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedEbb5ArrayIfLi3E1C7mutable7alignedE,8,8
	.type	".const.missing Environment: _ZN08NumbaEnv1m13_lookup_blendB2v1B102c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDY_2faIoicJgA_3dE5ArrayIfLi2E1C7mutable7alignedEx5ArrayIfLi3E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedEbb5ArrayIfLi3E1C7mutable7alignedE",@object
	.p2align	4, 0x0
".const.missing Environment: _ZN08NumbaEnv1m13_lookup_blendB2v1B102c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDY_2faIoicJgA_3dE5ArrayIfLi2E1C7mutable7alignedEx5ArrayIfLi3E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedEbb5ArrayIfLi3E1C7mutable7alignedE":
	.asciz	"missing Environment: _ZN08NumbaEnv1m13_lookup_blendB2v1B102c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDY_2faIoicJgA_3dE5ArrayIfLi2E1C7mutable7alignedEx5ArrayIfLi3E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedEbb5ArrayIfLi3E1C7mutable7alignedE"
	.size	".const.missing Environment: _ZN08NumbaEnv1m13_lookup_blendB2v1B102c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDY_2faIoicJgA_3dE5ArrayIfLi2E1C7mutable7alignedEx5ArrayIfLi3E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedEbb5ArrayIfLi3E1C7mutable7alignedE", 290

	.type	".const.can't unbox array from PyObject into native value.  The object maybe of a different type",@object
	.p2align	4, 0x0
".const.can't unbox array from PyObject into native value.  The object maybe of a different type":
	.asciz	"can't unbox array from PyObject into native value.  The object maybe of a different type"
	.size	".const.can't unbox array from PyObject into native value.  The object maybe of a different type", 89

	.type	".const.Error creating Python tuple from runtime exception arguments",@object
	.p2align	4, 0x0
".const.Error creating Python tuple from runtime exception arguments":
	.asciz	"Error creating Python tuple from runtime exception arguments"
	.size	".const.Error creating Python tuple from runtime exception arguments", 61

	.type	".const.Error creating Python tuple from runtime exception arguments.1",@object
	.p2align	4, 0x0
".const.Error creating Python tuple from runtime exception arguments.1":
	.asciz	"Error creating Python tuple from runtime exception arguments"
	.size	".const.Error creating Python tuple from runtime exception arguments.1", 61

	.type	".const.<numba.core.cpu.CPUContext>",@object
	.p2align	4, 0x0
".const.<numba.core.cpu.CPUContext>":
	.asciz	"<numba.core.cpu.CPUContext>"
	.size	".const.<numba.core.cpu.CPUContext>", 28

	.type	".const.Error creating Python tuple from runtime exception arguments.5",@object
	.p2align	4, 0x0
".const.Error creating Python tuple from runtime exception arguments.5":
	.asciz	"Error creating Python tuple from runtime exception arguments"
	.size	".const.Error creating Python tuple from runtime exception arguments.5", 61

	.type	.const.pickledata.a111a816c257411b62fe6f30fae17d6fff064154,@object
	.p2align	4, 0x0
.const.pickledata.a111a816c257411b62fe6f30fae17d6fff064154:
	.ascii	"\200\004\225\204\000\000\000\000\000\000\000\214\bbuiltins\224\214\016AssertionError\224\223\224\214]Sizes of red_out, $758binary_subscr.9 do not match on /work/wt/lut3/cdtnet/lut_kernel.py (77)\224\205\224N\207\224."
	.size	.const.pickledata.a111a816c257411b62fe6f30fae17d6fff064154, 143

	.type	.const.pickledata.a111a816c257411b62fe6f30fae17d6fff064154.sha1,@object
	.p2align	4, 0x0
.const.pickledata.a111a816c257411b62fe6f30fae17d6fff064154.sha1:
	.ascii	"\241\021\250\026\302WA\033b\376o0\372\341}o\377\006AT"
	.size	.const.pickledata.a111a816c257411b62fe6f30fae17d6fff064154.sha1, 20

	.type	.const.picklebuf.a111a816c257411b62fe6f30fae17d6fff064154,@object
	.p2align	4, 0x0
.const.picklebuf.a111a816c257411b62fe6f30fae17d6fff064154:
	.quad	.const.pickledata.a111a816c257411b62fe6f30fae17d6fff064154
	.long	143
	.zero	4
	.quad	.const.pickledata.a111a816c257411b62fe6f30fae17d6fff064154.sha1
	.quad	0
	.long	0
	.zero	4
	.size	.const.picklebuf.a111a816c257411b62fe6f30fae17d6fff064154, 40

	.type	_ZN08NumbaEnv13_3cdynamic_3e36__numba_parfor_gufunc_0x7f6d5a5b81d0B2v9B114c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDYswpLiwBbsD6JwiiHJNAA_3d_3dE5ArrayIyLi1E1C7mutable7alignedExxbb5ArrayIfLi3E1C7mutable7alignedEx5ArrayIfLi2E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedE5ArrayIfLi3E1C7mutable7alignedExxd,@object
	.comm	_ZN08NumbaEnv13_3cdynamic_3e36__numba_parfor_gufunc_0x7f6d5a5b81d0B2v9B114c8tJTC_2fWQAliW1xhDEoY6EEMEUOEMISPGsAQMVj4QniQ4IXKQEMXwoMGLoQDDVsQR1NHAS2hQ9XgStao0sCEDYswpLiwBbsD6JwiiHJNAA_3d_3dE5ArrayIyLi1E1C7mutable7alignedExxbb5ArrayIfLi3E1C7mutable7alignedEx5ArrayIfLi2E1C7mutable7alignedE5ArrayIfLi2E1C7mutable7alignedE5ArrayIfLi3E1C7mutable7alignedExxd,8,8
	.type	_ZN08NumbaEnv5numba2np8arrayobj11impl_carray12_3clocals_3e4implB3v10B54c8tJTIeFIjxB2IKSgI4CrvQCk0Z4yRYcWsBAw4hWqFpgsIBZmgA_3dE10float64_2a8UniTupleIxLi2EE27omitted_28default_3dNone_29,@object
	.comm	_ZN08NumbaEnv5numba2np8arrayobj11impl_carray12_3clocals_3e4implB3v10B54c8tJTIeFIjxB2IKSgI4CrvQCk0Z4yRYcWsBAw4hWqFpgsIBZmgA_3dE10float64_2a8UniTupleIxLi2EE27omitted_28default_3dNone_29,8,8
	.type	_ZN08NumbaEnv5numba7cpython8builtins6ol_min12_3clocals_3e4implB3v11B54c8tJTIeFIjxB2IKSgI4CrvQCk0Z4yRYcWsBAw4hWqFpgsIBZmgA_3dE15StarArgUniTupleIxLi2EE,@object
	.comm	_ZN08NumbaEnv5numba7cpython8builtins6ol_min12_3clocals_3e4implB3v11B54c8tJTIeFIjxB2IKSgI4CrvQCk0Z4yRYcWsBAw4hWqFpgsIBZmgA_3dE15StarArgUniTupleIxLi2EE,8,8
	.type	_ZN08NumbaEnv5numba2np9arraymath6np_any12_3clocals_3e8flat_anyB3v12B54c8tJTIeFIjxB2IKSgI4CrvQCk0Z4yRYcWsBAw4hWqFpgsIBZmgA_3dE5ArrayIfLi1E1C7mutable7alignedE,@object
	.comm	_ZN08NumbaEnv5numba2np9arraymath6np_any12_3clocals_3e8flat_anyB3v12B54c8tJTIeFIjxB2IKSgI4CrvQCk0Z4yRYcWsBAw4hWqFpgsIBZmgA_3dE5ArrayIfLi1E1C7mutable7alignedE,8,8
	.type	_ZN08NumbaEnv5numba2np8arrayobj15make_nditer_cls12_3clocals_3e6NdIter13init_specific12_3clocals_3e11check_shapeB3v13B42c8tJTC_2fWQA93W1AaAIYBPIqRBFCjDSZRVAJmaQIAE8UniTupleIxLi1EE8UniTupleIxLi1EE,@object
	.comm	_ZN08NumbaEnv5numba2np8arrayobj15make_nditer_cls12_3clocals_3e6NdIter13init_specific12_3clocals_3e11check_shapeB3v13B42c8tJTC_2fWQA93W1AaAIYBPIqRBFCjDSZRVAJmaQIAE8UniTupleIxLi1EE8UniTupleIxLi1EE,8,8
	.section	".note.GNU-stack","",@progbits
