/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tests for src/frame_dump.c: the dump is a private regular file of our own,
 * never reached through a link, and stops at its limit however many frames
 * the segment sends -- for every process that shares it.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_main.h"
#include "frame_dump.h"
#include "log.h"
#include "temp_dir.h"

/* A PADI, as a hostile station might send it by the thousand. */
static const uint8_t padi[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x88, 0x63,
	0x11, 0x09, 0x00, 0x00, 0x00, 0x04, 0x01, 0x01, 0x00, 0x00,
};

static char dir[TEMP_DIR_MAX];
static char path[TEMP_DIR_MAX + 32];
static unsigned warnings;
static char last_warning[512];

static void count_warnings(enum log_level level, const char *message)
{
	if (level < LOG_LEVEL_WARN)
		return;
	warnings++;
	snprintf(last_warning, sizeof(last_warning), "%s", message);
}

static void make_dir(void)
{
	temp_dir_make(dir, "pppoe-mss-dump");
	snprintf(path, sizeof(path), "%s/dump", dir);
	warnings = 0;
	last_warning[0] = '\0';
	log_set_sink(count_warnings);
}

/* Checked teardown: each test's directory goes with it. */
static void remove_dir(void)
{
	temp_dir_remove(dir);
}

static void open_ok(struct frame_dump *dump, off_t limit)
{
	char error[256];

	ck_assert_msg(frame_dump_open(dump, path, limit, error, sizeof(error)) == 0, "%s", error);
}

/* Refused, with a reason containing why. */
static void open_refused(const char *why)
{
	struct frame_dump dump;
	char error[256] = "";

	ck_assert_int_eq(frame_dump_open(&dump, path, 1 << 20, error, sizeof(error)), -1);
	ck_assert_ptr_null(dump.file);
	ck_assert_msg(strstr(error, why) != NULL, "'%s' does not say '%s'", error, why);
}

static off_t size_of(const char *name)
{
	struct stat st;

	ck_assert_int_eq(lstat(name, &st), 0);
	return st.st_size;
}

static void write_file(const char *name, const char *text, mode_t mode)
{
	int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, mode);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	ck_assert_int_eq(fchmod(fd, mode), 0);
	close(fd);
}

static unsigned count_in_file(const char *name, const char *needle)
{
	char text[65536];
	unsigned count = 0;
	int fd = open(name, O_RDONLY);
	ssize_t got;

	ck_assert_int_ge(fd, 0);
	got = read(fd, text, sizeof(text) - 1);
	close(fd);
	ck_assert_int_ge(got, 0);
	text[got] = '\0';
	for (const char *at = strstr(text, needle); at != NULL; at = strstr(at + 1, needle))
		count++;
	return count;
}

START_TEST(test_created_private_and_closed_on_exec)
{
	struct frame_dump dump;
	struct stat st;
	mode_t old_umask = umask(0);

	open_ok(&dump, 1 << 20);
	umask(old_umask);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	ck_assert(fcntl(fileno(dump.file), F_GETFD) & FD_CLOEXEC);
	ck_assert(fcntl(fileno(dump.file), F_GETFL) & O_APPEND);
	frame_dump(&dump, "received discovery", padi, sizeof(padi));
	frame_dump_close(&dump);
	ck_assert_ptr_null(dump.file);
	ck_assert_uint_eq(count_in_file(path, " received discovery (24 bytes)\n"), 1);
	ck_assert_uint_eq(count_in_file(path, "  0000  ff ff ff ff ff ff 02 00 00 00 00 01 88 63 11 09  "
					      ".............c..\n"), 1);
	ck_assert_uint_eq(count_in_file(path, "  0010  00 00 00 04 01 01 00 00"), 1);
	ck_assert_uint_eq(warnings, 0);
}
END_TEST

START_TEST(test_existing_dump_appended_and_made_private)
{
	struct frame_dump dump;
	struct stat st;

	write_file(path, "an older dump\n", 0644);
	open_ok(&dump, 1 << 20);
	frame_dump(&dump, "sent PADT", padi, sizeof(padi));
	frame_dump_close(&dump);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	ck_assert_uint_eq(count_in_file(path, "an older dump\n"), 1);
	ck_assert_uint_eq(count_in_file(path, " sent PADT (24 bytes)\n"), 1);
}
END_TEST

START_TEST(test_symlink_not_followed)
{
	char target[sizeof(path) + 8], missing[sizeof(path) + 8];

	/* To a file of root's: not appended to. */
	snprintf(target, sizeof(target), "%s/passwd", dir);
	write_file(target, "root:x:0:0\n", 0644);
	ck_assert_int_eq(symlink(target, path), 0);
	open_refused("symbolic link");
	ck_assert_int_eq(size_of(target), 11);
	/* To a name that does not exist: not created. */
	snprintf(missing, sizeof(missing), "%s/created", dir);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(symlink(missing, path), 0);
	open_refused("symbolic link");
	ck_assert_int_eq(access(missing, F_OK), -1);
}
END_TEST

