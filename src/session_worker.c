/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A session's confined worker and its root parent (session_worker.h). */
#include "session_worker.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "monotonic.h"
#include "render.h"
#include "sanitizer_report.h"
#include "session_child.h"

/* How long a worker that closed its end may take to exit before it is killed. */
#define EXIT_GRACE_MS 1000
/* How long it may take to stop once asked (the early guardian's wait for a
 * late PADS is 2 s); then it is killed: blocking the signal keeps no session. */
#define STOP_GRACE_MS 3000

enum message_kind {
	MESSAGE_LOG = 1,     /* level, then the line */
	MESSAGE_STATUS = 2,  /* a struct session_status */
	MESSAGE_REQUEST = 3, /* for the watch's on_request */
	MESSAGE_OUTCOME = 4, /* what work() returned: the last message */
};

#define LOG_LINE_MAX 512

/* One datagram of the report socket (SOCK_SEQPACKET: never split, never merged). */
struct message {
	uint8_t kind;
	uint8_t level;
	union {
		char text[LOG_LINE_MAX];
		struct session_status status;
		uint8_t request[SESSION_WORKER_REQUEST_MAX];
		int32_t outcome;
	} body;
};

#define MESSAGE_HEADER offsetof(struct message, body)

/* In the worker: its end of the report socket. */
static int report_fd = -1;

/* The parent reads all the time it waits for us: a full queue is a moment's wait. */
static void send_to_parent(const struct message *message, size_t len)
{
	while (send(report_fd, message, len, MSG_NOSIGNAL) < 0 && errno == EINTR)
		;
}

static void log_to_parent(enum log_level level, const char *line)
{
	struct message message = { .kind = MESSAGE_LOG, .level = (uint8_t)level };
	size_t len = strnlen(line, sizeof(message.body.text));

	memcpy(message.body.text, line, len);
	send_to_parent(&message, MESSAGE_HEADER + len);
}

void session_worker_report(const struct session_status *status)
{
	struct message message = { .kind = MESSAGE_STATUS };

	message.body.status = *status;
	/* The next one will do: a status is never worth a wait. */
	(void)send(report_fd, &message, MESSAGE_HEADER + sizeof(*status),
		   MSG_DONTWAIT | MSG_NOSIGNAL);
}

void session_worker_request(const void *request, size_t len)
{
	struct message message = { .kind = MESSAGE_REQUEST };

	if (len > sizeof(message.body.request))
		return;
	memcpy(message.body.request, request, len);
	send_to_parent(&message, MESSAGE_HEADER + len);
}

static int compare_fds(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Close every descriptor from 3 up but the kept ones (sorted here). */
static void close_all_but(int *kept, size_t count)
{
	unsigned next = 3;

	qsort(kept, count, sizeof(*kept), compare_fds);
	for (size_t i = 0; i <= count; i++) {
		unsigned last = i < count ? (unsigned)kept[i] - 1 : ~0U;
		if (i < count && kept[i] < (int)next)
			continue;
		if (last >= next && close_range(next, last, 0) < 0) {
			/* Before Linux 5.9: one by one, as far as anyone opens them. */
			long max = sysconf(_SC_OPEN_MAX);
			for (long fd = next; fd <= (long)last && fd < (max > 0 ? max : 1024); fd++)
				close((int)fd);
		}
		if (i < count)
			next = (unsigned)kept[i] + 1;
	}
}

#define KEEP_MAX 16

/* Standard input and output, unless the worker works with them (the
 * standalone program's pty, or a descriptor that took a free number):
 * /dev/null.  Standard error stays, for what the C library or a sanitizer
 * has to say. */
static void standard_streams_to_null(const int *kept, size_t count)
{
	for (int fd = STDIN_FILENO; fd <= STDOUT_FILENO; fd++) {
		bool is_kept = false;
		for (size_t i = 0; i < count; i++)
			is_kept |= kept[i] == fd;
		if (!is_kept)
			session_worker_let_go(fd);
	}
}

void session_worker_let_go(int fd)
{
	if (fd > STDERR_FILENO) {
		close(fd);
		return;
	}
	/* A standard stream: /dev/null keeps its number from being reused. */
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0 || dup2(null, fd) < 0)
		close(fd);
	if (null >= 0 && null != fd)
		close(null);
}

