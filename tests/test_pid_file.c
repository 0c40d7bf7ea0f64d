/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tests for src/pid_file.c: the pid file is written without following a
 * link and removed only while it holds our pid.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "pid_file.h"
#include "temp_dir.h"

static char dir[TEMP_DIR_MAX];
static char path[TEMP_DIR_MAX + 16];

static void make_dir(void)
{
	temp_dir_make(dir, "pppoe-mss-pid");
	snprintf(path, sizeof(path), "%s/pppoe.pid", dir);
}

/* Checked teardown: each test's directory goes with it. */
static void remove_dir(void)
{
	temp_dir_remove(dir);
}

static void write_file(const char *name, const char *text)
{
	int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void read_file(const char *name, char *out, size_t len)
{
	int fd = open(name, O_RDONLY);
	ssize_t got;

	ck_assert_int_ge(fd, 0);
	got = read(fd, out, len - 1);
	close(fd);
	ck_assert_int_ge(got, 0);
	out[got] = '\0';
}

START_TEST(test_written_and_removed)
{
	mode_t old_umask = umask(077);
	char text[32];
	struct stat st;

	ck_assert_int_eq(pid_file_write(path, 4711), 0);
	umask(old_umask);
	read_file(path, text, sizeof(text));
	ck_assert_str_eq(text, "4711\n");
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0644);
	ck_assert(pid_file_holds(path, 4711));
	ck_assert(!pid_file_holds(path, 471));
	pid_file_remove(path, 4711);
	ck_assert_int_eq(access(path, F_OK), -1);
}
END_TEST

START_TEST(test_relative_path)
{
	char here[4096];

	ck_assert_ptr_nonnull(getcwd(here, sizeof(here)));
	ck_assert_int_eq(chdir(dir), 0);
	ck_assert_int_eq(pid_file_write("pppoe.pid", 99), 0);
	ck_assert_int_eq(chdir(here), 0);
	ck_assert(pid_file_holds(path, 99));
}
END_TEST

START_TEST(test_symlink_not_followed)
{
	char target[sizeof(path) + 16], text[32];
	struct stat st;

	snprintf(target, sizeof(target), "%s/shadow", dir);
	write_file(target, "root:*:19000\n");
	ck_assert_int_eq(symlink(target, path), 0);
	ck_assert_int_eq(pid_file_write(path, 4711), 0);
	read_file(target, text, sizeof(text));
	ck_assert_str_eq(text, "root:*:19000\n");
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
}
END_TEST

START_TEST(test_not_ours_not_removed)
{
	char target[sizeof(path) + 16];

	/* Another instance's, since. */
	ck_assert_int_eq(pid_file_write(path, 4711), 0);
	write_file(path, "4712\n");
	pid_file_remove(path, 4711);
	ck_assert_int_eq(access(path, F_OK), 0);
	/* Not a pid file at all. */
	write_file(path, "4711 and more\n");
	pid_file_remove(path, 4711);
	ck_assert_int_eq(access(path, F_OK), 0);
	write_file(path, "4711");
	ck_assert(!pid_file_holds(path, 4711));
	/* A link to a file that holds our pid: the link is not ours. */
	ck_assert_int_eq(unlink(path), 0);
	snprintf(target, sizeof(target), "%s/elsewhere", dir);
	write_file(target, "4711\n");
	ck_assert_int_eq(symlink(target, path), 0);
	pid_file_remove(path, 4711);
	ck_assert_int_eq(access(path, F_OK), 0);
	ck_assert_int_eq(access(target, F_OK), 0);
}
END_TEST

START_TEST(test_cannot_write)
{
	char missing[sizeof(path) + 16];

	snprintf(missing, sizeof(missing), "%s/no/pppoe.pid", dir);
	ck_assert_int_eq(pid_file_write(missing, 4711), -1);
	ck_assert_int_eq(errno, ENOENT);
	snprintf(missing, sizeof(missing), "%s/", dir);
	ck_assert_int_eq(pid_file_write(missing, 4711), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

static Suite *pid_file_suite(void)
{
	Suite *suite = suite_create("pid_file");
	TCase *files = tcase_create("files");

	tcase_add_checked_fixture(files, make_dir, remove_dir);
	tcase_add_test(files, test_written_and_removed);
	tcase_add_test(files, test_relative_path);
	tcase_add_test(files, test_symlink_not_followed);
	tcase_add_test(files, test_not_ours_not_removed);
	tcase_add_test(files, test_cannot_write);
	suite_add_tcase(suite, files);
	return suite;
}

int main(void)
{
	return check_main_run(pid_file_suite());
}
