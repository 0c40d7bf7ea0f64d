/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The confinement (host_relay.h): the program relays in a worker without
 * root, and when that worker dies the program, still root, ends the session.
 */
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "confinement.h"
#include "host_relay.h"
#include "process_tree.h"

/*
 * The frames are read by a worker without root: the user configure named,
 * no capability, no_new_privs, a seccomp filter; the program itself, still
 * root, holds no session socket.
 */
void confinement_cases(struct lab *lab, struct client *client)
{
	pid_t worker = -1;
	struct passwd *user = getpwnam(PPPOE_MSS_UNPRIVILEGED_USER);
	char uid[64] = "", expected_uid[64] = "", caps[64] = "", nnp[16] = "", seccomp[16] = "";
	uint16_t protocols[8];
	bool session_socket = false;

	(void)lab;
	/* It starts once the PADS is in: a moment after the AC sent it. */
	for (int waited = 0; worker < 0 && waited < STEP_TIMEOUT_MS; waited += 10) {
		worker = process_child_named(client->pid, "pppoe-mss-wire");
		if (worker < 0)
			sleep_ms(10);
	}
	tap(worker > 0 && user != NULL, "confined: the program relays in a child named pppoe-mss-wire (%d)",
	    (int)worker);
	if (user != NULL)
		snprintf(expected_uid, sizeof(expected_uid), "%u\t%u\t%u\t%u", (unsigned)user->pw_uid,
			 (unsigned)user->pw_uid, (unsigned)user->pw_uid, (unsigned)user->pw_uid);
	/* The seccomp filter comes last, before the worker reads its first
	 * frame; under ASan building it takes a moment. */
	for (int waited = 0; worker > 0 && waited < STEP_TIMEOUT_MS; waited += 10) {
		if (process_status_value(worker, "Seccomp:", seccomp, sizeof(seccomp)) &&
		    strcmp(seccomp, "2") == 0)
			break;
		sleep_ms(10);
	}
	if (worker > 0) {
		process_status_value(worker, "Uid:", uid, sizeof(uid));
		process_status_value(worker, "CapEff:", caps, sizeof(caps));
		process_status_value(worker, "NoNewPrivs:", nnp, sizeof(nnp));
		process_status_value(worker, "Seccomp:", seccomp, sizeof(seccomp));
	}
	tap(user != NULL && strcmp(uid, expected_uid) == 0,
	    "confined: the worker runs as %s, real, effective, saved and file system uid (%s)",
	    PPPOE_MSS_UNPRIVILEGED_USER, uid);
	tap(strcmp(caps, "0000000000000000") == 0, "confined: the worker has no capability (%s)", caps);
	tap(strcmp(nnp, "1") == 0 && strcmp(seccomp, "2") == 0,
	    "confined: the worker has no_new_privs (%s) and a seccomp filter (mode %s)", nnp, seccomp);
	int count = packet_socket_protocols_of(client->pid, protocols, 8);
	for (int i = 0; i < count; i++)
		session_socket |= protocols[i] == PPPOE_ETHERTYPE_SESSION;
	tap(count >= 0 && !session_socket,
	    "confined: the program that stays root holds no socket for session frames");
}

/*
 * The worker that reads the frames dies (a crash, a kill from outside): the
 * program, which stayed root for this, ends the session with a PADT, and pppd
 * sees its pty hang up.
 */
void run_worker_killed(struct lab *lab)
{
	struct client client;
	pid_t worker;

	diag("pppoe-mss -I %s, then its worker pppoe-mss-wire is killed with SIGKILL", lab->client_if);
	if (!session_start(lab, &client, "worker-killed", no_args, 0x3d3d0000u, "worker killed"))
		return;
	worker = process_child_named(client.pid, "pppoe-mss-wire");
	tap(worker > 0, "worker killed: the program's worker is there (%d)", (int)worker);
	if (worker <= 0) {
		client_finish(&client);
		return;
	}
	ac_drain(lab);
	kill(worker, SIGKILL);
	session_ends_with_padt(lab, &client, "worker killed", 1);
	uint8_t byte;
	struct pollfd hangup = { .fd = client.pppd_fd, .events = POLLIN };
	tap(poll(&hangup, 1, 0) == 1 && read(client.pppd_fd, &byte, 1) <= 0,
	    "worker killed: pppd's pty hangs up");
	tap(file_contains(client.log_path, "pppoe-mss-wire: killed by signal 9"),
	    "worker killed: the log says the worker was killed");
	client_finish(&client);
}