static void __attribute__((noreturn)) worker_run(const struct session_worker_params *params,
						 int own_end)
{
	struct confinement confinement = *params->confinement;
	struct message outcome = { .kind = MESSAGE_OUTCOME };
	int kept[KEEP_MAX + 2];
	size_t kept_count = 0;
	bool no_seccomp;
	sigset_t poll_mask;
	char error[256];

	report_fd = own_end;
	session_child_begin(params->name, params->title, &poll_mask);
	log_set_sink(log_to_parent);
	for (size_t i = 0; i < params->keep_count && kept_count < KEEP_MAX; i++)
		if (params->keep[i] >= 0)
			kept[kept_count++] = params->keep[i];
	kept[kept_count++] = own_end;
	close_all_but(kept, kept_count);
	standard_streams_to_null(kept, kept_count);
	/* Where a sanitizer's report goes must be open before open() is refused. */
	sanitizer_report_open_now();

	/* With its parent gone, nobody would end the session after it. */
	confinement.parent_death_signal = SIGTERM;
	confinement.parent = getppid();
	if (confinement_enter(&confinement, &no_seccomp, error, sizeof(error)) < 0) {
		log_message(LOG_LEVEL_ERROR, "%s: %s", params->name, error);
		_exit(1);
	}
	if (no_seccomp)
		log_message(LOG_LEVEL_WARN, "%s: this kernel has no seccomp filters: the process "
			    "that reads frames runs without root, but is not limited in its "
			    "system calls", params->name);
	outcome.body.outcome = params->work(&poll_mask, params->context);
	send_to_parent(&outcome, MESSAGE_HEADER + sizeof(outcome.body.outcome));
	_exit(0);
}

int session_worker_start(struct session_worker *worker, const struct session_worker_params *params)
{
	int ends[2];
	pid_t pid;

	worker->name = params->name;
	worker->process = (struct child_process)CHILD_PROCESS_NONE;
	worker->report_fd = -1;
	worker->status_reported = false;
	worker->outcome = -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ends) < 0) {
		log_message(LOG_LEVEL_ERROR, "%s: socketpair: %s", params->name, strerror(errno));
		return -1;
	}
	pid = session_child_fork();
	if (pid < 0) {
		log_message(LOG_LEVEL_ERROR, "%s: fork: %s", params->name, strerror(errno));
		close(ends[0]);
		close(ends[1]);
		return -1;
	}
	if (pid == 0) {
		close(ends[0]);
		worker_run(params, ends[1]);
	}
	close(ends[1]);
	child_process_follow(&worker->process, pid);
	worker->report_fd = ends[0];
	return 0;
}

/* One message from the worker, which may have been taken over: trust no byte. */
static void take_message(struct session_worker *worker, const struct session_worker_watch *watch,
			 const struct message *message, size_t len)
{
	char line[LOG_LINE_MAX + 1];

	if (len < MESSAGE_HEADER)
		return;
	len -= MESSAGE_HEADER;
	switch (message->kind) {
	case MESSAGE_LOG:
		/* The union may be longer than the line: read the line's field only. */
		if (len > sizeof(message->body.text))
			len = sizeof(message->body.text);
		render_printable((const uint8_t *)message->body.text, len, line, sizeof(line));
		log_message(message->level <= LOG_LEVEL_ERROR ? (enum log_level)message->level
							      : LOG_LEVEL_ERROR, "%s", line);
		break;
	case MESSAGE_STATUS:
		if (len != sizeof(message->body.status))
			return;
		worker->status = message->body.status;
		worker->status_reported = true;
		break;
	case MESSAGE_REQUEST:
		if (watch->on_request != NULL && len <= sizeof(message->body.request))
			watch->on_request(message->body.request, len, watch->context);
		break;
	case MESSAGE_OUTCOME:
		if (len == sizeof(message->body.outcome) && message->body.outcome >= 0 &&
		    message->body.outcome <= SESSION_WORKER_OUTCOME_MAX)
			worker->outcome = message->body.outcome;
		break;
	default:
		break;
	}
}

