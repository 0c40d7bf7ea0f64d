/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tests for src/session_worker.c (as root): the worker runs confined with
 * only the descriptors it was given, its outcome, log lines and status reach
 * the parent -- a line cannot forge a second one -- a stop signal is passed
 * on (and a worker that ignores it is killed), and a worker killed from
 * outside, crashed or exited with a status of its own gives no outcome.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "log.h"
#include "session_worker.h"
#include "stop_signals.h"

static char logged[4096];

static void capture_log(enum log_level level, const char *message)
{
	size_t used = strlen(logged);

	(void)level;
	snprintf(logged + used, sizeof(logged) - used, "%s\n", message);
}

static struct confinement confinement;
static int kept_fd, other_fd;

static void setup(void)
{
	char error[256];
	int fds[2];

	logged[0] = '\0';
	log_set_sink(capture_log);
	stop_signal = 0;
	ck_assert_msg(confinement_prepare(&confinement, PPPOE_MSS_UNPRIVILEGED_USER, error,
					  sizeof(error)) == 0, "%s", error);
	ck_assert_int_eq(pipe(fds), 0);
	kept_fd = fds[0];
	other_fd = fds[1];
}

static void teardown(void)
{
	close(kept_fd);
	close(other_fd);
}

enum after_start { NOTHING, KILL_IT, STOP_IT };

/* The worker's outcome; *finished: what its parent kept of it. */
static int run_worker_kept(session_worker_fn work, enum after_start after_start,
			   struct session_worker *finished)
{
	struct session_worker worker;
	int keep[] = { kept_fd };
	int outcome;
	struct session_worker_params params = {
		.name = "test-worker", .title = "test-worker", .confinement = &confinement,
		.keep = keep, .keep_count = 1, .work = work,
	};
	struct session_worker_watch watch = { .poll_mask = NULL };

	ck_assert_int_eq(session_worker_start(&worker, &params), 0);
	if (after_start == KILL_IT)
		ck_assert_int_eq(child_process_signal(&worker.process, SIGKILL), 0);
	/* As the parent's handler would set it, after the fork. */
	if (after_start == STOP_IT)
		stop_signal = SIGTERM;
	outcome = session_worker_wait(&worker, &watch);
	*finished = worker;
	return outcome;
}

static int run_worker(session_worker_fn work, enum after_start after_start)
{
	struct session_worker finished;

	return run_worker_kept(work, after_start, &finished);
}

static int talk(const sigset_t *poll_mask, void *context)
{
	struct session_status status = { .frames = { 42, 43 } };

	(void)poll_mask, (void)context;
	log_message(LOG_LEVEL_NOTICE, "first line\nforged: second line");
	session_worker_report(&status);
	return 7;
}

START_TEST(test_outcome_log_and_status_reach_the_parent)
{
	struct session_worker worker;

	ck_assert_int_eq(run_worker_kept(talk, NOTHING, &worker), 7);
	ck_assert_msg(strcmp(logged, "first line?forged: second line\n") == 0, "logged: %s", logged);
	ck_assert(worker.status_reported);
	ck_assert_uint_eq(worker.status.frames[0], 42);
	ck_assert_uint_eq(worker.status.frames[1], 43);
}
END_TEST

/* 0 when confined as it should be: not root, only the kept descriptor. */
static int look_at_itself(const sigset_t *poll_mask, void *context)
{
	(void)poll_mask, (void)context;
	if (getuid() == 0 || geteuid() == 0)
		return 1;
	if (fcntl(kept_fd, F_GETFL) < 0)
		return 2;
	if (fcntl(other_fd, F_GETFL) >= 0 || errno != EBADF)
		return 3;
	if (open("/dev/null", O_RDONLY) >= 0 || errno != EPERM)
		return 4;
	return 0;
}

START_TEST(test_confined_with_only_what_it_keeps)
{
	ck_assert_int_eq(run_worker(look_at_itself, NOTHING), 0);
}
END_TEST

