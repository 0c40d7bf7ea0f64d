/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pppd that does not keep up (host_relay.h): the AC floods the session while
 * pppd does not read, or reads slowly; the program must neither block nor
 * spin, and lose nothing it does not count.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "byte_order.h"
#include "host_relay.h"
#include "ppp.h"

#define FLOOD_FRAMES 3000   /* some 4.5 MB: far more than the pty and the relay's queue hold */
#define FLOOD_SETTLE_MS 300 /* for the program to work through what its socket queued */
#define CPU_WINDOW_MS 500
#define CPU_MAX_MS 125      /* a quarter of the window; a busy loop on EAGAIN takes all of it */

#define FLOOD_FIRST 0xf1000000u  /* sequence number of the first flood frame */

/*
 * count full-size frames from the AC as fast as its socket takes them: IP
 * packets of the link MTU, numbered from FLOOD_FIRST by their sequence
 * number, with payload bytes that include 0x7e and 0x7d.  Returns how many
 * were sent.
 */
static unsigned ac_flood(const struct lab *lab, unsigned count)
{
	uint16_t limit4 = (uint16_t)(link_max_payload(lab) - IPV4_TCP_OVERHEAD);
	uint8_t ip[PACKET_MAX], frame[PACKET_MAX];
	uint64_t started = now_ms(), deadline = started + STEP_TIMEOUT_MS;
	unsigned sent = 0;
	size_t frame_len = 0;

	while (sent < count && remaining_ms(deadline) > 0) {
		size_t ip_len = numbered_segment_build(FLOOD_FIRST + sent, true, limit4, ip, sizeof(ip));
		frame_len = session_frame_build(lab, lab->ac_mac, AC_SESSION_ID, PPP_PROTOCOL_IPV4, ip, ip_len, frame,
						sizeof(frame));
		if (frame_len > 0 && send(lab->ac_fd, frame, frame_len, 0) == (ssize_t)frame_len) {
			sent++;
			continue;
		}
		if (frame_len == 0 || (errno != EAGAIN && errno != ENOBUFS && errno != EINTR)) {
			diag("AC: sending flood frame %u failed: %s", sent, strerror(errno));
			break;
		}
		/* The AC's own socket is full: wait for room rather than skip frames. */
		struct pollfd pfd = { .fd = lab->ac_fd, .events = POLLOUT };
		(void)poll(&pfd, 1, 10);
	}
	diag("AC sent %u frames of %zu bytes in %llu ms", sent, frame_len,
	     (unsigned long long)(now_ms() - started));
	return sent;
}

/*
 * pppd reads again after a flood of sent frames: everything queued for it
 * must come out as whole flood frames, in order (some may be lost, none cut
 * or garbled), and then a frame the AC sends once pppd has read fresh_after
 * of them (or all there were).  slowly: pppd takes a millisecond over each
 * frame.  *delivered: how many flood frames it read.  Returns false with
 * diagnostics if not.
 */
static bool pppd_catches_up(struct lab *lab, struct client *client, uint32_t marker, unsigned sent,
			    unsigned fresh_after, bool slowly, unsigned *delivered)
{
	uint16_t limit4 = (uint16_t)(link_max_payload(lab) - IPV4_TCP_OVERHEAD);
	struct hdlc_decoder_counters before = client->decoder.counters;
	uint8_t packet[PACKET_MAX], frame[PACKET_MAX], got[PACKET_MAX], expected[PACKET_MAX];
	size_t packet_len = marker_build(marker, true, packet, sizeof(packet));
	size_t frame_len = session_frame_build(lab, lab->ac_mac, AC_SESSION_ID, PPP_PROTOCOL_IPV4, packet, packet_len,
					       frame, sizeof(frame));
	unsigned backlog = 0;
	uint32_t next_number = FLOOD_FIRST;
	bool intact = true, fresh_sent = false;

	*delivered = 0;
	if (frame_len == 0)
		return false;
	for (;;) {
		if (!fresh_sent && backlog >= fresh_after) {
			if (!ac_send(lab, frame, frame_len))
				return false;
			fresh_sent = true;
		}
		if (slowly)
			sleep_ms(1);
		size_t got_len = pppd_receive(client, fresh_sent ? STEP_TIMEOUT_MS : FLOOD_SETTLE_MS, got,
					      sizeof(got));
		if (got_len == 0 && !fresh_sent) {
			fresh_after = backlog;  /* all there were */
			continue;
		}
		if (got_len == 0) {
			diag("pppd: the frame sent after the flood did not arrive (%u flood frames read)", backlog);
			return false;
		}
		if (got_len == packet_len + 4 && memcmp(got + 4, packet, packet_len) == 0)
			break;
		/* A flood frame: FF 03 00 21, then the TCP sequence number tells which. */
		uint32_t number = got_len >= 4 + IPV4_HEADER_LEN + 8 ? get_be32(got + 4 + IPV4_HEADER_LEN + 4) : 0;
		size_t expected_len = numbered_segment_build(number, true, limit4, expected, sizeof(expected));
		if (number < next_number || number - FLOOD_FIRST >= sent || got_len != expected_len + 4 ||
		    got[0] != 0xff || got[1] != 0x03 || get_be16(got + 2) != PPP_PROTOCOL_IPV4 ||
		    memcmp(got + 4, expected, expected_len) != 0) {
			if (intact)
				diag("pppd: frame %u after the flood is not flood frame %u or later, intact (%zu bytes)",
				     backlog, (unsigned)(next_number - FLOOD_FIRST), got_len);
			intact = false;
		} else {
			next_number = number + 1;
		}
		*delivered = ++backlog;
		if (backlog > sent) {
			diag("pppd: more frames than the AC sent");
			return false;
		}
	}
	const struct hdlc_decoder_counters *after = &client->decoder.counters;
	uint64_t broken = (after->bad_fcs - before.bad_fcs) + (after->too_long - before.too_long) +
			  (after->too_short - before.too_short) + (after->aborted - before.aborted);
	diag("pppd read %u queued flood frames, %llu broken ones, then the new frame", backlog,
	     (unsigned long long)broken);
	return intact && broken == 0;
}

