/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The early guardian (early_guardian.h). */
#include "early_guardian.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
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
#include "session_worker.h"
#include "status_publisher.h"

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

/*
 * What the worker that reads the frames asks of the guardian, which kept
 * root for it: the PADTs (the guardian may fork a child that retries them),
 * the record, the clamp's filters, a status file.
 */
enum request_kind {
	REQUEST_END_SESSION = 1,     /* a PADT for session_id at ac_mac */
	REQUEST_REMOVE_FILTERS = 2,  /* those the record names */
	REQUEST_REMOVE_RECORD = 3,
	REQUEST_REMOVE_RECORD_IF_ALL_SENT = 4,  /* unless a PADT could not be sent */
	REQUEST_WITHDRAW_STATUS = 5, /* of session_id at ac_mac */
	REQUEST_TAKEN = 6,           /* the client took session_id: for the title */
};

enum end_reason { REASON_SESSION_CLOSED, REASON_CLIENT_GONE, REASON_NOT_USED, REASON_COUNT };

static const char *const end_reasons[REASON_COUNT] = {
	[REASON_SESSION_CLOSED] = "pppoe-mss: session closed",
	[REASON_CLIENT_GONE] = "pppoe-mss: client gone",
	[REASON_NOT_USED] = "pppoe-mss: session not used",
};

struct request {
	uint8_t kind;
	uint8_t reason;              /* enum end_reason */
	uint8_t taken;               /* the session the record holds */
	uint8_t nobody_waits;        /* the client is gone: retries may take their time */
	uint8_t ac_mac[PPPOE_MAC_LEN];
	uint16_t session_id;
};

/* The worker's state: it reads the frames and the client's word. */
struct guard {
	const struct early_guardian_params *params;
	int discovery_fd;            /* its own */
	struct discovery disc;       /* our copy: knows our Host-Uniq */
	struct pads_watch watch;
	bool client_gone;            /* nobody waits for us: retries and lingering may take time */
	bool answer_late;            /* the client gone or stopped: a new PADS is nobody's */
	uint64_t linger_until_ms;    /* no session taken: wait this long for a late PADS */
	uint64_t linger_limit_ms;    /* and never past this, whatever PADSs come */
	struct log_limit late_pads;  /* their lines: a forger can send PADS and PADT pairs */
	int control_fd;              /* the client's pipe: its word, and EOF when it is gone */
};

static void ask(enum request_kind kind, const struct pads_session *session)
{
	struct request request = { .kind = (uint8_t)kind };

	if (session != NULL) {
		request.session_id = session->session_id;
		memcpy(request.ac_mac, session->ac_mac, PPPOE_MAC_LEN);
	}
	session_worker_request(&request, sizeof(request));
}

static void end_session(struct guard *guard, const struct pads_session *session, bool taken,
			enum end_reason reason)
{
	struct request request = {
		.kind = REQUEST_END_SESSION, .reason = (uint8_t)reason, .taken = taken,
		.nobody_waits = guard->client_gone, .session_id = session->session_id,
	};

	memcpy(request.ac_mac, session->ac_mac, PPPOE_MAC_LEN);
	session_worker_request(&request, sizeof(request));
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
			    guard->client_gone ? REASON_CLIENT_GONE : REASON_SESSION_CLOSED);
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
static void end_untaken_sessions(struct guard *guard, enum end_reason reason)
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
static void end_open_sessions(struct guard *guard, enum end_reason reason)
{
	/* The standalone program publishes the status of the session it keeps:
	 * killed, it cannot withdraw it. */
	if (guard->watch.taken && guard->client_gone)
		ask(REQUEST_WITHDRAW_STATUS, &guard->watch.taken_session);
	if (guard->watch.taken && !guard->watch.taken_ended)
		end_session(guard, &guard->watch.taken_session, true, reason);
	else if (guard->watch.taken)
		ask(REQUEST_REMOVE_RECORD, NULL);  /* the AC ended it */
	end_untaken_sessions(guard, reason);
}

