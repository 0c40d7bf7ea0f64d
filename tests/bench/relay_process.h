/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The relay under test as a process: started on an existing session with
 * a pty as its pppd, measured through /proc (itself and its children:
 * pppoe-mss relays in a confined worker of its own), and stopped.
 */
#ifndef PPPOE_MSS_BENCH_RELAY_PROCESS_H
#define PPPOE_MSS_BENCH_RELAY_PROCESS_H

#include <stdbool.h>
#include <sys/types.h>

#include "relay_bench.h"

struct relay_process {
	pid_t pid;
	int pty;                  /* pppd's end, non-blocking */
	char log_path[128];       /* the relay's stderr */
};

/* program -I client_if -e SESSION_ID:ac_mac -m 1452, its stderr in env->tmpdir. */
bool relay_start(const struct env *env, const struct program *program,
		 struct relay_process *relay);
void relay_stop(struct relay_process *relay);
/* The first lines of its stderr, to ours. */
void relay_show_log(const struct relay_process *relay);

/* CPU time so far, user and system, in seconds: the program's and its children's. */
double process_cpu_seconds(pid_t program);
/* The largest peak RSS (VmHWM) of the program and its children; -1: unknown. */
long process_peak_rss_kib(pid_t program);

#endif
