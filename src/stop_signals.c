/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Stop and counter signals for the session's event loops (stop_signals.h). */
#include "stop_signals.h"

#include <string.h>

volatile sig_atomic_t stop_signal;
volatile sig_atomic_t counters_signal;

static const int stopping[] = { SIGTERM, SIGINT, SIGHUP };

static void on_stop_signal(int signum)
{
	stop_signal = signum;
}

static void on_counters_signal(int signum)
{
	(void)signum;
	counters_signal = 1;
}

bool stop_signal_received(void)
{
	return stop_signal != 0;
}

void stop_signals_install(sigset_t *poll_mask)
{
	struct sigaction action;
	sigset_t blocked;

	memset(&action, 0, sizeof(action));
	sigemptyset(&action.sa_mask);
	sigemptyset(&blocked);
	action.sa_handler = on_stop_signal;
	for (size_t i = 0; i < sizeof(stopping) / sizeof(stopping[0]); i++) {
		sigaction(stopping[i], &action, NULL);
		sigaddset(&blocked, stopping[i]);
	}
	action.sa_handler = on_counters_signal;
	sigaction(SIGUSR1, &action, NULL);
	sigaddset(&blocked, SIGUSR1);
	action.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &action, NULL);

	/* Whatever mask came with the process (a fork with all blocked):
	 * these four blocked, every other signal not. */
	sigprocmask(SIG_SETMASK, &blocked, NULL);
	sigemptyset(poll_mask);
}
