/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * LD_PRELOAD'ed into User-Mode Linux by tests/lab/uml-run: lets UML 6.1 run
 * on hosts whose CPUs have more extended FPU state than its buffer holds
 * (AVX-512).  UML saves and restores its processes' FPU state with
 * PTRACE_GETREGSET/SETREGSET(NT_X86_XSTATE) through a fixed-size buffer;
 * the host truncates a GETREGSET to that size, but refuses (EFAULT) a
 * SETREGSET of anything but the whole state, and UML panics ("ptrace set fp
 * regs failed, errno = 14") at its first process.  Here a short SETREGSET
 * becomes: read the whole state, lay UML's bytes over its start, write the
 * whole state back -- what lies beyond UML's buffer stays as the host had it.
 * Every other request passes through unchanged.
 */
/* _GNU_SOURCE (RTLD_NEXT) comes from the build flags. */
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/uio.h>

/* Far above any x86 XSAVE area today (AVX-512 with AMX: about 11 KiB). */
#define XSTATE_MAX (64 * 1024)

typedef long (*ptrace_function)(enum __ptrace_request request, pid_t pid, void *addr, void *data);

long ptrace(enum __ptrace_request request, ...)
{
	static ptrace_function real_ptrace;
	static unsigned char whole[XSTATE_MAX];
	struct iovec *given, full;
	va_list args;
	pid_t pid;
	void *addr, *data;

	va_start(args, request);
	pid = va_arg(args, pid_t);
	addr = va_arg(args, void *);
	data = va_arg(args, void *);
	va_end(args);
	if (real_ptrace == NULL)
		real_ptrace = (ptrace_function)dlsym(RTLD_NEXT, "ptrace");
	if (request != PTRACE_SETREGSET || (unsigned long)addr != NT_X86_XSTATE || data == NULL)
		return real_ptrace(request, pid, addr, data);

	given = data;
	full.iov_base = whole;
	full.iov_len = sizeof(whole);
	if (real_ptrace(PTRACE_GETREGSET, pid, addr, &full) < 0)
		return -1;
	if (given->iov_len >= full.iov_len)
		return real_ptrace(request, pid, addr, data);
	memcpy(whole, given->iov_base, given->iov_len);
	return real_ptrace(request, pid, addr, &full);
}
