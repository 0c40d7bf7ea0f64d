/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A PADT that outlasts a link flap (padt_sender.h). */
#include "padt_sender.h"

#include <errno.h>
#include <time.h>
#include <unistd.h>

#include "discovery_io.h"
#include "log.h"
#include "packet_socket.h"
#include "process_title.h"

/* The link is down, not gone: it may come back within the bound. */
static bool worth_retrying(int send_error, int fd)
{
	bool link_down = false;

	if (send_error == ENETDOWN || send_error == ENOBUFS || send_error == EAGAIN)
		return packet_socket_survives_error(fd, &link_down) || send_error == ENETDOWN;
	return false;
}

static bool send_once(const struct padt_job *job)
{
	if (discovery_io_send_padt(job->disc, job->fd, job->session_id, job->ac_mac, job->reason,
				   job->dump) < 0)
		return false;
	if (job->record != NULL)
		session_record_remove(job->record);
	return true;
}

static enum padt_result retry(const struct padt_job *job)
{
	struct timespec second = { .tv_sec = 1 };

	for (int waited = 0; waited < PADT_RETRY_SECONDS; waited++) {
		nanosleep(&second, NULL);
		if (send_once(job)) {
			log_message(LOG_LEVEL_NOTICE, "%s is back: session %u ended with a PADT "
				    "after %d s", job->nic, job->session_id, waited + 1);
			return PADT_SENT;
		}
		if (!worth_retrying(errno, job->fd))
			break;
	}
	log_message(LOG_LEVEL_WARN, "no PADT could be sent for session %u on %s: the next start on "
		    "%s ends it", job->session_id, job->nic, job->nic);
	return PADT_NOT_SENT;
}

enum padt_result padt_send_retrying(const struct padt_job *job, bool wait_here)
{
	char title[96];
	pid_t pid;

	if (send_once(job))
		return PADT_SENT;
	if (!worth_retrying(errno, job->fd))
		return PADT_NOT_SENT;
	log_message(LOG_LEVEL_NOTICE, "%s is down: trying the PADT for session %u again each second "
		    "for up to %d s", job->nic, job->session_id, PADT_RETRY_SECONDS);
	if (wait_here)
		return retry(job);
	pid = fork();
	if (pid < 0)
		return retry(job);
	if (pid > 0)
		return PADT_RETRYING;
	snprintf(title, sizeof(title), "pppoe-mss-guard %s session %u (PADT pending)", job->nic,
		 job->session_id);
	process_title_set("pppoe-mss-guard", title);
	_exit(retry(job) == PADT_SENT ? 0 : 1);
}
