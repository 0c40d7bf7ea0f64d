/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * How a session ends (host_relay.h), and what must not end it: pppd's
 * hangup and ^C, the link going down for a moment, -T's idle timeout.
 */
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host_relay.h"
#include "ppp.h"

/* pppd's hangup (SIGHUP) and a ^C (SIGINT) end the session as SIGTERM does. */
void run_stop_signal(struct lab *lab, int signum, const char *signal_name, const char *name)
{
	struct client client;

	diag("pppoe-mss -I %s, then %s", lab->client_if, signal_name);
	if (!session_start(lab, &client, name, no_args, 0x51600000u + (uint32_t)signum, signal_name))
		return;
	ac_drain(lab);
	client_signal(&client, signum);
	session_ends_with_padt(lab, &client, signal_name, 0);
	client_finish(&client);
}

/* ip link set NAME up|down, through the same ioctl. */
static bool interface_set_up(const char *name, bool up)
{
	struct ifreq ifr;
	bool done = false;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return false;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		if (up)
			ifr.ifr_flags |= IFF_UP;
		else
			ifr.ifr_flags &= ~IFF_UP;
		done = ioctl(fd, SIOCSIFFLAGS, &ifr) == 0;
	}
	close(fd);
	return done;
}

#define LINK_FLAP_MS 500

/*
 * The client's Ethernet link goes down and comes back up: the packet sockets
 * see ENETDOWN, but the session goes on -- whether a gap was too long is for
 * pppd's LCP echo to decide, not the relay -- frames pass both ways again,
 * and SIGTERM still ends it with a PADT.
 */
void run_link_flap(struct lab *lab)
{
	struct client client;

	diag("pppoe-mss -I %s, then %s is down for %d ms", lab->client_if, lab->client_if, LINK_FLAP_MS);
	if (!session_start(lab, &client, "link-flap", no_args, 0x11f10000u, "link flap"))
		return;
	bool flapped = interface_set_up(lab->client_if, false);
	sleep_ms(LINK_FLAP_MS);
	/* Up again whatever happened: the runs after this one need the link. */
	flapped = interface_set_up(lab->client_if, true) && flapped;
	sleep_ms(SILENCE_MS);
	tap(flapped && client_running(&client),
	    "link flap: the program keeps the session while %s is down for %d ms", lab->client_if,
	    LINK_FLAP_MS);
	tap(file_contains(client.log_path, "link went down"), "link flap: the log says the link went down");
	tap(client_running(&client) && session_relays(lab, &client, 0x11f20000u),
	    "link flap: frames pass both ways again once the link is back");
	/* A client that has already exited was reaped: its pid is -1 now, and
	 * kill(-1) would signal every process we may signal. */
	if (!client_running(&client)) {
		client_finish(&client);
		return;
	}
	ac_drain(lab);
	client_signal(&client, SIGTERM);
	session_ends_with_padt(lab, &client, "link flap, then SIGTERM", 0);
	client_finish(&client);
}

#define IDLE_TIMEOUT_MS 2000
#define IDLE_KEEPALIVE_FRAMES 6
#define IDLE_KEEPALIVE_GAP_MS 500
/* The program checks the idle time when it wakes, at least once a second. */
#define IDLE_EARLIEST_MS (IDLE_TIMEOUT_MS - 100)
#define IDLE_LATEST_MS (IDLE_TIMEOUT_MS + 2000)

/* -T 2: traffic either way keeps the session; two seconds without any end it. */
void run_idle_timeout(struct lab *lab)
{
	static const char *const args[] = { "-T", "2", NULL };
	uint8_t packet[PACKET_MAX], got[PACKET_MAX];
	struct client client;
	int status = 0;
	bool alive = true;

	diag("pppoe-mss -I %s -T 2", lab->client_if);
	if (!session_start(lab, &client, "idle", args, 0x1d1e0000u, "-T 2"))
		return;
	/* Inbound frames only: a frame from the AC is traffic as much as one from pppd. */
	uint64_t last_frame = now_ms();
	for (uint32_t i = 0; alive && i < IDLE_KEEPALIVE_FRAMES; i++) {
		size_t len = marker_build(0x1d1e1000u + i, true, packet, sizeof(packet));
		alive = relay_inbound(lab, &client, PPP_PROTOCOL_IPV4, packet, len, got, sizeof(got)) == len;
		last_frame = now_ms();
		sleep_ms(IDLE_KEEPALIVE_GAP_MS);
	}
	alive = alive && client_running(&client);
	tap(alive, "-T 2: a frame from the AC every %d ms keeps the session up for %d ms",
	    IDLE_KEEPALIVE_GAP_MS, IDLE_KEEPALIVE_FRAMES * IDLE_KEEPALIVE_GAP_MS);

	bool padt = ac_expect_padt(lab, AC_SESSION_ID, remaining_ms(last_frame + IDLE_LATEST_MS));
	uint64_t idle = now_ms() - last_frame;
	diag("PADT %llu ms after the last frame", (unsigned long long)idle);
	tap(padt && idle >= IDLE_EARLIEST_MS && idle <= IDLE_LATEST_MS,
	    "-T 2: without traffic the AC receives a PADT %d-%d ms after the last frame", IDLE_EARLIEST_MS,
	    IDLE_LATEST_MS);
	bool exited = client_wait(&client, STEP_TIMEOUT_MS, &status);
	if (exited) {
		diag("exited %llu ms after the last frame", (unsigned long long)(now_ms() - last_frame));
		describe_status(status);
	}
	tap(exited && WIFEXITED(status), "-T 2: the program exits after the idle timeout");
	client_finish(&client);
}

