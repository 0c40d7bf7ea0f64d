// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rogue: a hostile station on the lab's PPPoE segment (tests/lab/scenarios/
 * hostile-*.sh).  It writes Ethernet frames byte by byte through an
 * AF_PACKET socket -- valid ones, and the malformed ones no codec would
 * build -- and listens just enough to learn what a real attacker on a shared
 * segment learns: the client's Host-Uniq from its broadcast PADI, the
 * session id from the session's frames.
 *
 *   rogue -i IF [options] ACTION [ARG]
 *
 * Actions:
 *   sniff         wait (-w s) for a session frame from the client (-c) and
 *                 print "session ID ac MAC"
 *   discovery     wait (-w s) for a PADI (from -c when given), then send -n
 *                 hostile discovery frames at -r per second, cycling through
 *                 every discovery case; the same again when the client's
 *                 PADR passes (-w s at most); prints what it sent per case
 *   session CASE  send -n frames of one session-phase case at -r per second
 *   syn           send each malformed TCP SYN case once, as the AC (-a) in
 *                 our session (-S) to the client (-c); -o FILE keeps the
 *                 IP packets sent, as a raw-IP pcap, for verify
 *   verify SENT CAPTURE
 *                 compare the SYNs sent with a capture of the client's ppp0:
 *                 every one relayed untouched or clamped to the limits
 *                 (-l IPV4,IPV6) with a correct checksum, and nothing else
 *   raw HEX       send these bytes as one frame, -n times
 *   cases         list the case names, with what a client must do with them
 *
 * Options: -c MAC (client), -a MAC (access concentrator), -S ID (session),
 * -n COUNT (1..1000000, default 1), -r RATE (frames/s, 1..1000000, default
 * 1000), -w SECONDS (1..120, default 10), -D MS (wait after the PADI before
 * the first frame, 0..10000), -G FILE (with -D: start as soon as FILE
 * exists, so that a script can look at the client first), -t IPV4 (the
 * client's address on ppp0), -o FILE, -l IPV4-LIMIT,IPV6-LIMIT.
 *
 * Every loop is bounded by -n or -w; every frame read is bounded by what
 * was received.  Exit status: 0 done, 1 failure, 2 usage, 77 the
 * interface cannot carry what was asked for (a jumbo frame on MTU 1500).
 *
 * The parts: rogue_station.c (the interface, its sockets, the clock),
 * rogue_frame.c (frames written as bytes), one file per family of cases
 * (rogue_discovery.c, rogue_session.c, rogue_syn.c), and this one: the
 * command line.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rogue.h"

/* ---- MAC addresses, numbers and bytes as text ---- */

void format_mac(const uint8_t *mac, char out[18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
		 mac[5]);
}

static bool parse_mac(const char *text, uint8_t mac[PPPOE_MAC_LEN])
{
	unsigned v[PPPOE_MAC_LEN];
	char tail;

	if (sscanf(text, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
		   &tail) != 6)
		return false;
	for (int i = 0; i < PPPOE_MAC_LEN; i++)
		mac[i] = (uint8_t)v[i];
	return true;
}

static bool parse_ulong(const char *text, unsigned long min, unsigned long max,
			unsigned long *out)
{
	char *end;
	unsigned long value;

	errno = 0;
	value = strtoul(text, &end, 0);
	if (errno != 0 || end == text || *end != '\0' || value < min || value > max)
		return false;
	*out = value;
	return true;
}

/* Hex digits to bytes; -1 when odd, not hex, or more than capacity. */
static long parse_hex(const char *text, uint8_t *out, size_t capacity)
{
	size_t digits = strlen(text), len = digits / 2;

	if (digits % 2 != 0 || len > capacity)
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned byte;
		if (sscanf(text + 2 * i, "%2x", &byte) != 1)
			return -1;
		out[i] = (uint8_t)byte;
	}
	return (long)len;
}

/* ---- raw and cases: the actions of no family ---- */

