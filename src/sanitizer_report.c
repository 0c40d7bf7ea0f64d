/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A sanitizer's report file, opened early (sanitizer_report.h). */
#include "sanitizer_report.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The sanitizers' common interface; not there at all in other builds. */
extern void __sanitizer_set_report_fd(void *fd) __attribute__((weak));

#define OPTION "log_path="

/* The value of log_path= in a sanitizer's options ("a=1:log_path=/x:b=2"). */
static size_t log_path_in(const char *options, char *path, size_t capacity)
{
	const char *at;
	size_t len;

	for (at = options; at != NULL && *at != '\0'; at = strchr(at, ':'), at = at ? at + 1 : NULL)
		if (strncmp(at, OPTION, strlen(OPTION)) == 0)
			break;
	if (at == NULL || *at == '\0')
		return 0;
	at += strlen(OPTION);
	len = strcspn(at, ":");
	if (len == 0 || len >= capacity)
		return 0;
	memcpy(path, at, len);
	path[len] = '\0';
	return len;
}

void sanitizer_report_open_now(void)
{
	static const char *const options[] = { "ASAN_OPTIONS", "UBSAN_OPTIONS" };
	char path[512], file[540];
	int fd;

	if (__sanitizer_set_report_fd == NULL)
		return;
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
		const char *value = getenv(options[i]);
		/* Named as the sanitizer names it: log_path.PID. */
		if (value == NULL || log_path_in(value, path, sizeof(path)) == 0)
			continue;
		if (strcmp(path, "stderr") == 0 || strcmp(path, "stdout") == 0)
			return;
		snprintf(file, sizeof(file), "%s.%d", path, (int)getpid());
		fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (fd >= 0)
			__sanitizer_set_report_fd((void *)(intptr_t)fd);
		return;
	}
}
