/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the program and its worker hold and spend, and where a stuck one
 * waits, as /proc shows them (host_relay.h).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "host_relay.h"
#include "process_tree.h"

/*
 * The ethertypes of the packet sockets pid holds: its descriptors that are
 * sockets, matched by inode against /proc/net/packet (this namespace's).
 * This sees what the program opened, whatever it logs.  Returns how many
 * were found, -1 when /proc could not be read.
 */
int packet_socket_protocols_of(pid_t pid, uint16_t *protocols, int capacity)
{
	unsigned long inodes[64];
	unsigned table_protocols[64];
	int known = 0, found = 0;
	char line[256], dir_path[64];
	FILE *table = fopen("/proc/net/packet", "r");
	struct dirent *entry;
	DIR *dir;

	if (table == NULL)
		return -1;
	/* sk RefCnt Type Proto Iface R Rmem User Inode; the header line does not scan. */
	while (known < 64 && fgets(line, sizeof(line), table) != NULL) {
		if (sscanf(line, "%*s %*s %*s %x %*s %*s %*s %*s %lu", &table_protocols[known],
			   &inodes[known]) == 2)
			known++;
	}
	fclose(table);

	snprintf(dir_path, sizeof(dir_path), "/proc/%d/fd", (int)pid);
	dir = opendir(dir_path);
	if (dir == NULL)
		return -1;
	while (found < capacity && (entry = readdir(dir)) != NULL) {
		char fd_path[sizeof(dir_path) + 256 + 1], target[64];
		unsigned long inode;
		ssize_t len;

		snprintf(fd_path, sizeof(fd_path), "%s/%s", dir_path, entry->d_name);
		len = readlink(fd_path, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		if (sscanf(target, "socket:[%lu]", &inode) != 1)
			continue;
		for (int i = 0; i < known && found < capacity; i++)
			if (inodes[i] == inode)
				protocols[found++] = (uint16_t)table_protocols[i];
	}
	closedir(dir);
	return found;
}

/* The packet sockets of the program and of its worker, which relays. */
int packet_socket_protocols(pid_t program, uint16_t *protocols, int capacity)
{
	pid_t pids[8];
	int count = process_and_children(program, pids, 8), found = 0;

	for (int i = 0; i < count; i++) {
		int more = packet_socket_protocols_of(pids[i], protocols + found, capacity - found);
		if (more < 0 && i == 0)
			return -1;
		found += more > 0 ? more : 0;
	}
	return found;
}

/* CPU time pid has used so far (user + system), from /proc/PID/stat; -1 when unreadable. */
static long cpu_time_ms_of(pid_t pid)
{
	char path[64], text[1024];
	unsigned long user_ticks, system_ticks;
	long ticks_per_second = sysconf(_SC_CLK_TCK);
	const char *after_name;
	size_t len;
	FILE *file;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	file = fopen(path, "r");
	if (file == NULL)
		return -1;
	len = fread(text, 1, sizeof(text) - 1, file);
	fclose(file);
	text[len] = '\0';
	/* The command name may hold spaces and parentheses: fields restart after the last ')'. */
	after_name = strrchr(text, ')');
	if (after_name == NULL || ticks_per_second <= 0 ||
	    sscanf(after_name + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &user_ticks,
		   &system_ticks) != 2)
		return -1;
	return (long)((user_ticks + system_ticks) * 1000u / (unsigned long)ticks_per_second);
}

/* The program's CPU time and its worker's: -1 when the program's is unreadable. */
long cpu_time_ms(pid_t program)
{
	pid_t pids[8];
	int count = process_and_children(program, pids, 8);
	long total = cpu_time_ms_of(program);

	for (int i = 1; i < count && total >= 0; i++) {
		long child = cpu_time_ms_of(pids[i]);
		total += child > 0 ? child : 0;
	}
	return total;
}

/* Where a process that should have exited waits: its kernel wait channel and system call. */
void diag_blocked(pid_t pid)
{
	char path[64], wchan[64] = "", syscall_text[64] = "";
	long number = -1;
	FILE *file;

	snprintf(path, sizeof(path), "/proc/%d/wchan", (int)pid);
	if ((file = fopen(path, "r")) != NULL) {
		if (fgets(wchan, sizeof(wchan), file) == NULL)
			wchan[0] = '\0';
		fclose(file);
	}
	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	if ((file = fopen(path, "r")) != NULL) {
		if (fgets(syscall_text, sizeof(syscall_text), file) != NULL)
			number = strtol(syscall_text, NULL, 10);
		fclose(file);
	}
	diag("pid %d still runs: waiting in %s, system call %ld%s", (int)pid, wchan[0] ? wchan : "?",
	     number, number == SYS_write ? " (write)" : number == SYS_ppoll ? " (ppoll)" : "");
}

