/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for plugin/session_lifecycle.c: whichever way pppd ends the
 * session, each teardown step happens once, in order, and the parent sends
 * a PADT exactly when the relay child could not.
 */
#include <check.h>
#include <sys/wait.h>

#include "check_main.h"
#include "session_lifecycle.h"

/* waitpid() statuses as the kernel encodes them. */
#define EXITED(code) (((code) & 0xff) << 8)
#define KILLED(signal) ((signal) & 0x7f)

static void bring_up(struct session_lifecycle *life)
{
	session_lifecycle_init(life);
	session_lifecycle_sockets_opened(life);
	session_lifecycle_session_up(life);
	session_lifecycle_child_started(life);
}

START_TEST(test_wait_status_encoding_matches_the_kernel)
{
	ck_assert(WIFEXITED(EXITED(3)) && WEXITSTATUS(EXITED(3)) == 3);
	ck_assert(WIFSIGNALED(KILLED(SIGKILL)) && WTERMSIG(KILLED(SIGKILL)) == SIGKILL);
}
END_TEST

START_TEST(test_clean_relay_exit_means_no_parent_padt)
{
	struct session_lifecycle life;

	bring_up(&life);
	ck_assert_uint_eq(session_lifecycle_next(&life), SESSION_LIFECYCLE_STOP_CHILD | SESSION_LIFECYCLE_REAP_CHILD);
	/* Until the reap is reported nothing else may happen. */
	ck_assert_uint_eq(session_lifecycle_next(&life), 0);
	session_lifecycle_child_exited(&life, EXITED(SESSION_CHILD_EXIT_CLEAN));
	ck_assert_uint_eq(session_lifecycle_next(&life), SESSION_LIFECYCLE_CLOSE_SOCKETS);
	ck_assert_uint_eq(session_lifecycle_next(&life), 0);
	ck_assert(session_lifecycle_done(&life));
}
END_TEST

START_TEST(test_killed_relay_means_parent_padt)
{
	struct session_lifecycle life;

	bring_up(&life);
	ck_assert_uint_eq(session_lifecycle_next(&life), SESSION_LIFECYCLE_STOP_CHILD | SESSION_LIFECYCLE_REAP_CHILD);
	session_lifecycle_child_exited(&life, KILLED(SIGKILL));
	ck_assert_uint_eq(session_lifecycle_next(&life), SESSION_LIFECYCLE_SEND_PADT | SESSION_LIFECYCLE_CLOSE_SOCKETS);
	ck_assert_uint_eq(session_lifecycle_next(&life), 0);
}
END_TEST

START_TEST(test_relay_that_could_not_send_padt)
{
	struct session_lifecycle life;

	bring_up(&life);
	session_lifecycle_next(&life);
	session_lifecycle_child_exited(&life, EXITED(SESSION_CHILD_EXIT_PADT_NEEDED));
	ck_assert_uint_eq(session_lifecycle_next(&life), SESSION_LIFECYCLE_SEND_PADT | SESSION_LIFECYCLE_CLOSE_SOCKETS);
}
END_TEST

START_TEST(test_relay_reaped_by_pppd)
{
	struct session_lifecycle life;

	bring_up(&life);
	session_lifecycle_next(&life);
	session_lifecycle_child_lost(&life);
	ck_assert_uint_eq(session_lifecycle_next(&life), SESSION_LIFECYCLE_SEND_PADT | SESSION_LIFECYCLE_CLOSE_SOCKETS);
	ck_assert(session_lifecycle_done(&life));
}
END_TEST

/* disconnect() and then cleanup() from die(): the second finds nothing to do. */
START_TEST(test_teardown_is_idempotent)
{
	struct session_lifecycle life;
	unsigned seen = 0, actions;

	bring_up(&life);
	for (int call = 0; call < 3; call++) {
		while ((actions = session_lifecycle_next(&life)) != 0) {
			ck_assert_uint_eq(seen & actions, 0);
			seen |= actions;
			if (actions & SESSION_LIFECYCLE_REAP_CHILD)
				session_lifecycle_child_exited(&life, KILLED(SIGTERM));
		}
	}
	ck_assert_uint_eq(seen, SESSION_LIFECYCLE_STOP_CHILD | SESSION_LIFECYCLE_REAP_CHILD | SESSION_LIFECYCLE_SEND_PADT |
				SESSION_LIFECYCLE_CLOSE_SOCKETS);
}
END_TEST

START_TEST(test_discovery_failed_before_any_session)
{
	struct session_lifecycle life;

	session_lifecycle_init(&life);
	session_lifecycle_sockets_opened(&life);
	ck_assert(!session_lifecycle_done(&life));
	ck_assert_uint_eq(session_lifecycle_next(&life), SESSION_LIFECYCLE_CLOSE_SOCKETS);
	ck_assert_uint_eq(session_lifecycle_next(&life), 0);
	ck_assert(session_lifecycle_done(&life));
}
END_TEST

START_TEST(test_session_up_but_relay_never_started)
{
	struct session_lifecycle life;

	session_lifecycle_init(&life);
	session_lifecycle_sockets_opened(&life);
	session_lifecycle_session_up(&life);
	ck_assert_uint_eq(session_lifecycle_next(&life), SESSION_LIFECYCLE_SEND_PADT | SESSION_LIFECYCLE_CLOSE_SOCKETS);
	ck_assert_uint_eq(session_lifecycle_next(&life), 0);
}
END_TEST

START_TEST(test_nothing_set_up)
{
	struct session_lifecycle life;

	session_lifecycle_init(&life);
	ck_assert(session_lifecycle_done(&life));
	ck_assert_uint_eq(session_lifecycle_next(&life), 0);
}
END_TEST

/* With persist, pppd reconnects: a new session starts from a clean slate. */
START_TEST(test_reconnect_after_teardown)
{
	struct session_lifecycle life;

	bring_up(&life);
	session_lifecycle_next(&life);
	session_lifecycle_child_exited(&life, EXITED(SESSION_CHILD_EXIT_CLEAN));
	session_lifecycle_next(&life);
	bring_up(&life);
	ck_assert_uint_eq(session_lifecycle_next(&life), SESSION_LIFECYCLE_STOP_CHILD | SESSION_LIFECYCLE_REAP_CHILD);
	session_lifecycle_child_exited(&life, KILLED(SIGKILL));
	ck_assert_uint_eq(session_lifecycle_next(&life), SESSION_LIFECYCLE_SEND_PADT | SESSION_LIFECYCLE_CLOSE_SOCKETS);
}
END_TEST

static Suite *session_lifecycle_suite(void)
{
	Suite *suite = suite_create("session_lifecycle");
	TCase *teardown = tcase_create("teardown");

	tcase_add_test(teardown, test_wait_status_encoding_matches_the_kernel);
	tcase_add_test(teardown, test_clean_relay_exit_means_no_parent_padt);
	tcase_add_test(teardown, test_killed_relay_means_parent_padt);
	tcase_add_test(teardown, test_relay_that_could_not_send_padt);
	tcase_add_test(teardown, test_relay_reaped_by_pppd);
	tcase_add_test(teardown, test_teardown_is_idempotent);
	tcase_add_test(teardown, test_discovery_failed_before_any_session);
	tcase_add_test(teardown, test_session_up_but_relay_never_started);
	tcase_add_test(teardown, test_nothing_set_up);
	tcase_add_test(teardown, test_reconnect_after_teardown);
	suite_add_tcase(suite, teardown);
	return suite;
}

int main(void)
{
	return check_main_run(session_lifecycle_suite());
}
