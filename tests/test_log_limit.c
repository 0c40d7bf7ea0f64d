/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tests for src/log_limit.c: lines per interval, and the count of the rest. */
#include <check.h>
#include <stdint.h>

#include "check_main.h"
#include "log_limit.h"

/* How many of count lines, one every step_ms from *now, got through; *now moves on. */
static unsigned allow_many(struct log_limit *limit, uint64_t *now, unsigned count, uint64_t step_ms)
{
	unsigned allowed = 0;

	for (unsigned i = 0; i < count; i++, *now += step_ms) {
		uint64_t held_back;

		if (log_limit_allow(limit, *now, &held_back))
			allowed++;
	}
	return allowed;
}

START_TEST(burst_then_held_back)
{
	struct log_limit limit;
	uint64_t now = 1000, held_back = 99;

	log_limit_init(&limit, 3, 60000);
	for (int i = 0; i < 3; i++) {
		ck_assert(log_limit_allow(&limit, now, &held_back));
		ck_assert_uint_eq(held_back, 0);
	}
	/* A flood: thousands within the minute, none of them logged. */
	ck_assert_uint_eq(allow_many(&limit, &now, 100000, 0), 0);
	ck_assert_uint_eq(limit.held_back, 100000);
	ck_assert_uint_eq(limit.held_back_total, 100000);
	/* The next minute: a line again, told how many were not logged before it. */
	now += 60000;
	ck_assert(log_limit_allow(&limit, now, &held_back));
	ck_assert_uint_eq(held_back, 100000);
	ck_assert(log_limit_allow(&limit, now, &held_back));
	ck_assert_uint_eq(held_back, 0);
	ck_assert_uint_eq(limit.held_back_total, 100000);
}
END_TEST

START_TEST(window_begins_with_its_first_line)
{
	struct log_limit limit;
	uint64_t held_back;

	log_limit_init(&limit, 1, 1000);
	ck_assert(log_limit_allow(&limit, 5000, &held_back));
	ck_assert(!log_limit_allow(&limit, 5999, &held_back));
	ck_assert(log_limit_allow(&limit, 6000, &held_back));
	ck_assert_uint_eq(held_back, 1);
	/* Quiet for a long time: the next line opens a window of its own. */
	ck_assert(log_limit_allow(&limit, 100000, &held_back));
	ck_assert(!log_limit_allow(&limit, 100999, &held_back));
}
END_TEST

START_TEST(steady_rate_below_the_limit_all_logged)
{
	struct log_limit limit;
	uint64_t now = 0;

	/* 4 a minute allowed; one every 15 s is exactly that. */
	log_limit_init(&limit, 4, 60000);
	ck_assert_uint_eq(allow_many(&limit, &now, 1000, 15000), 1000);
	ck_assert_uint_eq(limit.held_back_total, 0);
	/* One every 10 s is 6 a minute: 4 of each 6 logged. */
	log_limit_init(&limit, 4, 60000);
	now = 0;
	ck_assert_uint_eq(allow_many(&limit, &now, 600, 10000), 400);
	ck_assert_uint_eq(limit.held_back_total, 200);
}
END_TEST

START_TEST(summary_takes_what_was_held_back)
{
	struct log_limit limit;
	uint64_t now = 0, held_back;

	log_limit_init(&limit, 2, 60000);
	ck_assert_uint_eq(allow_many(&limit, &now, 10, 1), 2);
	ck_assert_uint_eq(log_limit_take_held_back(&limit), 8);
	ck_assert_uint_eq(log_limit_take_held_back(&limit), 0);
	/* Said once: the next line let through does not say it again. */
	now += 60000;
	ck_assert(log_limit_allow(&limit, now, &held_back));
	ck_assert_uint_eq(held_back, 0);
	ck_assert_uint_eq(limit.held_back_total, 8);
}
END_TEST

START_TEST(clock_going_back_opens_a_window)
{
	struct log_limit limit;
	uint64_t held_back;

	log_limit_init(&limit, 1, 60000);
	ck_assert(log_limit_allow(&limit, 500000, &held_back));
	ck_assert(!log_limit_allow(&limit, 500001, &held_back));
	ck_assert(log_limit_allow(&limit, 1000, &held_back));
	ck_assert_uint_eq(held_back, 1);
}
END_TEST

START_TEST(extremes)
{
	struct log_limit limit;
	uint64_t now = 0, held_back;

	/* Burst 0: nothing ever logged, everything counted. */
	log_limit_init(&limit, 0, 1000);
	ck_assert_uint_eq(allow_many(&limit, &now, 50, 500), 0);
	ck_assert_uint_eq(limit.held_back_total, 50);
	/* Near the end of the clock's range: no overflow in the window arithmetic. */
	log_limit_init(&limit, 1, 60000);
	ck_assert(log_limit_allow(&limit, UINT64_MAX - 10, &held_back));
	ck_assert(!log_limit_allow(&limit, UINT64_MAX, &held_back));
}
END_TEST

static Suite *log_limit_suite(void)
{
	Suite *suite = suite_create("log_limit");
	TCase *tc = tcase_create("log_limit");

	tcase_add_test(tc, burst_then_held_back);
	tcase_add_test(tc, window_begins_with_its_first_line);
	tcase_add_test(tc, steady_rate_below_the_limit_all_logged);
	tcase_add_test(tc, summary_takes_what_was_held_back);
	tcase_add_test(tc, clock_going_back_opens_a_window);
	tcase_add_test(tc, extremes);
	suite_add_tcase(suite, tc);
	return suite;
}

int main(void)
{
	return check_main_run(log_limit_suite());
}
