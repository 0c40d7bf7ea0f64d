/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A child process followed by a pidfd, so that signalling and reaping it
 * can never reach another process: pppd's own reaper may collect our child
 * first, and the system may then give its pid to anyone.  Where the kernel
 * has no pidfds (before Linux 5.3/5.4), the pid is all there is.
 */
#ifndef PPPOE_MSS_CHILD_PROCESS_H
#define PPPOE_MSS_CHILD_PROCESS_H

#include <stdbool.h>
#include <sys/types.h>

struct child_process {
	pid_t pid;  /* -1: none */
	int pidfd;  /* -1: none, or no pidfds here */
};

#define CHILD_PROCESS_NONE { .pid = -1, .pidfd = -1 }

/* Follow pid, a child forked just now, before anyone could have reaped it
 * (instead of the one followed so far, if any). */
void child_process_follow(struct child_process *child, pid_t pid);

/* 0, or -1 with errno (ESRCH: it is gone, reaped by us or by someone else). */
int child_process_signal(const struct child_process *child, int signum);

enum child_process_state {
	CHILD_PROCESS_RUNNING,
	CHILD_PROCESS_EXITED,  /* reaped here: *wait_status is waitpid()'s status */
	CHILD_PROCESS_GONE,    /* reaped by someone else: its status is lost */
};

/* Reap it if it has exited (block: wait until it has).  After EXITED or
 * GONE the child is forgotten. */
enum child_process_state child_process_reap(struct child_process *child, bool block,
					    int *wait_status);

/* Stop following it (a forked child lets go of its parent's children). */
void child_process_forget(struct child_process *child);

#endif