/*
 * The frames the program's counters say it dropped because pppd was not
 * reading (by the program, or by the kernel on its full socket), as its
 * log says after SIGUSR1: the last figures logged.  false if it said none
 * within STEP_TIMEOUT_MS.
 */
static bool client_logged_pppd_drops(struct client *client, unsigned long long *dropped)
{
	static const char busy[] = "pppd was not reading\n";
	static const char socket_full[] = "pppd was not reading and the session socket's queue was full\n";
	uint64_t deadline = now_ms() + STEP_TIMEOUT_MS;
	unsigned long long by_program = 0, by_kernel = 0;
	char line[512];
	bool logged = false;

	client_signal(client, SIGUSR1);
	while (!file_contains(client->log_path, "relayed ") && remaining_ms(deadline) > 0)
		sleep_ms(20);
	sleep_ms(100);  /* the drop lines follow the "relayed" one */
	FILE *log = fopen(client->log_path, "r");
	if (log == NULL)
		return false;
	while (fgets(line, sizeof(line), log) != NULL) {
		const char *at = strstr(line, "dropped ");
		unsigned long long count;
		int reason_at = 0;

		if (strstr(line, "relayed ") != NULL)
			logged = true;
		if (at == NULL || sscanf(at, "dropped %llu frames: %n", &count, &reason_at) != 1 ||
		    reason_at == 0)
			continue;
		if (strcmp(at + reason_at, busy) == 0)
			by_program = count;
		else if (strcmp(at + reason_at, socket_full) == 0)
			by_kernel = count;
	}
	fclose(log);
	diag("the program counts %llu frames dropped while pppd was not reading: %llu by itself, "
	     "%llu by the kernel on its full socket", by_program + by_kernel, by_program, by_kernel);
	*dropped = by_program + by_kernel;
	return logged;
}

/*
 * pppd stops reading (stopped, swapped out, stuck on a slow disk) while the
 * AC keeps sending.  The program stops reading the session socket when
 * pppd's queue is full, and what does not fit in the socket's queue either
 * is dropped by the kernel, and counted: it must not block on the pty nor
 * spin, pppd's own frames must still get out, and SIGTERM must still end
 * the session with a PADT.  (It used to block in write() to the pty with
 * SIGTERM pending, and never sent the PADT.)  Once pppd reads again, what
 * waited for it arrives whole and in order, then frames the AC sends since;
 * every flood frame is either delivered or counted as dropped.
 */
/*
 * The AC's new frame goes out once pppd has read this many: more than the
 * pty and the program's own queue hold, so the program has been reading its
 * socket again and there is room in it.  While the socket is full, the
 * kernel drops whatever arrives, the new frame too.
 */
#define STUCK_FRESH_AFTER 200

