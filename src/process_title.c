/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Renaming a process: its comm, and the argument area /proc/PID/cmdline shows. */
#include "process_title.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

/* proc(5): the field of /proc/PID/stat where the argument area starts; its
 * end is the next one. */
#define STAT_FIELD_ARG_START 48
/* The first field after "(comm)". */
#define STAT_FIELD_AFTER_COMM 3

size_t process_title_fit(const char *title, size_t room)
{
	size_t len;

	if (room == 0)
		return 0;
	len = strnlen(title, room);
	if (len < room)
		return len;
	for (size_t cut = room - 1; cut > 0; cut--)
		if (title[cut] == ' ')
			return cut;
	return room - 1;
}

/* The argument area from /proc/self/stat.  comm may hold spaces and ')':
 * the fields start after the last ')'. */
static int argument_area(uintptr_t *start, uintptr_t *end)
{
	char stat[2048];
	ssize_t got;
	int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	do
		got = read(fd, stat, sizeof(stat) - 1);
	while (got < 0 && errno == EINTR);
	close(fd);
	if (got <= 0)
		return -1;
	stat[got] = '\0';

	char *field = strrchr(stat, ')');
	if (field == NULL)
		return -1;
	field++;
	for (int number = STAT_FIELD_AFTER_COMM; number < STAT_FIELD_ARG_START; number++) {
		field += strspn(field, " ");
		field += strcspn(field, " ");
		if (*field == '\0')
			return -1;
	}
	char *after_first, *after_last;
	errno = 0;
	unsigned long long first = strtoull(field, &after_first, 10);
	unsigned long long last = strtoull(after_first, &after_last, 10);
	if (errno != 0 || after_first == field || after_last == after_first || first == 0 ||
	    last <= first)
		return -1;
	*start = (uintptr_t)first;
	*end = (uintptr_t)last;
	return 0;
}

int process_title_set(const char *comm, const char *title)
{
	uintptr_t start, end;

	(void)prctl(PR_SET_NAME, comm, 0, 0, 0);
	if (argument_area(&start, &end) < 0)
		return -1;

	char *area = (char *)start;
	size_t room = end - start;
	size_t len = process_title_fit(title, room);

	memcpy(area, title, len);
	/* A NUL in the area's last byte: the kernel shows the area as it is,
	 * not as a setproctitle(3) string running on into the environment. */
	memset(area + len, 0, room - len);
	return 0;
}
