/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The relay under test as a process (relay_process.h). */
#include "relay_process.h"

#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "../process_tree.h"

bool relay_start(const struct env *env, const struct program *program,
		 struct relay_process *relay)
{
	char session[64];
	const char *argv[16];
	struct termios raw;
	int master, slave, log_fd;
	const uint8_t *m = env->ac_mac;

	snprintf(session, sizeof(session), "%u:%02x:%02x:%02x:%02x:%02x:%02x", SESSION_ID, m[0], m[1],
		 m[2], m[3], m[4], m[5]);
	argv[0] = program->path;
	argv[1] = "-I";
	argv[2] = env->client_if;
	argv[3] = "-e";
	argv[4] = session;
	argv[5] = "-m";
	argv[6] = "1452";
	argv[7] = NULL;

	snprintf(relay->log_path, sizeof(relay->log_path), "%s/%s.log", env->tmpdir, program->name);
	log_fd = open(relay->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (log_fd < 0)
		return false;
	if (openpty(&master, &slave, NULL, NULL, NULL) < 0) {
		close(log_fd);
		return false;
	}
	fcntl(master, F_SETFD, FD_CLOEXEC);
	fcntl(slave, F_SETFD, FD_CLOEXEC);
	/* As pppd does: raw mode, so HDLC bytes pass untouched. */
	tcgetattr(slave, &raw);
	cfmakeraw(&raw);
	tcsetattr(slave, TCSANOW, &raw);
	fcntl(slave, F_SETFL, fcntl(slave, F_GETFL) | O_NONBLOCK);

	relay->pid = fork();
	if (relay->pid == 0) {
		dup2(master, STDIN_FILENO);
		dup2(master, STDOUT_FILENO);
		dup2(log_fd, STDERR_FILENO);
		execv(argv[0], (char *const *)argv);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(master);
	close(log_fd);
	relay->pty = slave;
	if (relay->pid < 0) {
		close(slave);
		return false;
	}
	return true;
}

void relay_stop(struct relay_process *relay)
{
	if (relay->pid > 0) {
		kill(relay->pid, SIGKILL);
		(void)waitpid(relay->pid, NULL, 0);
	}
	relay->pid = -1;
	close(relay->pty);
	relay->pty = -1;
}

void relay_show_log(const struct relay_process *relay)
{
	char line[512];
	FILE *f = fopen(relay->log_path, "r");

	if (f == NULL)
		return;
	for (int i = 0; i < 20 && fgets(line, sizeof(line), f) != NULL; i++)
		fprintf(stderr, "#   %s", line);
	fclose(f);
}

/* CPU time one process has run so far, user and system, in seconds. */
static double one_process_cpu_seconds(pid_t pid)
{
	char path[64];
	unsigned long long ns = 0, utime = 0, stime = 0;
	FILE *f;

	/* schedstat counts nanoseconds; stat only clock ticks. */
	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
	f = fopen(path, "r");
	if (f != NULL) {
		int fields = fscanf(f, "%llu", &ns);

		fclose(f);
		if (fields == 1)
			return (double)ns / 1e9;
	}
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	/* Fields 14 and 15; the command name in parentheses holds no spaces here. */
	if (fscanf(f, "%*d %*s %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime,
		   &stime) != 2)
		utime = stime = 0;
	fclose(f);
	return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

double process_cpu_seconds(pid_t program)
{
	pid_t pids[8];
	int count = process_and_children(program, pids, 8);
	double seconds = 0;

	for (int i = 0; i < count; i++)
		seconds += one_process_cpu_seconds(pids[i]);
	return seconds;
}

static long one_process_peak_rss_kib(pid_t pid)
{
	char value[64];
	long kib;

	if (!process_status_value(pid, "VmHWM:", value, sizeof(value)) ||
	    sscanf(value, "%ld kB", &kib) != 1)
		return -1;
	return kib;
}

long process_peak_rss_kib(pid_t program)
{
	pid_t pids[8];
	int count = process_and_children(program, pids, 8);
	long peak = -1;

	for (int i = 0; i < count; i++) {
		long kib = one_process_peak_rss_kib(pids[i]);
		peak = kib > peak ? kib : peak;
	}
	return peak;
}
