/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The early guardian (early_guardian.h). */
#include "early_guardian.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "frame_dump.h"
#include "log.h"
#include "log_limit.h"
#include "monotonic.h"
#include "packet_socket.h"
#include "padt_sender.h"
#include "pads_watch.h"
#include "process_title.h"
#include "session_child.h"
#include "session_recovery.h"
#include "status_publisher.h"
#include "text.h"

/* After a late PADS: how long to wait for answers to the client's other PADRs. */
#define EARLY_GUARDIAN_SIBLING_PADS_MS 1000
/* Stopped after an offer: how long a PADS may still come (the plugin's
 * teardown waits 3 s for us). */
#define EARLY_GUARDIAN_STOPPED_PADS_MS 2000
/* How long the client waits for the guardian to go after the hand-over. */
#define HAND_OVER_WAIT_MS 1000

enum control_kind { CONTROL_TAKE = 1, CONTROL_HAND_OVER = 2 };

/* Smaller than PIPE_BUF: written and read whole. */
struct control_message {
	uint8_t kind;
	uint8_t ac_mac[PPPOE_MAC_LEN];
	uint16_t session_id;
};

struct guard {
	const struct early_guardian_params *params;
	int discovery_fd;            /* its own */
	struct discovery disc;       /* our copy: builds the PADTs */
	struct pads_watch watch;
	bool client_gone;            /* nobody waits for us: retries and lingering may take time */
	bool answer_late;            /* the client gone or stopped: a new PADS is nobody's */
	uint64_t linger_until_ms;    /* no session taken: wait this long for a late PADS */
	uint64_t linger_limit_ms;    /* and never past this, whatever PADSs come */
	struct log_limit late_pads;  /* their lines: a forger can send PADS and PADT pairs */
	bool padt_missing;           /* a PADT that was due could not be sent */
};

static void end_session(struct guard *guard, const struct pads_session *session, bool taken,
			const char *reason)
{
	struct padt_job job = {
		.disc = &guard->disc, .fd = guard->discovery_fd,
		.session_id = session->session_id, .ac_mac = session->ac_mac, .reason = reason,
		.nic = guard->params->iface->name, .dump = guard->params->dump,
		.record = taken ? guard->params->record : NULL,
	};

	/* Nobody waits for an orphan: it may take the retry time itself. */
	if (padt_send_retrying(&job, guard->client_gone) == PADT_NOT_SENT)
		guard->padt_missing = true;
}

/* Frames read per wake-up: a flood cannot keep the guardian from its pipe. */
#define GUARD_FRAME_BATCH 64

static void read_frames(struct guard *guard)
{
	uint8_t frame[PPPOE_DISCOVERY_FRAME_MAX];
	struct pads_session session;

	for (int i = 0; i < GUARD_FRAME_BATCH; i++) {
		ssize_t got = packet_socket_receive(guard->discovery_fd, frame, sizeof(frame));

		if (got <= 0)
			return;
		if (pads_watch_frame(&guard->watch, frame, (size_t)got, &session) !=
		    PADS_WATCH_NEW_SESSION)
			continue;
		frame_dump(guard->params->dump, "received discovery (guardian)", frame, (size_t)got);
		if (!guard->answer_late)
			continue;
		if (log_within_limit(&guard->late_pads, LOG_LEVEL_NOTICE, "late PADSs"))
			log_message(LOG_LEVEL_NOTICE, "a PADS for session %u arrived after the client "
				    "%s: ending it with a PADT", session.session_id,
				    guard->client_gone ? "was gone" : "had stopped");
		end_session(guard, &session, false,
			    guard->client_gone ? "pppoe-mss: client gone" : "pppoe-mss: session closed");
		/*
		 * Answers to the client's other PADRs, if any, are close behind
		 * -- but a stranger's PADS and PADT pairs must not keep us here
		 * for ever (a client that stopped waits for us: its bound holds).
		 */
		if (guard->client_gone) {
			guard->linger_until_ms = monotonic_ms() + EARLY_GUARDIAN_SIBLING_PADS_MS;
			if (guard->linger_until_ms > guard->linger_limit_ms)
				guard->linger_until_ms = guard->linger_limit_ms;
		}
	}
}

/* The sessions an AC set up for us that the client did not take, ended. */
static void end_untaken_sessions(struct guard *guard, const char *reason)
{
	struct pads_session untaken[PADS_WATCH_MAX];
	size_t count = pads_watch_untaken(&guard->watch, untaken, PADS_WATCH_MAX);

	for (size_t i = 0; i < count; i++) {
		log_message(LOG_LEVEL_NOTICE, "session %u was set up for us but never used: ending it "
			    "with a PADT", untaken[i].session_id);
		end_session(guard, &untaken[i], false, reason);
	}
}