void run_stuck_pppd(struct lab *lab)
{
	uint8_t packet[PACKET_MAX];
	size_t packet_len;
	struct client client;
	unsigned sent, delivered = 0;
	unsigned long long dropped = 0;
	int status = 0;

	diag("pppoe-mss -I %s; pppd stops reading the pty, the AC floods the session", lab->client_if);
	if (!session_start(lab, &client, "stuck", no_args, 0x57c00000u, "stuck pppd"))
		return;

	sent = ac_flood(lab, FLOOD_FRAMES);
	sleep_ms(FLOOD_SETTLE_MS);

	int waiting_for_pppd = 0;
	if (ioctl(client.pppd_fd, FIONREAD, &waiting_for_pppd) == 0)
		diag("%d bytes wait unread on pppd's side of the pty", waiting_for_pppd);
	tap(sent == FLOOD_FRAMES && client_running(&client),
	    "stuck pppd: after a flood of %d full-size frames pppd does not read, the program still runs",
	    FLOOD_FRAMES);

	long cpu_before = cpu_time_ms(client.pid);
	sleep_ms(CPU_WINDOW_MS);
	long cpu_after = cpu_time_ms(client.pid);
	diag("the program used %ld ms of CPU in %d ms", cpu_after - cpu_before, CPU_WINDOW_MS);
	tap(cpu_before >= 0 && cpu_after >= 0 && cpu_after - cpu_before <= CPU_MAX_MS,
	    "stuck pppd: the program waits rather than spins (at most %d ms of CPU in %d ms)", CPU_MAX_MS,
	    CPU_WINDOW_MS);

	/* The AC's socket has filled with copies of its own flood: empty it first. */
	ac_drain(lab);
	packet_len = marker_build(0x57c10000u, false, packet, sizeof(packet));
	tap(passes_unchanged(lab, &client, OUTBOUND, PPP_PROTOCOL_IPV4, packet, packet_len),
	    "stuck pppd: a frame pppd writes still reaches the AC");

	tap(pppd_catches_up(lab, &client, 0x57c20000u, sent, STUCK_FRESH_AFTER, false, &delivered),
	    "stuck pppd reads again: what waited arrives whole and in order, then a frame sent since");
	bool counted = client_logged_pppd_drops(&client, &dropped);
	tap(counted && delivered + dropped == sent,
	    "stuck pppd: each of the %u flood frames was delivered (%u) or counted as dropped (%llu)",
	    sent, delivered, dropped);

	/* Stuck once more, for the stop: the case the program used to hang in. */
	sent = ac_flood(lab, FLOOD_FRAMES);
	sleep_ms(FLOOD_SETTLE_MS);
	if (sent != FLOOD_FRAMES || !client_running(&client))
		diag("the second flood: %u frames sent, the program %s", sent,
		     client.pid > 0 ? "runs" : "has exited");
	ac_drain(lab);
	uint64_t signalled = now_ms();
	client_signal(&client, SIGTERM);
	tap(ac_expect_padt(lab, AC_SESSION_ID, PADT_DEADLINE_MS),
	    "stuck pppd, SIGTERM: the AC receives a PADT for session 0x%04x within %d ms", AC_SESSION_ID,
	    PADT_DEADLINE_MS);
	bool exited = client_wait(&client, PADT_DEADLINE_MS, &status);
	if (exited) {
		diag("exited %llu ms after SIGTERM", (unsigned long long)(now_ms() - signalled));
		describe_status(status);
	} else {
		diag_blocked(client.pid);
	}
	tap(exited && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "stuck pppd, SIGTERM: the program exits with status 0 within %d ms", PADT_DEADLINE_MS);
	client_show_log_lines(&client, "dropped");
	tap(exited && file_contains(client.log_path, "stopped by a signal"),
	    "stuck pppd, SIGTERM: the log says the session was stopped by the signal");
	client_finish(&client);
}

/* Some 450 KB: several times what the pty and the program's own queue hold. */
#define SLOW_BURST_FRAMES 300
#define SLOW_PAUSE_MS 200

/*
 * A burst larger than the pty takes, while pppd is busy and then reads
 * slowly: TCP's window arriving at once (iperf3 in the lab).  The program
 * must leave what pppd cannot take yet in its socket's queue, not read it
 * only to drop it.
 */
void run_slow_pppd(struct lab *lab)
{
	struct client client;
	unsigned sent, delivered = 0;
	unsigned long long dropped = 0;

	diag("pppoe-mss -I %s; a burst of %d full-size frames while pppd is busy for %d ms, then "
	     "reads slowly", lab->client_if, SLOW_BURST_FRAMES, SLOW_PAUSE_MS);
	if (!session_start(lab, &client, "slow", no_args, 0x51000000u, "slow pppd"))
		return;
	sent = ac_flood(lab, SLOW_BURST_FRAMES);
	sleep_ms(SLOW_PAUSE_MS);
	bool in_order = pppd_catches_up(lab, &client, 0x51010000u, sent, 0, true, &delivered);
	tap(sent == SLOW_BURST_FRAMES && in_order && delivered == sent,
	    "slow pppd: all %d frames of a burst larger than the pty arrive, in order, then a new one "
	    "(%u arrived)", SLOW_BURST_FRAMES, delivered);
	bool counted = client_logged_pppd_drops(&client, &dropped);
	tap(counted && dropped == 0,
	    "slow pppd: the program counts no frame dropped (%llu)", dropped);
	client_finish(&client);
}

