/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A child process followed by a pidfd (child_process.h). */
#include "child_process.h"

#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

void child_process_follow(struct child_process *child, pid_t pid)
{
	child_process_forget(child);
	child->pid = pid;
#ifdef SYS_pidfd_open
	if (pid > 0)
		child->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
#endif
}

int child_process_signal(const struct child_process *child, int signum)
{
	if (child->pid <= 0) {
		errno = ESRCH;
		return -1;
	}
#ifdef SYS_pidfd_send_signal
	if (child->pidfd >= 0)
		return (int)syscall(SYS_pidfd_send_signal, child->pidfd, signum, NULL, 0);
#endif
	return kill(child->pid, signum);
}

/* waitid() says what waitpid()'s status would have. */
static int wait_status_of(const siginfo_t *info)
{
	if (info->si_code == CLD_EXITED)
		return W_EXITCODE(info->si_status, 0);
	return W_EXITCODE(0, info->si_status) | (info->si_code == CLD_DUMPED ? WCOREFLAG : 0);
}

enum child_process_state child_process_reap(struct child_process *child, bool block,
					    int *wait_status)
{
	enum child_process_state state = CHILD_PROCESS_GONE;
	siginfo_t info;
	int got;

	if (child->pid <= 0)
		return CHILD_PROCESS_GONE;
	for (;;) {
		if (child->pidfd >= 0) {
			info.si_pid = 0;
			got = waitid(P_PIDFD, (id_t)child->pidfd, &info,
				     WEXITED | (block ? 0 : WNOHANG));
			if (got < 0 && errno == EINVAL) {
				/* Linux 5.3: pidfds, but no waitid() on them. */
				close(child->pidfd);
				child->pidfd = -1;
				continue;
			}
			if (got == 0 && info.si_pid == 0)
				return CHILD_PROCESS_RUNNING;
			if (got == 0)
				*wait_status = wait_status_of(&info);
		} else {
			pid_t reaped = waitpid(child->pid, wait_status, block ? 0 : WNOHANG);

			if (reaped == 0)
				return CHILD_PROCESS_RUNNING;
			got = reaped == child->pid ? 0 : -1;
		}
		if (got == 0 || errno != EINTR)
			break;
	}
	if (got == 0)
		state = CHILD_PROCESS_EXITED;
	child_process_forget(child);
	return state;
}

void child_process_forget(struct child_process *child)
{
	if (child->pidfd >= 0)
		close(child->pidfd);
	child->pidfd = -1;
	child->pid = -1;
}