static int action_raw(struct rogue *r, const char *hex)
{
	static uint8_t frame[ROGUE_FRAME_MAX];
	long len = parse_hex(hex, frame, sizeof(frame));
	struct pacer pacer;

	if (len < PPPOE_ETH_HEADER_LEN) {
		fprintf(stderr, "rogue: raw needs at least 14 bytes, in hex\n");
		return 2;
	}
	pacer_start(&pacer, r->rate);
	for (unsigned long i = 0; i < r->count; i++)
		pacer_send(&pacer, r, i, frame, (size_t)len);
	printf("sent raw: %lu frames of %ld bytes (%lu failed)\n", pacer.sent, len, pacer.failed);
	return pacer.failed == 0 ? 0 : 1;
}

static void list_cases(void)
{
	discovery_cases_print();
	session_cases_print();
	syn_cases_print();
}

static void usage(void)
{
	fprintf(stderr,
		"usage: rogue -i IF [-c MAC] [-a MAC] [-S ID] [-n COUNT] [-r RATE] [-w S] [-D MS]\n"
		"             [-G FILE] [-t IPV4] [-o FILE] [-l IPV4,IPV6] ACTION [ARG...]\n"
		"actions: sniff, discovery, session CASE, syn, verify SENT CAPTURE, raw HEX, cases\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static struct rogue r;
	unsigned long value;
	int opt;

	r.count = 1;
	r.rate = 1000;
	r.wait_s = 10;
	r.limit_ipv4 = 1452;
	r.limit_ipv6 = 1432;
	while ((opt = getopt(argc, argv, "i:c:a:S:n:r:w:D:G:t:o:l:")) != -1) {
		switch (opt) {
		case 'i':
			r.interface = optarg;
			break;
		case 'c':
			if (!parse_mac(optarg, r.client_mac))
				usage();
			r.have_client = true;
			break;
		case 'a':
			if (!parse_mac(optarg, r.ac_mac))
				usage();
			r.have_ac = true;
			break;
		case 'S':
			if (!parse_ulong(optarg, 1, 0xffff, &value))
				usage();
			r.session_id = (uint16_t)value;
			r.have_session = true;
			break;
		case 'n':
			if (!parse_ulong(optarg, 1, COUNT_MAX, &r.count))
				usage();
			break;
		case 'r':
			if (!parse_ulong(optarg, 1, RATE_MAX, &r.rate))
				usage();
			break;
		case 'w':
			if (!parse_ulong(optarg, 1, WAIT_MAX_S, &r.wait_s))
				usage();
			break;
		case 'D':
			if (!parse_ulong(optarg, 0, DELAY_MAX_MS, &r.delay_ms))
				usage();
			break;
		case 'G':
			r.go_file = optarg;
			break;
		case 't':
			if (inet_pton(AF_INET, optarg, &r.client_ipv4) != 1)
				usage();
			break;
		case 'o':
			r.pcap_out = optarg;
			break;
		case 'l': {
			unsigned v4, v6;
			char tail;
			if (sscanf(optarg, "%u,%u%c", &v4, &v6, &tail) != 2 || v4 > 65535 || v6 > 65535)
				usage();
			r.limit_ipv4 = v4;
			r.limit_ipv6 = v6;
			break;
		}
		default:
			usage();
		}
	}
	if (optind >= argc)
		usage();
	const char *action = argv[optind];
	if (strcmp(action, "cases") == 0) {
		list_cases();
		return 0;
	}
	if (strcmp(action, "verify") == 0) {
		if (argc - optind != 3)
			usage();
		return action_verify(&r, argv[optind + 1], argv[optind + 2]);
	}
	if (r.interface == NULL)
		usage();
	if (!interface_open(&r))
		return 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(action, "sniff") == 0)
		return action_sniff(&r);
	if (strcmp(action, "discovery") == 0)
		return action_discovery(&r);
	if (strcmp(action, "syn") == 0)
		return action_syn(&r);
	if (strcmp(action, "session") == 0 && argc - optind == 2)
		return action_session(&r, argv[optind + 1]);
	if (strcmp(action, "raw") == 0 && argc - optind == 2)
		return action_raw(&r, argv[optind + 1]);
	usage();
	return 2;
}
