/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small files, replaced whole and read without following links (small_file.h). */
#include "small_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int temp_file_create(int dir_fd, const char *temp, mode_t mode)
{
	int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
	int fd = openat(dir_fd, temp, flags, mode);

	/* Left behind by a writer with our pid that died between create and rename. */
	if (fd < 0 && errno == EEXIST && unlinkat(dir_fd, temp, 0) == 0)
		fd = openat(dir_fd, temp, flags, mode);
	return fd;
}

int small_file_replace_at(int dir_fd, const char *name, const char *text, size_t len, mode_t mode)
{
	char temp[NAME_MAX + 1];
	int fd, n, saved;

	n = snprintf(temp, sizeof(temp), ".%s.%ld", name, (long)getpid());
	if (n < 0 || (size_t)n >= sizeof(temp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = temp_file_create(dir_fd, temp, mode);
	if (fd < 0)
		return -1;
	/* pppd's umask is 077 in some setups. */
	if (fchmod(fd, mode) < 0 || write_all(fd, text, len) < 0) {
		saved = errno;
		close(fd);
		errno = saved;
		goto fail;
	}
	if (close(fd) < 0 || renameat(dir_fd, temp, dir_fd, name) < 0)
		goto fail;
	return 0;

fail:
	saved = errno;
	unlinkat(dir_fd, temp, 0);
	errno = saved;
	return -1;
}

ssize_t small_file_read_at(int dir_fd, const char *name, char *buf, size_t len)
{
	/* O_NONBLOCK: a FIFO in the file's place must not hang us in open(). */
	int fd = openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	ssize_t got;

	if (fd < 0)
		return -1;
	got = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? read(fd, buf, len) : -1;
	close(fd);
	return got;
}
