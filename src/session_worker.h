/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The part of a session that reads frames from the segment -- the relay, or
 * the kernel session's watch for the AC's PADT -- runs in a child of its own
 * that gave up root and most system calls (confinement.h), holding only the
 * descriptors it works with.  Its parent keeps root for what needs it and
 * reads no frame: it logs what the worker tells it, publishes the status the
 * worker reports, and, when the worker is gone for whatever reason (its
 * outcome, a crash, a kill), ends the session: the PADT, the record, the
 * clamp's filters.
 */
#ifndef PPPOE_MSS_SESSION_WORKER_H
#define PPPOE_MSS_SESSION_WORKER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "child_process.h"
#include "confinement.h"
#include "session_status.h"

struct session_worker {
	const char *name;               /* for the log */
	struct child_process process;
	int report_fd;                  /* the parent's end; the peer's close: the worker is gone */
	struct session_status status;   /* what it last reported */
	bool status_reported;
	int outcome;                    /* what its work() returned; -1: nothing yet */
};

#define SESSION_WORKER_OUTCOME_MAX 100

#define SESSION_WORKER_NONE { .process = CHILD_PROCESS_NONE, .report_fd = -1 }

/*
 * What the worker runs, confined, with the stop signals of stop_signals.h
 * installed (poll_mask: the mask to wait with).  It returns its outcome, a
 * small number of its own (0..SESSION_WORKER_OUTCOME_MAX) that its parent is
 * given -- as a message, not as an exit status, which a sanitizer or the C
 * library may choose too.
 */
typedef int (*session_worker_fn)(const sigset_t *poll_mask, void *context);

struct session_worker_params {
	const char *name;                  /* process name (ps -o comm), and ... */
	const char *title;                 /* ... title (ps) */
	const struct confinement *confinement;
	const int *keep;                   /* the descriptors the worker works with: */
	size_t keep_count;                 /* every other one but 0, 1 and 2 is closed */
	session_worker_fn work;
	void *context;
};

/* Fork the worker.  0, or -1 logged. */
int session_worker_start(struct session_worker *worker, const struct session_worker_params *params);

/* Close fd, a descriptor that is the worker's alone now; a standard stream
 * gets /dev/null in its place, so its number is not taken by the next open. */
void session_worker_let_go(int fd);

struct session_worker_watch {
	const sigset_t *poll_mask;         /* the caller's, from stop_signals_install() */
	/* About once a second; may read worker->status.  NULL: nothing. */
	void (*each_second)(struct session_worker *worker, void *context);
	/* On SIGUSR1, which the worker gets too.  NULL: nothing here. */
	void (*log_counters)(void *context);
	/* A request of the worker's (session_worker_request), in the order
	 * sent; len is at most SESSION_WORKER_REQUEST_MAX and nothing in it is
	 * to be trusted.  NULL: requests are ignored. */
	void (*on_request)(const void *request, size_t len, void *context);
	void *context;
};

/*
 * Until the worker is gone: stop signals and SIGUSR1 are passed on to it
 * (one that does not stop within 3 s is killed), its log lines logged here.
 * Returns its outcome, or -1 when it returned none (killed, crashed, could
 * not confine itself: logged).
 */
int session_worker_wait(struct session_worker *worker, const struct session_worker_watch *watch);

/* In the worker: the status, for the parent to publish (dropped if the
 * parent is behind: the next one will do). */
void session_worker_report(const struct session_status *status);

#define SESSION_WORKER_REQUEST_MAX 64

/* In the worker: ask the parent for what only it may do -- its watch's
 * on_request decides what and whether.  Waits for room: never dropped. */
void session_worker_request(const void *request, size_t len);

#endif