/* The client's word: false when it is gone (EOF) or handed over. */
enum control_word { CONTROL_NONE, CONTROL_TOOK, CONTROL_HANDED_OVER, CONTROL_GONE };

/* One message from the client, if one is there; taken: the session it took. */
static enum control_word read_control_word(int control_fd, struct pads_session *taken)
{
	struct control_message message;
	ssize_t got = read(control_fd, &message, sizeof(message));

	if (got < 0 && (errno == EINTR || errno == EAGAIN))
		return CONTROL_NONE;
	if (got != (ssize_t)sizeof(message))
		return CONTROL_GONE;  /* EOF (or nonsense from what only the client holds) */
	if (message.kind == CONTROL_HAND_OVER)
		return CONTROL_HANDED_OVER;
	if (message.kind != CONTROL_TAKE)
		return CONTROL_NONE;
	taken->session_id = message.session_id;
	memcpy(taken->ac_mac, message.ac_mac, PPPOE_MAC_LEN);
	return CONTROL_TOOK;
}

/* The client's word: false when it is gone (EOF) or handed over. */
static bool read_control(struct guard *guard, int control_fd, bool *handed_over)
{
	struct pads_session taken;

	switch (read_control_word(control_fd, &taken)) {
	case CONTROL_NONE:
		return true;
	case CONTROL_TOOK:
		pads_watch_take(&guard->watch, &taken);
		ask(REQUEST_TAKEN, &taken);
		return true;
	case CONTROL_HANDED_OVER:
		*handed_over = true;
		return false;
	case CONTROL_GONE:
	default:
		return false;
	}
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
		ask(REQUEST_REMOVE_FILTERS, NULL);
	read_frames(guard);  /* what came before the client went */
	bool answered = guard->watch.seen_count > 0;
	end_open_sessions(guard, REASON_CLIENT_GONE);
	/* Gone after its PADR, perhaps: a PADS may still be on its way. */
	if (!guard->watch.taken && params->host_uniq_is_ours)
		linger(guard, monotonic_ms() + (answered ? EARLY_GUARDIAN_SIBLING_PADS_MS
							 : EARLY_GUARDIAN_LATE_PADS_MS), poll_mask);
	/* The client's, gone: nothing of it is left to end. */
	ask(REQUEST_REMOVE_RECORD_IF_ALL_SENT, NULL);
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
	end_open_sessions(guard, REASON_SESSION_CLOSED);
	/* Bounded, and within the client's own wait: a second stop signal
	 * (the process group's, then the client's) must not cut it short. */
	if (!guard->watch.taken && guard->watch.offered && guard->params->host_uniq_is_ours)
		linger(guard, monotonic_ms() + EARLY_GUARDIAN_STOPPED_PADS_MS, NULL);
}

/* The worker: confined, it reads the frames and the client's word. */
static int guard_work(const sigset_t *poll_mask, void *context)
{
	struct guard *guard = context;
	const struct early_guardian_params *params = guard->params;
	enum { CONTROL, DISCOVERY, FDS };
	struct pollfd fds[FDS] = {
		[CONTROL] = { .fd = guard->control_fd, .events = POLLIN },
		[DISCOVERY] = { .fd = guard->discovery_fd, .events = POLLIN },
	};
	bool handed_over = false;

	guard->disc = *params->disc;
	pads_watch_init(&guard->watch, &guard->disc.config);
	/* As many lines as sessions it can keep at a time, a minute. */
	log_limit_init(&guard->late_pads, PADS_WATCH_MAX, 60000);

	while (!stop_signal && !guard->client_gone) {
		if (ppoll(fds, FDS, NULL, poll_mask) < 0) {
			if (errno == EINTR)
				continue;
			log_message(LOG_LEVEL_ERROR, "guardian: poll: %s", strerror(errno));
			break;
		}
		/* The client's word first: a PADT may only make sense after its take. */
		if (fds[CONTROL].revents && !read_control(guard, guard->control_fd, &handed_over)) {
			if (handed_over) {
				/* The taken one is the session child's; a second
				 * answer to a retried PADR is nobody's. */
				read_frames(guard);
				end_untaken_sessions(guard, REASON_NOT_USED);
				return 0;
			}
			guard->client_gone = true;
		} else if (fds[DISCOVERY].revents) {
			read_frames(guard);
		}
	}
	if (guard->client_gone)
		after_the_client(guard, poll_mask);
	else
		after_a_stop(guard);
	uint64_t held_back = log_limit_take_held_back(&guard->late_pads);
	if (held_back > 0)
		log_message(LOG_LEVEL_NOTICE, "late PADSs: %llu more were ended with a PADT, not "
			    "logged", (unsigned long long)held_back);
	return 0;
}