static int wait_for_stop(const sigset_t *poll_mask, void *context)
{
	sigset_t open_mask;

	(void)poll_mask, (void)context;
	sigemptyset(&open_mask);
	for (int i = 0; i < 100 && !stop_signal; i++) {
		struct timespec tenth = { .tv_nsec = 100 * 1000 * 1000 };
		(void)ppoll(NULL, 0, &tenth, &open_mask);
	}
	return stop_signal == SIGTERM ? 9 : 1;
}

START_TEST(test_stop_signal_passed_on)
{
	ck_assert_int_eq(run_worker(wait_for_stop, STOP_IT), 9);
}
END_TEST

START_TEST(test_killed_worker_gives_no_outcome)
{
	ck_assert_int_eq(run_worker(wait_for_stop, KILL_IT), -1);
	ck_assert_msg(strstr(logged, "test-worker: killed by signal 9") != NULL, "logged: %s", logged);
}
END_TEST

/* A parent that closed its standard input and output (the standalone
 * program's early guardian lets go of pppd's pty): the report socket may take
 * their numbers, and must still reach the parent. */
START_TEST(test_report_socket_on_a_standard_stream_number)
{
	close(STDIN_FILENO);
	close(STDOUT_FILENO);
	ck_assert_int_eq(run_worker(talk, NOTHING), 7);
	ck_assert_msg(strcmp(logged, "first line?forged: second line\n") == 0, "logged: %s", logged);
}
END_TEST

/* What a sanitizer or the C library may do: an exit status of its own. */
static int exit_on_its_own(const sigset_t *poll_mask, void *context)
{
	(void)poll_mask, (void)context;
	_exit(1);
}

START_TEST(test_exit_status_is_no_outcome)
{
	ck_assert_int_eq(run_worker(exit_on_its_own, NOTHING), -1);
}
END_TEST

static int crash(const sigset_t *poll_mask, void *context)
{
	(void)poll_mask, (void)context;
	abort();
}

START_TEST(test_a_crash_is_a_crash)
{
	ck_assert_int_eq(run_worker(crash, NOTHING), -1);
	ck_assert_msg(strstr(logged, "test-worker: killed by signal 6") != NULL, "logged: %s", logged);
}
END_TEST

static int ignore_stop(const sigset_t *poll_mask, void *context)
{
	sigset_t none;

	(void)poll_mask, (void)context;
	sigemptyset(&none);
	signal(SIGTERM, SIG_IGN);
	for (;;) {
		struct timespec second = { .tv_sec = 1 };
		(void)ppoll(NULL, 0, &second, &none);
	}
	return 0;
}

START_TEST(test_a_worker_that_will_not_stop_is_killed)
{
	ck_assert_int_eq(run_worker(ignore_stop, STOP_IT), -1);
	ck_assert_msg(strstr(logged, "test-worker: not stopped 3000 ms after the signal: killed") != NULL,
		      "logged: %s", logged);
}
END_TEST

static Suite *session_worker_suite(void)
{
	Suite *suite = suite_create("session_worker");
	TCase *worker = tcase_create("worker");

	tcase_add_checked_fixture(worker, setup, teardown);
	tcase_add_test(worker, test_outcome_log_and_status_reach_the_parent);
	tcase_add_test(worker, test_confined_with_only_what_it_keeps);
	tcase_add_test(worker, test_stop_signal_passed_on);
	tcase_add_test(worker, test_killed_worker_gives_no_outcome);
	tcase_add_test(worker, test_report_socket_on_a_standard_stream_number);
	tcase_add_test(worker, test_exit_status_is_no_outcome);
	tcase_add_test(worker, test_a_crash_is_a_crash);
	tcase_add_test(worker, test_a_worker_that_will_not_stop_is_killed);
	suite_add_tcase(suite, worker);
	return suite;
}

int main(void)
{
	return check_main_run(session_worker_suite());
}
