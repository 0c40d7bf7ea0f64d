/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The start of a session child: its name and its signals (session_child.h). */
#include "session_child.h"

#include <string.h>

#include "process_title.h"

void session_child_begin(const char *name, const char *title, sigset_t *poll_mask)
{
	struct sigaction action;
	sigset_t none;
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
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	stop_signals_install(poll_mask);
}