/* Every session an AC set up for us that is still open, ended. */
static void end_open_sessions(struct guard *guard, const char *reason)
{
	/* The standalone program publishes the status of the session it keeps:
	 * killed, it cannot withdraw it. */
	if (guard->watch.taken && guard->client_gone)
		status_publisher_end_for(guard->params->iface->name, guard->watch.taken_session.session_id,
					 guard->watch.taken_session.ac_mac);
	if (guard->watch.taken && !guard->watch.taken_ended)
		end_session(guard, &guard->watch.taken_session, true, reason);
	else if (guard->watch.taken && guard->params->record != NULL)
		session_record_remove(guard->params->record);  /* the AC ended it */
	end_untaken_sessions(guard, reason);
}

/* The client's word: false when it is gone (EOF) or handed over. */
static bool read_control(struct guard *guard, int control_fd, bool *handed_over)
{
	struct control_message message;
	ssize_t got = read(control_fd, &message, sizeof(message));

	if (got < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (got != (ssize_t)sizeof(message))
		return false;  /* EOF (or nonsense from what only the client holds) */
	if (message.kind == CONTROL_HAND_OVER) {
		*handed_over = true;
		return false;
	}
	if (message.kind == CONTROL_TAKE) {
		struct pads_session taken = { .session_id = message.session_id };
		char title[64];

		memcpy(taken.ac_mac, message.ac_mac, PPPOE_MAC_LEN);
		pads_watch_take(&guard->watch, &taken);
		snprintf(title, sizeof(title), "pppoe-mss-guard %s session %u", guard->params->iface->name,
			 taken.session_id);
		process_title_set("pppoe-mss-guard", title);
	}
	return true;
}

/*
 * Wait until until_ms for PADSs that come late, answering each with a PADT;
 * a stop signal ends the wait when poll_mask lets one in (NULL: the stop
 * signals stay blocked).
 */
static void linger(struct guard *guard, uint64_t until_ms, const sigset_t *poll_mask)
{
	struct pollfd discovery = { .fd = guard->discovery_fd, .events = POLLIN };

	guard->answer_late = true;
	guard->linger_until_ms = until_ms;
	for (;;) {
		uint64_t now = monotonic_ms();
		struct timespec wait;

		if ((poll_mask != NULL && stop_signal) || now >= guard->linger_until_ms)
			return;
		wait.tv_sec = (time_t)((guard->linger_until_ms - now) / 1000);
		wait.tv_nsec = (long)((guard->linger_until_ms - now) % 1000) * 1000000L;
		if (ppoll(&discovery, 1, &wait, poll_mask) < 0 && errno != EINTR)
			return;
		if (discovery.revents)
			read_frames(guard);
	}
}

/* The client is gone (EOF on the pipe only it holds): SIGKILL, a crash. */
static void after_the_client(struct guard *guard, const sigset_t *poll_mask)
{
	const struct early_guardian_params *params = guard->params;

	guard->client_gone = true;
	guard->linger_limit_ms = monotonic_ms() + EARLY_GUARDIAN_LATE_PADS_MS +
				 EARLY_GUARDIAN_SIBLING_PADS_MS;
	/* Killed between attaching a kernel clamp and starting the child that
	 * would have removed it. */
	if (guard->watch.taken)
		session_recovery_remove_filters(params->record);
	read_frames(guard);  /* what came before the client went */
	bool answered = guard->watch.seen_count > 0;
	end_open_sessions(guard, "pppoe-mss: client gone");
	/* Gone after its PADR, perhaps: a PADS may still be on its way. */
	if (!guard->watch.taken && params->host_uniq_is_ours)
		linger(guard, monotonic_ms() + (answered ? EARLY_GUARDIAN_SIBLING_PADS_MS
							 : EARLY_GUARDIAN_LATE_PADS_MS), poll_mask);
	/* The client's, gone: nothing of it is left to end. */
	if (!guard->padt_missing)
		session_record_remove(params->record);
}

/*
 * Stopped: the client gives up (pppd's SIGTERM during discovery, or its
 * teardown).  A PADS already queued is read first; after an offer and no
 * session, the answer to a PADR may still come: it gets a moment, within
 * what the client's teardown waits for us.  The record is the client's to
 * remove.
 */
static void after_a_stop(struct guard *guard)
{
	read_frames(guard);
	end_open_sessions(guard, "pppoe-mss: session closed");
	/* Bounded, and within the client's own wait: a second stop signal
	 * (the process group's, then the client's) must not cut it short. */
	if (!guard->watch.taken && guard->watch.offered && guard->params->host_uniq_is_ours)
		linger(guard, monotonic_ms() + EARLY_GUARDIAN_STOPPED_PADS_MS, NULL);
}

static void __attribute__((noreturn)) guard_run(const struct early_guardian_params *params,
						int discovery_fd, int control_fd)
{
	struct guard guard = { .params = params, .discovery_fd = discovery_fd };
	enum { CONTROL, DISCOVERY, FDS };
	struct pollfd fds[FDS] = {
		[CONTROL] = { .fd = control_fd, .events = POLLIN },
		[DISCOVERY] = { .fd = discovery_fd, .events = POLLIN },
	};
	bool handed_over = false;
	sigset_t poll_mask;
	char title[64];

	snprintf(title, sizeof(title), "pppoe-mss-guard %s discovery", params->iface->name);
	session_child_begin("pppoe-mss-guard", title, &poll_mask);
	for (size_t i = 0; i < params->let_go_count; i++)
		if (params->let_go[i] >= 0)
			close(params->let_go[i]);
	guard.disc = *params->disc;
	pads_watch_init(&guard.watch, &guard.disc.config);
	/* As many lines as sessions it can keep at a time, a minute. */
	log_limit_init(&guard.late_pads, PADS_WATCH_MAX, 60000);

	while (!stop_signal && !guard.client_gone) {
		if (ppoll(fds, FDS, NULL, &poll_mask) < 0) {
			if (errno == EINTR)
				continue;
			log_message(LOG_LEVEL_ERROR, "guardian: poll: %s", strerror(errno));
			break;
		}
		/* The client's word first: a PADT may only make sense after its take. */
		if (fds[CONTROL].revents && !read_control(&guard, control_fd, &handed_over)) {
			if (handed_over) {
				/* The taken one is the session child's; a second
				 * answer to a retried PADR is nobody's. */
				read_frames(&guard);
				end_untaken_sessions(&guard, "pppoe-mss: session not used");
				_exit(SESSION_CHILD_EXIT_CLEAN);
			}
			guard.client_gone = true;
		} else if (fds[DISCOVERY].revents) {
			read_frames(&guard);
		}
	}
	if (guard.client_gone)
		after_the_client(&guard, &poll_mask);
	else
		after_a_stop(&guard);
	uint64_t held_back = log_limit_take_held_back(&guard.late_pads);
	if (held_back > 0)
		log_message(LOG_LEVEL_NOTICE, "late PADSs: %llu more were ended with a PADT, not "
			    "logged", (unsigned long long)held_back);
	_exit(guard.padt_missing ? SESSION_CHILD_EXIT_PADT_NEEDED : SESSION_CHILD_EXIT_CLEAN);
}

int early_guardian_start(struct early_guardian *guardian,
			 const struct early_guardian_params *params)
{
	int pipe_fds[2], discovery_fd;
	char error[256];

	guardian->pid = -1;
	guardian->control_fd = -1;
	if (session_record_create(params->record, params->state_dir, params->iface->name, error,
				  sizeof(error)) < 0)
		log_message(LOG_LEVEL_WARN, "%s: a session of a client killed with everything it had "
			    "will not be ended at the next start", error);
	discovery_fd = packet_socket_open(params->iface, params->disc->config.ethertypes.discovery,
					  error, sizeof(error));
	if (discovery_fd < 0) {
		log_message(LOG_LEVEL_ERROR, "%s", error);
		return -1;
	}
	if (pipe2(pipe_fds, O_CLOEXEC) < 0)
		goto fail;
	guardian->pid = session_child_fork();
	if (guardian->pid == 0) {
		close(pipe_fds[1]);
		guard_run(params, discovery_fd, pipe_fds[0]);
	}
	close(pipe_fds[0]);
	if (guardian->pid < 0) {
		close(pipe_fds[1]);
		goto fail;
	}
	close(discovery_fd);
	guardian->control_fd = pipe_fds[1];
	return 0;
fail:
	log_message(LOG_LEVEL_ERROR, "cannot start the guardian process: %s", strerror(errno));
	close(discovery_fd);
	return -1;
}

static void send_control(struct early_guardian *guardian, const struct control_message *message)
{
	ssize_t sent;

	if (guardian->control_fd < 0)
		return;
	do
		sent = write(guardian->control_fd, message, sizeof(*message));
	while (sent < 0 && errno == EINTR);
}

void early_guardian_take(struct early_guardian *guardian, uint16_t session_id,
			 const uint8_t ac_mac[PPPOE_MAC_LEN])
{
	struct control_message message = { .kind = CONTROL_TAKE, .session_id = session_id };

	memcpy(message.ac_mac, ac_mac, PPPOE_MAC_LEN);
	send_control(guardian, &message);
}

void early_guardian_hand_over(struct early_guardian *guardian)
{
	struct control_message message = { .kind = CONTROL_HAND_OVER };
	struct timespec pause = { .tv_nsec = 10 * 1000000L };

	send_control(guardian, &message);
	early_guardian_close_in_child(guardian);
	if (guardian->pid <= 0)
		return;
	for (int waited = 0; waited < HAND_OVER_WAIT_MS; waited += 10) {
		pid_t got = waitpid(guardian->pid, NULL, WNOHANG);
		/* ECHILD: pppd's own reaper took it. */
		if (got == guardian->pid || (got < 0 && errno != EINTR))
			goto reaped;
		nanosleep(&pause, NULL);
	}
	/* It ends nothing after a hand-over: nothing is lost by killing it. */
	kill(guardian->pid, SIGKILL);
	waitpid(guardian->pid, NULL, 0);
reaped:
	guardian->pid = -1;
}

void early_guardian_close_in_child(struct early_guardian *guardian)
{
	if (guardian->control_fd >= 0)
		close(guardian->control_fd);
	guardian->control_fd = -1;
}