/* PADTs a worker may ask for: answers to every PADS a few clients could
 * get, not a root process forking retries without end. */
#define END_SESSION_REQUESTS_MAX 64

/* The guardian's state: what it does for the worker, with root. */
struct keeper {
	const struct early_guardian_params *params;
	int discovery_fd;
	bool padt_missing;           /* a PADT that was due could not be sent */
	bool taken;                  /* the client took taken_session (the worker says) */
	struct pads_session taken_session;
	unsigned end_session_requests;
};

static void keeper_end_session(struct keeper *keeper, const struct pads_session *session,
			       bool taken, enum end_reason reason, bool nobody_waits)
{
	const struct early_guardian_params *params = keeper->params;
	struct padt_job job = {
		.disc = params->disc, .fd = keeper->discovery_fd,
		.session_id = session->session_id, .ac_mac = session->ac_mac,
		.reason = end_reasons[reason], .nic = params->iface->name, .dump = params->dump,
		.record = taken ? params->record : NULL,
	};

	/* Nobody waits for an orphan: it may take the retry time itself. */
	if (padt_send_retrying(&job, nobody_waits) == PADT_NOT_SENT)
		keeper->padt_missing = true;
}

/* A request of the worker's: honoured as far as it concerns this client's
 * own session, record and filters, and within bounds. */
static void on_request(const void *bytes, size_t len, void *context)
{
	struct keeper *keeper = context;
	const struct early_guardian_params *params = keeper->params;
	struct pads_session session;
	struct request request;
	char title[64];

	if (len != sizeof(request))
		return;
	memcpy(&request, bytes, sizeof(request));
	session.session_id = request.session_id;
	memcpy(session.ac_mac, request.ac_mac, PPPOE_MAC_LEN);
	bool is_taken = keeper->taken && session.session_id == keeper->taken_session.session_id &&
			memcmp(session.ac_mac, keeper->taken_session.ac_mac, PPPOE_MAC_LEN) == 0;
	switch (request.kind) {
	case REQUEST_END_SESSION:
		if (++keeper->end_session_requests > END_SESSION_REQUESTS_MAX) {
			if (keeper->end_session_requests == END_SESSION_REQUESTS_MAX + 1)
				log_message(LOG_LEVEL_WARN, "guardian: more than %d sessions to end: "
					    "ending no more", END_SESSION_REQUESTS_MAX);
			break;
		}
		keeper_end_session(keeper, &session, request.taken && is_taken,
				   request.reason < REASON_COUNT ? request.reason : REASON_SESSION_CLOSED,
				   request.nobody_waits);
		break;
	case REQUEST_REMOVE_FILTERS:
		if (keeper->taken)
			session_recovery_remove_filters(params->record);
		break;
	case REQUEST_REMOVE_RECORD:
		session_record_remove(params->record);
		break;
	case REQUEST_REMOVE_RECORD_IF_ALL_SENT:
		if (!keeper->padt_missing)
			session_record_remove(params->record);
		break;
	case REQUEST_WITHDRAW_STATUS:
		if (is_taken)
			status_publisher_end_for(params->iface->name, session.session_id, session.ac_mac);
		break;
	case REQUEST_TAKEN:
		keeper->taken = true;
		keeper->taken_session = session;
		snprintf(title, sizeof(title), "pppoe-mss-guard %s session %u", params->iface->name,
			 session.session_id);
		process_title_set("pppoe-mss-guard", title);
		break;
	default:
		break;
	}
}

