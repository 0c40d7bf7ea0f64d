/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Host-level end-to-end test of the standalone pppoe-mss program.
 *
 * This process plays both neighbours of the program under test:
 *   - "pppd": a pty pair whose master is the program's stdin and stdout, as
 *     pppd's `pty` option sets it up; we speak async HDLC on the slave.
 *   - "access concentrator": an AF_PACKET socket on the far end of a veth
 *     pair, answering discovery and exchanging session frames.
 * tests/host_relay.sh creates the veth pair in a private network namespace,
 * so nothing here ever reaches a real network.
 *
 * The library is used only to *build* frames (PPPoE headers, HDLC framing).
 * Everything that *checks* what the program produced -- discovery tags,
 * session headers, the TCP checksum, the MSS option -- is read here with
 * code of its own, so that a bug shared by the program and the library
 * cannot make both sides agree on a wrong answer.
 *
 * Output is TAP; every wait is bounded, and an alarm kills everything if a
 * step we did not think of hangs anyway.
 *
 * The pieces the runs share are declared in host_relay.h: the fake access
 * concentrator (host_relay_ac.c), the program and "pppd" (host_relay_client.c),
 * TCP/IP packets (host_relay_tcp.c), frames through the program both ways
 * (host_relay_relaying.c) and what /proc shows it holds (host_relay_proc.c).
 * Each other host_relay_*.c holds one group of cases; main below runs them
 * in order, each run with a fresh pppoe-mss.
 *
 * Usage: host_relay PPPOE_MSS CLIENT_IF AC_IF
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "host_relay.h"

#define WATCHDOG_S 120            /* the whole test; only a hang we did not foresee hits it */

/* ---- TAP ---- */

static unsigned tap_count;
unsigned tap_failures;

void diag(const char *format, ...)
{
	va_list args;

	fputs("# ", stdout);
	va_start(args, format);
	vprintf(format, args);
	va_end(args);
	fputc('\n', stdout);
	fflush(stdout);
}

bool tap(bool ok, const char *format, ...)
{
	va_list args;

	tap_count++;
	if (!ok)
		tap_failures++;
	printf("%sok %u - ", ok ? "" : "not ", tap_count);
	va_start(args, format);
	vprintf(format, args);
	va_end(args);
	fputc('\n', stdout);
	fflush(stdout);
	return ok;
}

/* ---- small helpers ---- */

uint64_t now_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)now.tv_sec * 1000u + (uint64_t)now.tv_nsec / 1000000u;
}

int remaining_ms(uint64_t deadline)
{
	uint64_t now = now_ms();

	return now >= deadline ? 0 : (int)(deadline - now);
}

void sleep_ms(unsigned ms)
{
	struct timespec wait = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	while (nanosleep(&wait, &wait) < 0 && errno == EINTR)
		;
}

const char *mac_text(const uint8_t *mac)
{
	/* Rotating buffers, so one diagnostic can show several addresses. */
	static char text[4][18];
	static unsigned which;

	which = (which + 1) % 4;
	snprintf(text[which], sizeof(text[which]), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
		 mac[2], mac[3], mac[4], mac[5]);
	return text[which];
}

/*
 * Only the runs' own files are in there (their logs and outputs): all of
 * them, rather than a list of names that a new run would have to join.
 */
static void tmpdir_remove(const struct lab *lab)
{
	DIR *dir = opendir(lab->tmpdir);
	struct dirent *entry;

	while (dir != NULL && (entry = readdir(dir)) != NULL) {
		char path[sizeof(lab->tmpdir) + 1 + sizeof(entry->d_name)];

		if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", lab->tmpdir, entry->d_name);
		unlink(path);
	}
	if (dir != NULL)
		closedir(dir);
	rmdir(lab->tmpdir);
}

int main(int argc, char **argv)
{
	static struct lab lab;
	int client_ifindex;

	if (argc != 4) {
		fprintf(stderr, "usage: %s PPPOE_MSS CLIENT_IF AC_IF\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGALRM, on_watchdog);
	alarm(WATCHDOG_S);

	lab.program = argv[1];
	lab.client_if = argv[2];
	if (access(lab.program, X_OK) < 0) {
		printf("# cannot run: %s is not executable\n", lab.program);
		return 77;
	}
	if (interface_read(lab.client_if, lab.client_mac, &lab.client_mtu, &client_ifindex) < 0) {
		printf("# cannot run: cannot read interface %s: %s\n", lab.client_if, strerror(errno));
		return 77;
	}
	if (ac_open(&lab, argv[3]) < 0) {
		printf("# cannot run: no packet socket on %s\n", argv[3]);
		return 77;
	}
	snprintf(lab.tmpdir, sizeof(lab.tmpdir), "/tmp/host_relay.XXXXXX");
	if (mkdtemp(lab.tmpdir) == NULL) {
		printf("# cannot run: mkdtemp: %s\n", strerror(errno));
		return 77;
	}
	/* Different every run, so an echo cannot come from a constant in the program. */
	srandom((unsigned)getpid() ^ (unsigned)now_ms());
	for (size_t i = 0; i < sizeof(lab.cookie); i++)
		lab.cookie[i] = (uint8_t)random();
	for (size_t i = 0; i < sizeof(lab.relay_session_id); i++)
		lab.relay_session_id[i] = (uint8_t)random();
	diag("client %s %s (MTU %u), AC %s %s", lab.client_if, mac_text(lab.client_mac), lab.client_mtu,
	     argv[3], mac_text(lab.ac_mac));

	run_main_session(&lab);
	run_fixed_mss_and_padt(&lab);
	run_pppd_gone(&lab);
	run_worker_killed(&lab);
	run_stop_signal(&lab, SIGHUP, "SIGHUP", "sighup");
	run_stop_signal(&lab, SIGINT, "SIGINT", "sigint");
	run_link_flap(&lab);
	run_stuck_pppd(&lab);
	run_slow_pppd(&lab);
	run_idle_timeout(&lab);
	run_sync_fallback(&lab);
	run_pidfile(&lab);
	run_pidfile_stopped_in_discovery(&lab);
	run_no_discovery_socket(&lab);
	run_kill_session(&lab);
	run_list(&lab);
	run_discover_only(&lab);
	run_no_access_concentrator(&lab);
	run_rejected_offers(&lab);

	tmpdir_remove(&lab);

	printf("1..%u\n", tap_count);
	return tap_failures == 0 ? 0 : 1;
}
