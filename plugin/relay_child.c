/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The relay child: signals, the relay loop, and the PADT on the way out. */
#include "relay_child.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "discovery_io.h"
#include "log.h"
#include "process_title.h"
#include "relay_loop.h"
#include "session_lifecycle.h"

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int signum)
{
	stop_signal = signum;
}

/* SIGUSR1: the drop and clamp counters, without ending the session. */
static volatile sig_atomic_t counters_requested;

static void on_counters_signal(int signum)
{
	(void)signum;
	counters_requested = 1;
}

struct wakeup_context {
	struct link_share *share;
	uint32_t seen;
};

static void take_link_values(struct relay *relay, void *context)
{
	struct wakeup_context *wake = context;
	unsigned mtu, mru;

	if (link_share_poll(wake->share, &wake->seen, &mtu, &mru) && mtu != 0 && mru != 0)
		relay_set_link_mtu(relay, mtu, mru);
}

/* pppd's handlers and mask are pppd's business: the child starts clean and
 * blocks the stop signals except while it waits in ppoll. */
static void reset_signals(sigset_t *poll_mask)
{
	struct sigaction action;
	sigset_t stop_set;
	static const int ignored[] = { SIGPIPE, SIGUSR2, SIGALRM };
	static const int stopping[] = { SIGTERM, SIGINT, SIGHUP };

	memset(&action, 0, sizeof(action));
	sigemptyset(&action.sa_mask);
	action.sa_handler = SIG_IGN;
	for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		sigaction(ignored[i], &action, NULL);
	action.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &action, NULL);
	action.sa_handler = on_stop_signal;
	sigemptyset(&stop_set);
	for (size_t i = 0; i < sizeof(stopping) / sizeof(stopping[0]); i++) {
		sigaction(stopping[i], &action, NULL);
		sigaddset(&stop_set, stopping[i]);
	}
	action.sa_handler = on_counters_signal;
	sigaction(SIGUSR1, &action, NULL);
	sigaddset(&stop_set, SIGUSR1);
	sigprocmask(SIG_SETMASK, &stop_set, NULL);
	sigemptyset(poll_mask);
}

static void __attribute__((noreturn)) relay_child_run(const struct relay_child_params *params)
{
	static struct relay relay;
	struct wakeup_context wake = { .share = params->share };
	sigset_t poll_mask;
	enum relay_exit why;
	char title[64];

	snprintf(title, sizeof(title), "pppoe-mss-relay %s session %u", params->ifname,
		 params->relay.session_id);
	process_title_set("pppoe-mss-relay", title);
	close(params->pty_slave);
	reset_signals(&poll_mask);
	relay_init(&relay, &params->relay);

	struct relay_loop_config loop = {
		.pppd_in = params->pty_master, .pppd_out = params->pty_master,
		.session_fd = params->session_fd, .discovery_fd = params->discovery_fd,
		.sync = params->sync, .idle_timeout_s = params->idle_timeout_s,
		.dump = params->dump, .stop = &stop_signal,
		.poll_mask = &poll_mask, .on_wakeup = take_link_values, .context = &wake,
		.log_counters = &counters_requested,
	};
	why = relay_loop_run(&relay, params->disc, &loop);
	log_message(LOG_LEVEL_NOTICE, "session %u ended: %s", params->relay.session_id,
		    relay_exit_name(why));
	relay_log_counters(&relay);
	if (why == RELAY_EXIT_PADT)
		_exit(RELAY_CHILD_EXIT_CLEAN);
	if (discovery_io_send_padt(params->disc, params->discovery_fd, params->relay.session_id,
				   params->relay.ac_mac, "pppoe-mss: session closed", params->dump) == 0)
		_exit(RELAY_CHILD_EXIT_CLEAN);
	_exit(RELAY_CHILD_EXIT_PADT_NEEDED);
}

pid_t relay_child_start(const struct relay_child_params *params)
{
	pid_t pid = fork();

	if (pid == 0)
		relay_child_run(params);
	return pid;
}