/*
 * The worker is gone without its outcome (a crash, a kill).  Without eyes on
 * the segment the guardian still keeps its first duty, on the client's word
 * alone: once the client is gone, or stops it, the session it took is ended.
 */
static void after_the_worker(struct keeper *keeper, int control_fd, const sigset_t *poll_mask)
{
	struct pollfd control = { .fd = control_fd, .events = POLLIN };
	struct pads_session taken;

	keeper->padt_missing = true;  /* whatever it would have ended */
	for (;;) {
		if (stop_signal) {
			if (keeper->taken)
				keeper_end_session(keeper, &keeper->taken_session, true,
						   REASON_SESSION_CLOSED, false);
			return;
		}
		if (ppoll(&control, 1, NULL, poll_mask) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		switch (read_control_word(control_fd, &taken)) {
		case CONTROL_NONE:
			break;
		case CONTROL_TOOK:
			keeper->taken = true;
			keeper->taken_session = taken;
			break;
		case CONTROL_HANDED_OVER:
			return;
		case CONTROL_GONE:
			if (!keeper->taken)
				return;
			session_recovery_remove_filters(keeper->params->record);
			status_publisher_end_for(keeper->params->iface->name,
						 keeper->taken_session.session_id,
						 keeper->taken_session.ac_mac);
			keeper->padt_missing = false;
			keeper_end_session(keeper, &keeper->taken_session, true, REASON_CLIENT_GONE,
					   true);
			return;
		}
	}
}

static void __attribute__((noreturn)) guard_run(const struct early_guardian_params *params,
						int discovery_fd, int control_fd)
{
	static struct guard guard;
	struct keeper keeper = { .params = params, .discovery_fd = discovery_fd };
	struct session_worker worker;
	sigset_t poll_mask;
	char title[64], worker_title[64];

	snprintf(title, sizeof(title), "pppoe-mss-guard %s discovery", params->iface->name);
	session_child_begin("pppoe-mss-guard", title, &poll_mask);
	for (size_t i = 0; i < params->let_go_count; i++)
		if (params->let_go[i] >= 0)
			close(params->let_go[i]);

	guard.params = params;
	guard.discovery_fd = discovery_fd;
	guard.control_fd = control_fd;
	int keep[] = { discovery_fd, control_fd, frame_dump_fd(params->dump) };
	snprintf(worker_title, sizeof(worker_title), "pppoe-mss-wire %s guard", params->iface->name);
	struct session_worker_params worker_params = {
		.name = "pppoe-mss-wire", .title = worker_title, .confinement = params->confinement,
		.keep = keep, .keep_count = sizeof(keep) / sizeof(keep[0]),
		.work = guard_work, .context = &guard,
	};
	/* If it cannot start, the guardian keeps to the client's word alone. */
	if (session_worker_start(&worker, &worker_params) < 0) {
		after_the_worker(&keeper, control_fd, &poll_mask);
		_exit(keeper.padt_missing ? SESSION_CHILD_EXIT_PADT_NEEDED : SESSION_CHILD_EXIT_CLEAN);
	}
	/* The client's pipe is the worker's to read while it lives. */
	struct session_worker_watch watch = {
		.poll_mask = &poll_mask, .on_request = on_request, .context = &keeper,
	};
	if (session_worker_wait(&worker, &watch) < 0)
		after_the_worker(&keeper, control_fd, &poll_mask);
	_exit(keeper.padt_missing ? SESSION_CHILD_EXIT_PADT_NEEDED : SESSION_CHILD_EXIT_CLEAN);
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
