/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The start of a session child: its name and its signals (session_child.h). */
#include "session_child.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "process_title.h"

pid_t session_child_fork(void)
{
	sigset_t all, before;
	pid_t pid;
	int saved;

	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &before);
	pid = fork();
	if (pid != 0) {
		saved = errno;
		sigprocmask(SIG_SETMASK, &before, NULL);
		errno = saved;
	}
	return pid;
}

void session_child_begin(const char *name, const char *title, sigset_t *poll_mask)
{
	struct sigaction action;
	static const int ignored[] = { SIGUSR2, SIGALRM };

	process_title_set(name, title);
	/* pppd's handlers and mask are pppd's business: the child starts clean. */
	memset(&action, 0, sizeof(action));
	sigemptyset(&action.sa_mask);
	action.sa_handler = SIG_IGN;
	for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		sigaction(ignored[i], &action, NULL);
	action.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &action, NULL);
	/* Our handlers first, then the mask: a pending SIGTERM reaches ours. */
	stop_signals_install(poll_mask);
}
