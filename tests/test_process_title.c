/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for plugin/process_title.c: where a title is cut, and a forked
 * child renamed in ps and pidof's eyes while its parent keeps its own name.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_main.h"
#include "process_title.h"

START_TEST(test_fit_keeps_whole_words)
{
	const char *title = "pppoe-mss-relay eth0 session 1";

	ck_assert_uint_eq(process_title_fit(title, 64), strlen(title));
	ck_assert_uint_eq(process_title_fit(title, strlen(title) + 1), strlen(title));
	/* One byte short: the last word goes. */
	ck_assert_uint_eq(process_title_fit(title, strlen(title)), strlen("pppoe-mss-relay eth0 session"));
	ck_assert_uint_eq(process_title_fit(title, 24), strlen("pppoe-mss-relay eth0"));
	ck_assert_uint_eq(process_title_fit(title, 16), strlen("pppoe-mss-relay"));
}
END_TEST

START_TEST(test_fit_cuts_a_word_only_when_nothing_else_fits)
{
	ck_assert_uint_eq(process_title_fit("pppoe-mss-relay eth0", 10), 9);
	ck_assert_uint_eq(process_title_fit("abcd", 4), 3);
	ck_assert_uint_eq(process_title_fit("abc", 4), 3);
	ck_assert_uint_eq(process_title_fit(" abc", 3), 2);
	ck_assert_uint_eq(process_title_fit("abc", 1), 0);
	ck_assert_uint_eq(process_title_fit("abc", 0), 0);
	ck_assert_uint_eq(process_title_fit("", 8), 0);
}
END_TEST

/* /proc/PID/FILE whole; returns its length. */
static size_t read_proc(pid_t pid, const char *file, char *buf, size_t capacity)
{
	char path[64];
	size_t total = 0;
	ssize_t got;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	while (total < capacity && (got = read(fd, buf + total, capacity - total)) > 0)
		total += (size_t)got;
	close(fd);
	return total;
}

/* A child renames itself with title, then waits until the parent has looked. */
static void check_child_renamed(const char *title)
{
	char own_before[4096], own_after[4096], child_cmdline[4096], comm[32];
	size_t own_len = read_proc(getpid(), "cmdline", own_before, sizeof(own_before));
	int renamed[2], looked[2];
	char byte = 0;
	pid_t child;

	ck_assert_uint_gt(own_len, 0);
	ck_assert_int_eq(pipe(renamed), 0);
	ck_assert_int_eq(pipe(looked), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		byte = process_title_set("pppoe-mss-relay", title) == 0 ? 'y' : 'n';
		if (write(renamed[1], &byte, 1) != 1 || read(looked[0], &byte, 1) < 0)
			_exit(2);
		_exit(0);
	}
	ck_assert_int_eq(read(renamed[0], &byte, 1), 1);
	ck_assert_int_eq(byte, 'y');

	size_t comm_len = read_proc(child, "comm", comm, sizeof(comm) - 1);
	comm[comm_len] = '\0';
	ck_assert_str_eq(comm, "pppoe-mss-relay\n");

	/* The same room as the arguments had, the title cut to fit, NULs after. */
	size_t child_len = read_proc(child, "cmdline", child_cmdline, sizeof(child_cmdline));
	size_t expected = process_title_fit(title, own_len);
	ck_assert_uint_eq(child_len, own_len);
	ck_assert_int_eq(memcmp(child_cmdline, title, expected), 0);
	for (size_t i = expected; i < child_len; i++)
		ck_assert_int_eq(child_cmdline[i], '\0');

	ck_assert_int_eq(write(looked[1], &byte, 1), 1);
	int status;
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);

	/* The child wrote its own copy: the parent's command line is untouched. */
	ck_assert_uint_eq(read_proc(getpid(), "cmdline", own_after, sizeof(own_after)), own_len);
	ck_assert_int_eq(memcmp(own_before, own_after, own_len), 0);
	close(renamed[0]);
	close(renamed[1]);
	close(looked[0]);
	close(looked[1]);
}

START_TEST(test_child_gets_short_title)
{
	check_child_renamed("relay x");
}
END_TEST

START_TEST(test_child_gets_long_title_cut)
{
	char title[8192];

	/* Longer than any test's command line: cut at a word. */
	title[0] = '\0';
	while (strlen(title) + 16 < sizeof(title))
		strcat(title, "pppoe-mss-relay ");
	check_child_renamed(title);
}
END_TEST

static Suite *process_title_suite(void)
{
	Suite *suite = suite_create("process_title");
	TCase *fit = tcase_create("fit");
	TCase *rename = tcase_create("rename");

	tcase_add_test(fit, test_fit_keeps_whole_words);
	tcase_add_test(fit, test_fit_cuts_a_word_only_when_nothing_else_fits);
	tcase_add_test(rename, test_child_gets_short_title);
	tcase_add_test(rename, test_child_gets_long_title_cut);
	suite_add_tcase(suite, fit);
	suite_add_tcase(suite, rename);
	return suite;
}

int main(void)
{
	return check_main_run(process_title_suite());
}
