/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -p (host_relay.h): the pid file is there from startup, during discovery
 * too, and gone once the program is.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host_relay.h"

/*
 * The pid in a pid file, complete with its newline (so that a file still
 * being written does not count); -1 when there is no such file or line.
 */
static long pidfile_read(const char *path)
{
	char text[32];
	char *end;
	long value;
	size_t len;
	FILE *file = fopen(path, "r");

	if (file == NULL)
		return -1;
	len = fread(text, 1, sizeof(text) - 1, file);
	fclose(file);
	text[len] = '\0';
	value = strtol(text, &end, 10);
	return end != text && *end == '\n' && value > 0 ? value : -1;
}

/* Wait up to timeout_ms for path to hold pid. */
static bool pidfile_wait(const char *path, pid_t pid, int timeout_ms)
{
	uint64_t deadline = now_ms() + (uint64_t)timeout_ms;

	for (;;) {
		long found = pidfile_read(path);
		if (found == (long)pid)
			return true;
		if (remaining_ms(deadline) == 0) {
			if (found < 0)
				diag("%s: %s", path, access(path, F_OK) == 0 ? "no complete pid line" : "does not exist");
			else
				diag("%s holds pid %ld, the program is %d", path, found, (int)pid);
			return false;
		}
		sleep_ms(10);
	}
}

static bool file_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* After a SIGTERM: the program exited and took its pid file at path along. */
static bool exited_without_pidfile(struct client *client, const char *path, int *status)
{
	bool exited = client_wait(client, PADT_DEADLINE_MS, status);

	if (exited)
		describe_status(*status);
	else
		diag("still running %d ms after SIGTERM", PADT_DEADLINE_MS);
	bool removed = !file_exists(path);
	if (exited && !removed)
		diag("%s is still there", path);
	return exited && removed;
}

/*
 * -p: the pid file exists from startup on, so whoever supervises the program
 * can stop it during discovery too, and it is gone once the program is.
 */
void run_pidfile(struct lab *lab)
{
	char path[160];
	const char *args[] = { "-p", path, NULL };
	struct client client;
	int status = 0;

	snprintf(path, sizeof(path), "%s/pppoe-mss.pid", lab->tmpdir);
	unlink(path);
	diag("pppoe-mss -I %s -p %s", lab->client_if, path);
	ac_drain(lab);
	if (!client_start(lab, &client, "pidfile", true, args)) {
		tap(false, "-p: the program starts");
		return;
	}
	/* The PADI waits in the AC's socket, unanswered, until this is settled. */
	pid_t pid = client.pid;
	bool in_discovery = pidfile_wait(path, pid, STEP_TIMEOUT_MS) && client_running(&client);
	tap(in_discovery, "-p: the pid file holds the program's pid during discovery, before the AC answers");

	if (!ac_negotiate(lab, NULL, false) || !session_relays(lab, &client, 0x91d00000u)) {
		tap(false, "-p: session established");
		client_finish(&client);
		return;
	}
	tap(pidfile_read(path) == (long)pid, "-p: the pid file holds the program's pid while the session runs");

	ac_drain(lab);
	client_signal(&client, SIGTERM);
	bool gone = exited_without_pidfile(&client, path, &status);
	tap(gone && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "-p, SIGTERM: the program exits with status 0 and removes its pid file");
	client_finish(&client);
	unlink(path);
}

/* -p and a stop before any AC has answered: the pid file goes on that way out too. */
void run_pidfile_stopped_in_discovery(struct lab *lab)
{
	char path[160];
	const char *args[] = { "-p", path, NULL };
	struct client client;
	int status = 0;

	snprintf(path, sizeof(path), "%s/pppoe-mss-discovery.pid", lab->tmpdir);
	unlink(path);
	diag("pppoe-mss -I %s -p %s, SIGTERM while waiting for a PADO", lab->client_if, path);
	ac_drain(lab);
	if (!client_start(lab, &client, "pidfile-discovery", false, args)) {
		tap(false, "-p: the program starts");
		return;
	}
	bool written = pidfile_wait(path, client.pid, STEP_TIMEOUT_MS);
	client_signal(&client, SIGTERM);
	bool gone = exited_without_pidfile(&client, path, &status);
	tap(written && gone,
	    "-p, SIGTERM during discovery: the pid file was there, and is gone once the program exits");
	client_finish(&client);
	unlink(path);
	ac_drain(lab);
}

