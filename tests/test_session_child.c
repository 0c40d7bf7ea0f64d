/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tests for src/session_child.c and src/child_process.c: a stop signal sent
 * to a session child before it installed its handlers reaches them (not its
 * parent's, which pppd's would be); and a child followed by pidfd is
 * signalled and reaped as itself, or found gone when someone else reaped it.
 */
#include <check.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check_main.h"
#include "child_process.h"
#include "session_child.h"

/* The parent's own SIGTERM handler, as pppd has one. */
static volatile sig_atomic_t parent_handler_ran;

static void parent_on_term(int signum)
{
	(void)signum;
	parent_handler_ran = 1;
}

enum { CHILD_SAW_STOP = 0, CHILD_SAW_NOTHING = 1, CHILD_PARENTS_HANDLER_RAN = 2 };

static void __attribute__((noreturn)) child_body(void)
{
	struct timespec late = { .tv_nsec = 200 * 1000000L }, wait = { .tv_sec = 2 };
	sigset_t poll_mask;

	/* Slow to start: the signal comes first. */
	nanosleep(&late, NULL);
	session_child_begin("test-child", "test-child", &poll_mask);
	while (!stop_signal && ppoll(NULL, 0, &wait, &poll_mask) < 0 && errno == EINTR)
		;
	if (parent_handler_ran)
		_exit(CHILD_PARENTS_HANDLER_RAN);
	_exit(stop_signal == SIGTERM ? CHILD_SAW_STOP : CHILD_SAW_NOTHING);
}

START_TEST(test_stop_before_the_handlers_reaches_them)
{
	struct sigaction action = { .sa_handler = parent_on_term };
	sigset_t before, after;
	int status;
	pid_t pid;

	sigemptyset(&action.sa_mask);
	sigaction(SIGTERM, &action, NULL);
	sigprocmask(SIG_SETMASK, NULL, &before);
	pid = session_child_fork();
	if (pid == 0)
		child_body();
	ck_assert_int_gt(pid, 0);
	sigprocmask(SIG_SETMASK, NULL, &after);
	for (int signum = 1; signum < SIGRTMAX; signum++)
		ck_assert_msg(sigismember(&before, signum) == sigismember(&after, signum),
			      "the parent's mask changed for signal %d", signum);
	ck_assert_int_eq(kill(pid, SIGTERM), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status), "the child died of signal %d", WTERMSIG(status));
	ck_assert_int_eq(WEXITSTATUS(status), CHILD_SAW_STOP);
	ck_assert_int_eq(parent_handler_ran, 0);
}
END_TEST

static pid_t sleeper(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		pause();
		_exit(0);
	}
	ck_assert_int_gt(pid, 0);
	return pid;
}

START_TEST(test_signalled_and_reaped_as_itself)
{
	struct child_process child = CHILD_PROCESS_NONE;
	int status = 0;

	child_process_follow(&child, sleeper());
	ck_assert_int_ge(child.pidfd, 0);
	ck_assert_int_eq(child_process_reap(&child, false, &status), CHILD_PROCESS_RUNNING);
	ck_assert_int_eq(child_process_signal(&child, SIGKILL), 0);
	ck_assert_int_eq(child_process_reap(&child, true, &status), CHILD_PROCESS_EXITED);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	ck_assert_int_eq(child.pid, -1);
	ck_assert_int_eq(child.pidfd, -1);

	pid_t pid = fork();
	if (pid == 0)
		_exit(7);
	child_process_follow(&child, pid);
	ck_assert_int_eq(child_process_reap(&child, true, &status), CHILD_PROCESS_EXITED);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 7);
}
END_TEST

/* pppd's reaper got there first: the pid may be anyone's now. */
START_TEST(test_reaped_elsewhere_is_gone)
{
	struct child_process child = CHILD_PROCESS_NONE;
	pid_t pid = sleeper();
	int status;

	child_process_follow(&child, pid);
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	errno = 0;
	ck_assert_int_eq(child_process_signal(&child, SIGTERM), -1);
	ck_assert_int_eq(errno, ESRCH);
	ck_assert_int_eq(child_process_reap(&child, true, &status), CHILD_PROCESS_GONE);
	ck_assert_int_eq(child_process_signal(&child, SIGTERM), -1);
}
END_TEST

static Suite *session_child_suite(void)
{
	Suite *suite = suite_create("session_child");
	TCase *tc = tcase_create("session_child");

	tcase_add_test(tc, test_stop_before_the_handlers_reaches_them);
	tcase_add_test(tc, test_signalled_and_reaped_as_itself);
	tcase_add_test(tc, test_reaped_elsewhere_is_gone);
	suite_add_tcase(suite, tc);
	return suite;
}

int main(void)
{
	return check_main_run(session_child_suite());
}
