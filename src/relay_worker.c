/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The relay, confined in a session worker (relay_worker.h). */
#include "relay_worker.h"

#include <stdio.h>

#include "log.h"
#include "monotonic.h"
#include "session_worker.h"
#include "status_publisher.h"
#include "stop_signals.h"

#define REPORT_INTERVAL_MS 1000

struct relay_work {
	const struct relay_worker_params *params;
	struct status_publisher publisher;  /* the worker's copy: the counters it reports */
	uint64_t next_report_ms;
	struct relay_loop_buffers buffers;  /* the relay loop's frames in flight */
};

static void report(struct relay_work *work, struct relay *relay)
{
	status_publisher_take_relay(&work->publisher, relay);
	session_worker_report(&work->publisher.status);
}

/* In the worker, on every wake-up: the caller's, then a report once a second. */
static void on_wakeup(struct relay *relay, void *context)
{
	struct relay_work *work = context;
	const struct relay_loop_config *loop = &work->params->loop;
	uint64_t now;

	if (loop->on_wakeup != NULL)
		loop->on_wakeup(relay, loop->context);
	now = monotonic_ms();
	if (now < work->next_report_ms)
		return;
	work->next_report_ms = now + REPORT_INTERVAL_MS;
	report(work, relay);
}

static int relay_work(const sigset_t *poll_mask, void *context)
{
	struct relay_work *work = context;
	const struct relay_worker_params *params = work->params;
	struct relay_loop_config loop = params->loop;
	enum relay_exit why;

	loop.stop = &stop_signal;
	loop.log_counters = &counters_signal;
	loop.poll_mask = poll_mask;
	loop.on_wakeup = on_wakeup;
	loop.context = work;
	why = relay_loop_run(params->relay, params->disc, &loop, &work->buffers);
	log_message(LOG_LEVEL_NOTICE, "session %u ended: %s", params->relay->config.session_id,
		    relay_exit_name(why));
	relay_log_counters(params->relay);
	report(work, params->relay);
	return (int)why;
}

static void publish(struct session_worker *worker, void *context)
{
	struct status_publisher *publisher = context;

	if (!worker->status_reported)
		return;
	status_publisher_take_report(publisher, &worker->status);
	status_publisher_flush(publisher, monotonic_ms());
}

enum relay_exit relay_worker_run(const struct relay_worker_params *params)
{
	static struct relay_work work;
	static struct status_publisher publisher;
	struct session_worker worker;
	const struct relay_loop_config *loop = &params->loop;
	int keep[] = { loop->pppd_in, loop->pppd_out, loop->session_fd, loop->discovery_fd,
		       frame_dump_fd(loop->dump) };
	char title[64];
	int outcome;

	/* Beyond the system's default, which only root may ask for. */
	relay_loop_size_session_socket(loop->session_fd);
	status_publisher_begin(&publisher, params->disc, params->iface, SESSION_DATAPATH_USER,
			       params->pppd_pid);
	work.params = params;
	work.publisher = publisher;
	work.next_report_ms = 0;
	snprintf(title, sizeof(title), "pppoe-mss-wire %s session %u", params->iface->name,
		 params->relay->config.session_id);
	struct session_worker_params worker_params = {
		.name = "pppoe-mss-wire", .title = title, .confinement = params->confinement,
		.keep = keep, .keep_count = sizeof(keep) / sizeof(keep[0]),
		.work = relay_work, .context = &work,
	};
	if (session_worker_start(&worker, &worker_params) < 0)
		return RELAY_EXIT_ERROR;
	/* The pty and the session socket are the worker's alone: when it is
	 * gone, pppd must see the hangup, and the AC's frames go nowhere. */
	session_worker_let_go(loop->pppd_in);
	session_worker_let_go(loop->pppd_out);
	session_worker_let_go(loop->session_fd);

	struct session_worker_watch watch = {
		.poll_mask = params->poll_mask, .each_second = publish, .context = &publisher,
	};
	outcome = session_worker_wait(&worker, &watch);
	status_publisher_end(&publisher);
	if (outcome < 0 || outcome > RELAY_EXIT_ERROR)
		return RELAY_EXIT_ERROR;
	return (enum relay_exit)outcome;
}