START_TEST(test_only_a_regular_file_of_our_own)
{
	char other[sizeof(path) + 8];
	int reader;

	/* A FIFO nobody reads would hang a blocking open(); one somebody reads is no file. */
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	open_refused("cannot open");
	reader = open(path, O_RDONLY | O_NONBLOCK);
	ck_assert_int_ge(reader, 0);
	open_refused("not a regular file");
	close(reader);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	open_refused("cannot open");
	ck_assert_int_eq(rmdir(path), 0);
	/* A second name for a file elsewhere: writing would change that file. */
	snprintf(other, sizeof(other), "%s/other", dir);
	write_file(other, "x\n", 0600);
	ck_assert_int_eq(link(other, path), 0);
	open_refused("hard link");
	ck_assert_int_eq(unlink(path), 0);
	/* Another user's (root only can make one): not ours to fill. */
	write_file(path, "", 0600);
	if (geteuid() == 0) {
		ck_assert_int_eq(chown(path, 65534, 65534), 0);
		open_refused("another user");
	}
	ck_assert_int_eq(size_of(path), 0);
	ck_assert_int_eq(size_of(other), 2);
}
END_TEST

START_TEST(test_stops_at_the_limit)
{
	struct frame_dump dump;
	const off_t limit = 4096;
	off_t one_frame, full;

	open_ok(&dump, limit);
	frame_dump(&dump, "received discovery", padi, sizeof(padi));
	one_frame = size_of(path);
	for (int i = 0; i < 1000; i++)
		frame_dump(&dump, "received discovery", padi, sizeof(padi));
	full = size_of(path);
	/* The frame that reached the limit, then one closing line. */
	ck_assert_int_ge(full, limit);
	ck_assert_int_lt(full, limit + one_frame + 100);
	ck_assert_uint_eq(count_in_file(path, " frame dump stopped: the file reached its limit of "
					      "4096 bytes\n"), 1);
	ck_assert_uint_eq(warnings, 1);
	ck_assert_ptr_nonnull(strstr(last_warning, path));
	ck_assert_ptr_nonnull(strstr(last_warning, "reached its limit of 4096 bytes"));
	/* Emptied: it dumps again. */
	ck_assert_int_eq(truncate(path, 0), 0);
	frame_dump(&dump, "received discovery", padi, sizeof(padi));
	ck_assert_int_eq(size_of(path), one_frame);
	frame_dump_close(&dump);
}
END_TEST

START_TEST(test_full_at_open_said_once)
{
	struct frame_dump dump;

	write_file(path, "0123456789\n", 0600);
	open_ok(&dump, 11);
	ck_assert_uint_eq(warnings, 1);
	ck_assert_ptr_nonnull(strstr(last_warning, "already holds its limit of 11 bytes"));
	for (int i = 0; i < 10; i++)
		frame_dump(&dump, "received discovery", padi, sizeof(padi));
	frame_dump_close(&dump);
	ck_assert_int_eq(size_of(path), 11);
	ck_assert_uint_eq(warnings, 1);
}
END_TEST

/* pppd and its session's child write to the same file: one limit for both. */
START_TEST(test_limit_shared_across_processes)
{
	struct frame_dump dump;
	int status;
	off_t full;
	pid_t child;

	open_ok(&dump, 2048);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		for (int i = 0; i < 100; i++)
			frame_dump(&dump, "received session", padi, sizeof(padi));
		_exit(warnings == 1 ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	full = size_of(path);
	frame_dump(&dump, "sent PADT", padi, sizeof(padi));
	frame_dump_close(&dump);
	ck_assert_int_eq(size_of(path), full);
	ck_assert_uint_eq(warnings, 0);
}
END_TEST

START_TEST(test_no_dump_is_nothing)
{
	struct frame_dump dump = { .file = NULL };

	frame_dump(NULL, "received discovery", padi, sizeof(padi));
	frame_dump(&dump, "received discovery", padi, sizeof(padi));
	frame_dump_close(&dump);
	ck_assert_int_eq(access(path, F_OK), -1);
}
END_TEST

static Suite *frame_dump_suite(void)
{
	Suite *suite = suite_create("frame_dump");
	TCase *file = tcase_create("file"), *limit = tcase_create("limit");

	tcase_add_checked_fixture(file, make_dir, remove_dir);
	tcase_add_test(file, test_created_private_and_closed_on_exec);
	tcase_add_test(file, test_existing_dump_appended_and_made_private);
	tcase_add_test(file, test_symlink_not_followed);
	tcase_add_test(file, test_only_a_regular_file_of_our_own);
	tcase_add_test(file, test_no_dump_is_nothing);
	tcase_add_checked_fixture(limit, make_dir, remove_dir);
	tcase_add_test(limit, test_stops_at_the_limit);
	tcase_add_test(limit, test_full_at_open_said_once);
	tcase_add_test(limit, test_limit_shared_across_processes);
	suite_add_tcase(suite, file);
	suite_add_tcase(suite, limit);
	return suite;
}

int main(void)
{
	return check_main_run(frame_dump_suite());
}
