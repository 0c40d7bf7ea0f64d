/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Idempotent teardown of a plugin session (see session_lifecycle.h). */
#include "session_lifecycle.h"

#include <string.h>
#include <sys/wait.h>

void session_lifecycle_init(struct session_lifecycle *life)
{
	memset(life, 0, sizeof(*life));
}

void session_lifecycle_sockets_opened(struct session_lifecycle *life)
{
	life->sockets_open = true;
}

void session_lifecycle_session_up(struct session_lifecycle *life)
{
	life->session_up = true;
	life->child_took_care_of_padt = false;
}

void session_lifecycle_child_started(struct session_lifecycle *life)
{
	life->child_running = true;
	life->child_stop_requested = false;
}

void session_lifecycle_child_exited(struct session_lifecycle *life, int wait_status)
{
	life->child_running = false;
	/* Killed by a signal (SIGKILL, a crash) or failed: the PADT is ours to send. */
	life->child_took_care_of_padt = WIFEXITED(wait_status) &&
					WEXITSTATUS(wait_status) == SESSION_CHILD_EXIT_CLEAN;
}

void session_lifecycle_child_lost(struct session_lifecycle *life)
{
	life->child_running = false;
	/* A second PADT for a closed session is ignored by the AC; a missing one
	 * leaves a stale session behind.  Without knowing, send it. */
	life->child_took_care_of_padt = false;
}

unsigned session_lifecycle_next(struct session_lifecycle *life)
{
	if (life->child_running) {
		if (life->child_stop_requested)
			return 0;  /* waiting for the caller to report the reap */
		life->child_stop_requested = true;
		return SESSION_LIFECYCLE_STOP_CHILD | SESSION_LIFECYCLE_REAP_CHILD;
	}
	if (life->session_up) {
		unsigned actions = 0;

		life->session_up = false;
		if (!life->child_took_care_of_padt)
			actions |= SESSION_LIFECYCLE_SEND_PADT;
		if (life->sockets_open) {
			life->sockets_open = false;
			actions |= SESSION_LIFECYCLE_CLOSE_SOCKETS;
		}
		return actions;
	}
	if (life->sockets_open) {
		life->sockets_open = false;
		return SESSION_LIFECYCLE_CLOSE_SOCKETS;
	}
	return 0;
}

bool session_lifecycle_done(const struct session_lifecycle *life)
{
	return !life->child_running && !life->session_up && !life->sockets_open;
}
