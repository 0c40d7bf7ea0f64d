/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The standalone program's pid file (pid_file.h). */
#include "pid_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "parse.h"
#include "small_file.h"

int pid_file_write(const char *path, pid_t pid)
{
	char dir[PATH_MAX], text[24];
	const char *slash = strrchr(path, '/'), *name = slash != NULL ? slash + 1 : path;
	int dir_fd, len, result, saved;

	if (name[0] == '\0' || (size_t)(name - path) >= sizeof(dir)) {
		errno = EINVAL;
		return -1;
	}
	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir_fd < 0)
		return -1;
	len = snprintf(text, sizeof(text), "%ld\n", (long)pid);
	result = small_file_replace_at(dir_fd, name, text, (size_t)len, 0644);
	saved = errno;
	close(dir_fd);
	errno = saved;
	return result;
}

bool pid_file_holds(const char *path, pid_t pid)
{
	char text[24];
	ssize_t got = small_file_read_at(AT_FDCWD, path, text, sizeof(text));
	unsigned long value;

	if (got < 2 || (size_t)got >= sizeof(text) || text[got - 1] != '\n')
		return false;
	text[got - 1] = '\0';
	return parse_uint(text, 1, LONG_MAX, &value) && value == (unsigned long)pid;
}

void pid_file_remove(const char *path, pid_t pid)
{
	/* Another instance could rename its own file in between the check and
	 * the unlink: short of a lock nothing closes that window, and it lasts
	 * microseconds. */
	if (pid_file_holds(path, pid))
		unlink(path);
}
