/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for plugin/negotiated_mtu_mru.c: values pppd publishes after the relay
 * child was forked reach the child, and the child sees each change once.
 */
#include <check.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_main.h"
#include "negotiated_mtu_mru.h"

START_TEST(test_poll_sees_each_change_once)
{
	struct negotiated_mtu_mru *share = negotiated_mtu_mru_create();
	uint32_t seen = 0;
	unsigned mtu = 0, mru = 0;

	ck_assert_ptr_nonnull(share);
	ck_assert_int_eq(negotiated_mtu_mru_poll(share, &seen, &mtu, &mru), 0);
	negotiated_mtu_mru_publish(share, 1492, 1492);
	ck_assert_int_eq(negotiated_mtu_mru_poll(share, &seen, &mtu, &mru), 1);
	ck_assert_uint_eq(mtu, 1492);
	ck_assert_uint_eq(mru, 1492);
	ck_assert_int_eq(negotiated_mtu_mru_poll(share, &seen, &mtu, &mru), 0);
	/* send_config and recv_config each publish one direction. */
	negotiated_mtu_mru_publish(share, 1400, 0);
	negotiated_mtu_mru_publish(share, 0, 1480);
	ck_assert_int_eq(negotiated_mtu_mru_poll(share, &seen, &mtu, &mru), 1);
	ck_assert_uint_eq(mtu, 1400);
	ck_assert_uint_eq(mru, 1480);
	negotiated_mtu_mru_destroy(share);
}
END_TEST

START_TEST(test_values_cross_fork)
{
	struct negotiated_mtu_mru *share = negotiated_mtu_mru_create();
	int ready[2];
	pid_t child;
	char byte = 0;

	ck_assert_ptr_nonnull(share);
	ck_assert_int_eq(pipe(ready), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		uint32_t seen = 0;
		unsigned mtu = 0, mru = 0;
		/* Published by the parent only after the fork, as pppd does at LCP up. */
		if (read(ready[0], &byte, 1) != 1)
			_exit(2);
		int changed = negotiated_mtu_mru_poll(share, &seen, &mtu, &mru);
		_exit(changed && mtu == 1400 && mru == 1420 ? 0 : 1);
	}
	negotiated_mtu_mru_publish(share, 1400, 1420);
	ck_assert_int_eq(write(ready[1], &byte, 1), 1);
	int status;
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	close(ready[0]);
	close(ready[1]);
	negotiated_mtu_mru_destroy(share);
}
END_TEST

static Suite *negotiated_mtu_mru_suite(void)
{
	Suite *suite = suite_create("negotiated_mtu_mru");
	TCase *share = tcase_create("share");

	tcase_add_test(share, test_poll_sees_each_change_once);
	tcase_add_test(share, test_values_cross_fork);
	suite_add_tcase(suite, share);
	return suite;
}

int main(void)
{
	return check_main_run(negotiated_mtu_mru_suite());
}
