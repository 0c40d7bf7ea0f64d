/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A program under test and its children (process_tree.h). */
#include "process_tree.h"

#include <stdio.h>
#include <string.h>

int process_children(pid_t pid, pid_t *children, int capacity)
{
	char path[64];
	int count = 0, child;
	FILE *file;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
	file = fopen(path, "r");
	if (file == NULL)
		return -1;
	while (count < capacity && fscanf(file, "%d", &child) == 1)
		children[count++] = (pid_t)child;
	fclose(file);
	return count;
}

pid_t process_child_named(pid_t pid, const char *comm)
{
	pid_t children[16];
	int count = process_children(pid, children, 16);

	for (int i = 0; i < count; i++) {
		char path[64], name[32] = "";
		snprintf(path, sizeof(path), "/proc/%d/comm", (int)children[i]);
		FILE *file = fopen(path, "r");
		if (file == NULL)
			continue;
		if (fgets(name, sizeof(name), file) != NULL)
			name[strcspn(name, "\n")] = '\0';
		fclose(file);
		if (strcmp(name, comm) == 0)
			return children[i];
	}
	return -1;
}

bool process_status_value(pid_t pid, const char *key, char *value, size_t len)
{
	char path[64], line[256];
	bool found = false;
	FILE *file;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	file = fopen(path, "r");
	if (file == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), file) != NULL) {
		if (strncmp(line, key, strlen(key)) != 0)
			continue;
		const char *start = line + strlen(key);
		start += strspn(start, " \t");
		snprintf(value, len, "%.*s", (int)strcspn(start, "\n"), start);
		found = true;
	}
	fclose(file);
	return found;
}

bool process_ended(pid_t pid)
{
	char state[32];

	/* State: "Z (zombie)"; no status file: the process was reaped. */
	return !process_status_value(pid, "State:", state, sizeof(state)) || state[0] == 'Z';
}

int process_and_children(pid_t pid, pid_t *pids, int capacity)
{
	int children;

	if (capacity < 1)
		return 0;
	pids[0] = pid;
	children = process_children(pid, pids + 1, capacity - 1);
	return 1 + (children > 0 ? children : 0);
}