/* Messages taken per wake-up: a worker that floods us cannot keep the
 * stop signals from being passed on. */
#define MESSAGES_PER_WAKEUP 256

/* What the worker sent; false once it is gone (its end closed). */
static bool take_messages(struct session_worker *worker, const struct session_worker_watch *watch)
{
	struct message message;

	for (int taken = 0; taken < MESSAGES_PER_WAKEUP; taken++) {
		ssize_t got = recv(worker->report_fd, &message, sizeof(message), MSG_DONTWAIT);
		if (got > 0)
			take_message(worker, watch, &message, (size_t)got);
		else if (got == 0)
			return false;
		else if (errno == EINTR)
			continue;
		else
			return errno == EAGAIN || errno == EWOULDBLOCK;
	}
	return true;
}

/* Its outcome, once it exits (killed if it lingers with its end closed). */
static int reap(struct session_worker *worker, const char *name)
{
	int status = 0;
	enum child_process_state state = CHILD_PROCESS_RUNNING;

	for (int waited = 0; waited < EXIT_GRACE_MS; waited += 10) {
		state = child_process_reap(&worker->process, false, &status);
		if (state != CHILD_PROCESS_RUNNING)
			break;
		struct timespec ten_ms = { .tv_nsec = 10 * 1000 * 1000 };
		nanosleep(&ten_ms, NULL);
	}
	if (state == CHILD_PROCESS_RUNNING) {
		log_message(LOG_LEVEL_WARN, "%s: did not exit: killed", name);
		(void)child_process_signal(&worker->process, SIGKILL);
		state = child_process_reap(&worker->process, true, &status);
	}
	if (state != CHILD_PROCESS_EXITED)
		return -1;
	if (WIFSIGNALED(status)) {
		log_message(LOG_LEVEL_ERROR, "%s: killed by signal %d (%s)", name, WTERMSIG(status),
			    strsignal(WTERMSIG(status)));
		return -1;
	}
	/* Its outcome counts only from a worker that went the whole way. */
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	return worker->outcome;
}

int session_worker_wait(struct session_worker *worker, const struct session_worker_watch *watch)
{
	int passed_on = 0;
	uint64_t next_second = monotonic_ms(), stop_deadline = 0;
	const char *name = worker->name;

	for (;;) {
		if (stop_signal != 0 && stop_signal != passed_on) {
			passed_on = stop_signal;
			(void)child_process_signal(&worker->process, passed_on);
			if (stop_deadline == 0)
				stop_deadline = monotonic_ms() + STOP_GRACE_MS;
		}
		if (stop_deadline != 0 && monotonic_ms() >= stop_deadline) {
			log_message(LOG_LEVEL_WARN, "%s: not stopped %d ms after the signal: killed",
				    name, STOP_GRACE_MS);
			(void)child_process_signal(&worker->process, SIGKILL);
			stop_deadline = 0;
		}
		if (counters_signal) {
			counters_signal = 0;
			(void)child_process_signal(&worker->process, SIGUSR1);
			if (watch->log_counters != NULL)
				watch->log_counters(watch->context);
		}
		uint64_t now = monotonic_ms();
		if (now >= next_second) {
			if (watch->each_second != NULL)
				watch->each_second(worker, watch->context);
			next_second = now + 1000;
			continue;
		}
		uint64_t wait_ms = next_second - now;
		struct timespec until = { .tv_sec = (time_t)(wait_ms / 1000),
					  .tv_nsec = (long)(wait_ms % 1000) * 1000000 };
		struct pollfd report = { .fd = worker->report_fd, .events = POLLIN };
		if (ppoll(&report, 1, &until, watch->poll_mask) < 0) {
			if (errno == EINTR)
				continue;
			/* Cannot watch it: it stops (and is reaped below). */
			log_message(LOG_LEVEL_ERROR, "%s: poll: %s", name, strerror(errno));
			(void)child_process_signal(&worker->process, SIGTERM);
			break;
		}
		if (report.revents != 0 && !take_messages(worker, watch))
			break;
	}
	close(worker->report_fd);
	worker->report_fd = -1;
	return reap(worker, name);
}
