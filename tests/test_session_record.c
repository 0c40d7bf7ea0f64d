/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tests for src/session_record.c: the record's text, and the records in a
 * state directory -- a held record is a live client's and never touched, a
 * record nobody holds is ended and removed, other NICs' are left alone.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "temp_dir.h"
#include "session_record.h"

static const struct session_record_entry example = {
	.nic = "wan0", .session_id = 4711,
	.ac_mac = { 0x02, 0x00, 0x00, 0x00, 0x00, 0xac },
	.our_mac = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 },
};

START_TEST(test_text_round_trip)
{
	struct session_record_entry parsed;
	char text[256];
	size_t len = session_record_format(&example, text, sizeof(text));

	ck_assert_uint_gt(len, 0);
	ck_assert_str_eq(text, "nic wan0\nsession 4711\nac-mac 02:00:00:00:00:ac\n"
			       "our-mac 02:00:00:00:00:01\n");
	ck_assert(session_record_parse(text, len, &parsed));
	ck_assert_mem_eq(&parsed, &example, sizeof(parsed));
	ck_assert_uint_eq(session_record_format(&example, text, 20), 0);
}
END_TEST

START_TEST(test_text_with_boot_and_filters)
{
	struct session_record_entry entry = example, parsed;
	char text[512];
	size_t len;

	strcpy(entry.boot_id, "0f2c9d7e-5b1a-4c3e-9f00-123456789abc");
	entry.has_filters = true;
	entry.filters = (struct tc_clamp_filters){
		.ifindex = 7, .handle = { 1, 2 }, .program_id = { 4294967295u, 19 },
	};
	len = session_record_format(&entry, text, sizeof(text));
	ck_assert_ptr_nonnull(strstr(text, "\nboot-id 0f2c9d7e-5b1a-4c3e-9f00-123456789abc\n"
					  "clamp 7 1 4294967295 2 19\n"));
	ck_assert(session_record_parse(text, len, &parsed));
	ck_assert_str_eq(parsed.boot_id, entry.boot_id);
	ck_assert(parsed.has_filters);
	ck_assert_mem_eq(&parsed.filters, &entry.filters, sizeof(entry.filters));
}
END_TEST

START_TEST(test_text_rejected)
{
	static const char *const bad[] = {
		"",
		"nic wan0\nsession 4711\nac-mac 02:00:00:00:00:ac\n",                       /* missing */
		"nic wan0\nsession 4711\nac-mac 02:00:00:00:00:ac\nour-mac 02:00:00:00:00:01", /* cut */
		"nic wan0\nnic wan1\nsession 1\nac-mac 02:00:00:00:00:ac\nour-mac 02:00:00:00:00:01\n",
		"nic wan0\nsession 0\nac-mac 02:00:00:00:00:ac\nour-mac 02:00:00:00:00:01\n",
		"nic wan0\nsession 65536\nac-mac 02:00:00:00:00:ac\nour-mac 02:00:00:00:00:01\n",
		"nic ../x\nsession 1\nac-mac 02:00:00:00:00:ac\nour-mac 02:00:00:00:00:01\n",
		"nic wan0\nsession 1\nac-mac 02:00:00:00:ac\nour-mac 02:00:00:00:00:01\n",
		"nic 0123456789abcdefg\nsession 1\nac-mac 02:00:00:00:00:ac\nour-mac 02:00:00:00:00:01\n",
		"nic wan0\nsession 1\nac-mac 02:00:00:00:00:ac\nour-mac 02:00:00:00:00:01\nextra 1\n",
		"nic\nsession 1\nac-mac 02:00:00:00:00:ac\nour-mac 02:00:00:00:00:01\n",
		"nic wan0\nsession 1\nac-mac 02:00:00:00:00:ac\nour-mac 02:00:00:00:00:01\n"
		"clamp 0 1 2 3 4\n",
		"nic wan0\nsession 1\nac-mac 02:00:00:00:00:ac\nour-mac 02:00:00:00:00:01\n"
		"clamp 1 2 3 4\n",
		"nic wan0\nsession 1\nac-mac 02:00:00:00:00:ac\nour-mac 02:00:00:00:00:01\n"
		"clamp 1 2 3 4 5 6\n",
		"nic wan0\nsession 1\nac-mac 02:00:00:00:00:ac\nour-mac 02:00:00:00:00:01\n"
		"clamp 1 2 3 4 4294967296\n",
		"nic wan0\nsession 1\nac-mac 02:00:00:00:00:ac\nour-mac 02:00:00:00:00:01\n"
		"boot-id ../../etc/passwd\n",
	};
	struct session_record_entry parsed;
	char long_line[600];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!session_record_parse(bad[i], strlen(bad[i]), &parsed), "accepted #%zu", i);
	memset(long_line, 'a', sizeof(long_line));
	long_line[sizeof(long_line) - 1] = '\n';
	ck_assert(!session_record_parse(long_line, sizeof(long_line), &parsed));
}
END_TEST

