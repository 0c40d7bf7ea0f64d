/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tests for src/small_file.c: the new text arrives whole under the name,
 * with the mode asked for whatever the umask, through no symbolic link, and
 * no temporary file stays behind -- not even when the rename fails; reading
 * follows no link and reads nothing but a regular file.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "small_file.h"
#include "temp_dir.h"

static char dir[TEMP_DIR_MAX];
static int dir_fd = -1;

static void make_dir(void)
{
	temp_dir_make(dir, "pppoe-mss-small-file");
	dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(dir_fd, 0);
}

/* Checked teardown: each test's directory goes with it. */
static void remove_dir(void)
{
	if (dir_fd >= 0)
		close(dir_fd);
	dir_fd = -1;
	temp_dir_remove(dir);
}

static void read_at(const char *name, char *out, size_t len)
{
	int fd = openat(dir_fd, name, O_RDONLY | O_NOFOLLOW);
	ssize_t got;

	ck_assert_int_ge(fd, 0);
	got = read(fd, out, len - 1);
	close(fd);
	ck_assert_int_ge(got, 0);
	out[got] = '\0';
}

static unsigned entries(void)
{
	DIR *listing = opendir(dir);
	struct dirent *item;
	unsigned count = 0;

	ck_assert_ptr_nonnull(listing);
	while ((item = readdir(listing)) != NULL)
		if (strcmp(item->d_name, ".") != 0 && strcmp(item->d_name, "..") != 0)
			count++;
	closedir(listing);
	return count;
}

START_TEST(test_written_whole_with_its_mode)
{
	mode_t old_umask = umask(077);
	char text[64];
	struct stat st;

	ck_assert_int_eq(small_file_replace_at(dir_fd, "status", "first\n", 6, 0644), 0);
	ck_assert_int_eq(small_file_replace_at(dir_fd, "status", "second\n", 7, 0644), 0);
	umask(old_umask);
	read_at("status", text, sizeof(text));
	ck_assert_str_eq(text, "second\n");
	ck_assert_int_eq(fstatat(dir_fd, "status", &st, AT_SYMLINK_NOFOLLOW), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0644);
	ck_assert_uint_eq(entries(), 1);
}
END_TEST

START_TEST(test_symlink_replaced_not_followed)
{
	char text[64];
	struct stat st;

	ck_assert_int_eq(symlinkat("precious", dir_fd, "status"), 0);
	ck_assert_int_eq(small_file_replace_at(dir_fd, "precious", "keep me\n", 8, 0600), 0);
	ck_assert_int_eq(small_file_replace_at(dir_fd, "status", "new\n", 4, 0644), 0);
	ck_assert_int_eq(fstatat(dir_fd, "status", &st, AT_SYMLINK_NOFOLLOW), 0);
	ck_assert(S_ISREG(st.st_mode));
	read_at("precious", text, sizeof(text));
	ck_assert_str_eq(text, "keep me\n");
	/* The temporary name too: a link planted there is no way in. */
	snprintf(text, sizeof(text), ".other.%ld", (long)getpid());
	ck_assert_int_eq(symlinkat("precious", dir_fd, text), 0);
	ck_assert_int_eq(small_file_replace_at(dir_fd, "other", "x\n", 2, 0644), 0);
	read_at("precious", text, sizeof(text));
	ck_assert_str_eq(text, "keep me\n");
	ck_assert_uint_eq(entries(), 3);
}
END_TEST

START_TEST(test_failure_leaves_nothing)
{
	/* A directory in the way: the rename fails, the temporary file goes. */
	ck_assert_int_eq(mkdirat(dir_fd, "status", 0700), 0);
	ck_assert_int_eq(small_file_replace_at(dir_fd, "status", "x\n", 2, 0644), -1);
	ck_assert_int_eq(errno, EISDIR);
	ck_assert_uint_eq(entries(), 1);
}
END_TEST

START_TEST(test_read_only_a_regular_file)
{
	char text[64];

	ck_assert_int_eq(small_file_replace_at(dir_fd, "status", "1234\n", 5, 0644), 0);
	ck_assert_int_eq(small_file_read_at(dir_fd, "status", text, sizeof(text)), 5);
	ck_assert_mem_eq(text, "1234\n", 5);
	ck_assert_int_eq(small_file_read_at(dir_fd, "status", text, 2), 2);
	ck_assert_int_eq(symlinkat("status", dir_fd, "link"), 0);
	ck_assert_int_eq(small_file_read_at(dir_fd, "link", text, sizeof(text)), -1);
	/* Nobody writes to it: a blocking open() would wait for ever. */
	ck_assert_int_eq(mkfifoat(dir_fd, "fifo", 0600), 0);
	ck_assert_int_eq(small_file_read_at(dir_fd, "fifo", text, sizeof(text)), -1);
	ck_assert_int_eq(small_file_read_at(dir_fd, ".", text, sizeof(text)), -1);
	ck_assert_int_eq(small_file_read_at(dir_fd, "none", text, sizeof(text)), -1);
}
END_TEST

static Suite *small_file_suite(void)
{
	Suite *suite = suite_create("small_file");
	TCase *files = tcase_create("files");

	tcase_add_checked_fixture(files, make_dir, remove_dir);
	tcase_add_test(files, test_written_whole_with_its_mode);
	tcase_add_test(files, test_symlink_replaced_not_followed);
	tcase_add_test(files, test_failure_leaves_nothing);
	tcase_add_test(files, test_read_only_a_regular_file);
	suite_add_tcase(suite, files);
	return suite;
}

int main(void)
{
	return check_main_run(small_file_suite());
}
