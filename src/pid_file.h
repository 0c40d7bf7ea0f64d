/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The standalone program's pid file (-p): our pid and a newline, as
 * rp-pppoe writes it.  It is written at startup, so that a discovery of half
 * a minute can be killed, and removed at exit -- only while it still holds
 * our pid, since another instance may have taken the name meanwhile.
 */
#ifndef PPPOE_MSS_PID_FILE_H
#define PPPOE_MSS_PID_FILE_H

#include <stdbool.h>
#include <sys/types.h>

/* Written whole (small_file.h), mode 0644; a symbolic link at path is
 * replaced, not followed.  Returns 0, or -1 with errno. */
int pid_file_write(const char *path, pid_t pid);

/* path is a regular file, not a symbolic link, that holds pid and a newline. */
bool pid_file_holds(const char *path, pid_t pid);

/* Removed if it holds pid (pid_file_holds); left alone otherwise. */
void pid_file_remove(const char *path, pid_t pid);

#endif
