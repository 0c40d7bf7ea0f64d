/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small files that others read while we run, or that we read from others
 * (the live status, the pid file): replaced whole, so a reader sees the old
 * file or the new one and never part of one, and never reached through a
 * symbolic link at their name.
 */
#ifndef PPPOE_MSS_SMALL_FILE_H
#define PPPOE_MSS_SMALL_FILE_H

#include <stddef.h>
#include <sys/types.h>

/*
 * name in dir_fd now holds text and has mode (whatever the umask): written
 * under a temporary name in the same directory (".name.PID": hidden, and
 * ours alone), then renamed over name, which replaces a symbolic link there
 * rather than writing through it.  Returns 0, or -1 with errno and the
 * temporary file gone.
 */
int small_file_replace_at(int dir_fd, const char *name, const char *text, size_t len, mode_t mode);

/*
 * Up to len bytes of name in dir_fd (AT_FDCWD: a path), in one read; -1 when
 * it is a symbolic link or anything but a regular file.
 */
ssize_t small_file_read_at(int dir_fd, const char *name, char *buf, size_t len);

#endif