static char state_dir[TEMP_DIR_MAX];

/* Checked teardown: each test's directory goes with it. */
static void remove_state_dir(void)
{
	temp_dir_remove(state_dir);
}

static void make_state_dir(void)
{
	temp_dir_make(state_dir, "pppoe-mss-records");
}

struct ended {
	unsigned calls;
	uint16_t last_session;
	bool answer;
};

static bool end_session(const struct session_record_entry *entry, void *context)
{
	struct ended *ended = context;

	ended->calls++;
	ended->last_session = entry->session_id;
	return ended->answer;
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static void create_for(struct session_record *record, const char *dir, const char *nic)
{
	char error[256];

	ck_assert_msg(session_record_create(record, dir, nic, error, sizeof(error)) == 0, "%s", error);
}

START_TEST(test_created_private_and_locked)
{
	struct session_record record;
	struct ended ended = { .answer = true };
	struct stat st;
	char dir[128];

	make_state_dir();
	snprintf(dir, sizeof(dir), "%s/deeper/records", state_dir);
	create_for(&record, dir, "wan0");
	ck_assert_int_eq(stat(dir, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0700);
	ck_assert_int_eq(stat(record.path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(session_record_write(&record, &example), 0);
	/* Ours, alive: never ended by another start. */
	ck_assert_uint_eq(session_record_end_leftovers(dir, "wan0", end_session, &ended), 0);
	ck_assert_uint_eq(ended.calls, 0);
	ck_assert(exists(record.path));
	session_record_remove(&record);
	ck_assert(!exists(record.path));
	ck_assert_int_eq(record.fd, -1);
}
END_TEST

/* What another process of the session wrote, read back through the shared file. */
START_TEST(test_read_back)
{
	struct session_record record;
	struct session_record_entry read_back, longer = example;

	make_state_dir();
	create_for(&record, state_dir, "wan0");
	ck_assert_int_eq(session_record_read(&record, &read_back), -1);
	ck_assert_int_eq(errno, EINVAL);
	longer.has_filters = true;
	longer.filters = (struct tc_clamp_filters){ .ifindex = 3, .handle = { 77, 77 },
						    .program_id = { 12, 13 } };
	ck_assert_int_eq(session_record_write(&record, &longer), 0);
	ck_assert_int_eq(session_record_write(&record, &example), 0);
	ck_assert_int_eq(session_record_read(&record, &read_back), 0);
	ck_assert_mem_eq(&read_back, &example, sizeof(example));
	session_record_remove(&record);
	ck_assert_int_eq(session_record_read(&record, &read_back), -1);
}
END_TEST

START_TEST(test_leftover_ended_and_removed)
{
	struct session_record record;
	struct ended ended = { .answer = true };

	make_state_dir();
	create_for(&record, state_dir, "wan0");
	ck_assert_int_eq(session_record_write(&record, &example), 0);
	session_record_close(&record);  /* every process of the session died */
	ck_assert(exists(record.path));
	ck_assert_uint_eq(session_record_end_leftovers(state_dir, "wan0", end_session, &ended), 1);
	ck_assert_uint_eq(ended.calls, 1);
	ck_assert_uint_eq(ended.last_session, 4711);
	ck_assert(!exists(record.path));
}
END_TEST

START_TEST(test_leftover_kept_when_its_padt_fails)
{
	struct session_record record;
	struct ended ended = { .answer = false };

	make_state_dir();
	create_for(&record, state_dir, "wan0");
	ck_assert_int_eq(session_record_write(&record, &example), 0);
	session_record_close(&record);
	ck_assert_uint_eq(session_record_end_leftovers(state_dir, "wan0", end_session, &ended), 0);
	ck_assert(exists(record.path));
}
END_TEST

START_TEST(test_other_nics_left_alone)
{
	struct session_record record;
	struct session_record_entry on_wan01 = example;
	struct ended ended = { .answer = true };

	make_state_dir();
	strcpy(on_wan01.nic, "wan01");
	create_for(&record, state_dir, "wan01");
	ck_assert_int_eq(session_record_write(&record, &on_wan01), 0);
	session_record_close(&record);
	ck_assert_uint_eq(session_record_end_leftovers(state_dir, "wan0", end_session, &ended), 0);
	ck_assert_uint_eq(ended.calls, 0);
	ck_assert(exists(record.path));
}
END_TEST

START_TEST(test_empty_leftover_removed_without_a_padt)
{
	struct session_record record;
	struct ended ended = { .answer = true };

	make_state_dir();
	create_for(&record, state_dir, "wan0");  /* died before any PADS */
	session_record_close(&record);
	ck_assert_uint_eq(session_record_end_leftovers(state_dir, "wan0", end_session, &ended), 0);
	ck_assert_uint_eq(ended.calls, 0);
	ck_assert(!exists(record.path));
}
END_TEST

START_TEST(test_symlinked_state_dir_refused)
{
	struct session_record record;
	char link_path[128], error[256];

	make_state_dir();
	snprintf(link_path, sizeof(link_path), "%s/link", state_dir);
	ck_assert_int_eq(symlink("/tmp", link_path), 0);
	ck_assert_int_eq(session_record_create(&record, link_path, "wan0", error, sizeof(error)), -1);
	ck_assert_ptr_nonnull(strstr(error, "not a directory"));
}
END_TEST

START_TEST(test_symlinked_record_not_followed)
{
	struct session_record record;
	struct ended ended = { .answer = true };
	char link_path[128], target[128];
	int fd;

	make_state_dir();
	snprintf(target, sizeof(target), "%s/target", state_dir);
	fd = open(target, O_WRONLY | O_CREAT, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "nic wan0\n", 9), 9);
	close(fd);
	snprintf(link_path, sizeof(link_path), "%s/wan0-1.session", state_dir);
	ck_assert_int_eq(symlink(target, link_path), 0);
	ck_assert_uint_eq(session_record_end_leftovers(state_dir, "wan0", end_session, &ended), 0);
	ck_assert(exists(target));
	(void)record;
}
END_TEST

static Suite *session_record_suite(void)
{
	Suite *suite = suite_create("session_record");
	TCase *text = tcase_create("text"), *files = tcase_create("files");

	tcase_add_test(text, test_text_round_trip);
	tcase_add_test(text, test_text_with_boot_and_filters);
	tcase_add_test(text, test_text_rejected);
	tcase_add_checked_fixture(files, NULL, remove_state_dir);
	tcase_add_test(files, test_created_private_and_locked);
	tcase_add_test(files, test_read_back);
	tcase_add_test(files, test_leftover_ended_and_removed);
	tcase_add_test(files, test_leftover_kept_when_its_padt_fails);
	tcase_add_test(files, test_other_nics_left_alone);
	tcase_add_test(files, test_empty_leftover_removed_without_a_padt);
	tcase_add_test(files, test_symlinked_state_dir_refused);
	tcase_add_test(files, test_symlinked_record_not_followed);
	suite_add_tcase(suite, text);
	suite_add_tcase(suite, files);
	return suite;
}

int main(void)
{
	return check_main_run(session_record_suite());
}
