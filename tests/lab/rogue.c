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
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "byte_order.h"
#include "pppoe.h"

#define ROGUE_FRAME_MAX 9216
#define HOST_UNIQ_MAX 64
#define COUNT_MAX 1000000UL
#define RATE_MAX 1000000UL
#define WAIT_MAX_S 120UL
#define DELAY_MAX_MS 10000UL
/* The AC-Name of every offer this station makes: never the one asked for. */
#define ROGUE_AC_NAME "rogue-ac"

struct rogue {
	const char *interface;
	int ifindex;
	unsigned mtu;
	int send_fd;
	uint8_t own_mac[PPPOE_MAC_LEN];
	uint8_t client_mac[PPPOE_MAC_LEN];
	bool have_client;
	uint8_t ac_mac[PPPOE_MAC_LEN];
	bool have_ac;
	uint16_t session_id;
	bool have_session;
	/* The client's Host-Uniq, learnt from its PADI: what a reply must echo. */
	uint8_t host_uniq[HOST_UNIQ_MAX];
	size_t host_uniq_len;
	bool have_host_uniq;
	unsigned long count;
	unsigned long rate;
	unsigned long wait_s;
	unsigned long delay_ms;
	const char *go_file;
	struct in_addr client_ipv4;
	const char *pcap_out;
	unsigned limit_ipv4;
	unsigned limit_ipv6;
};

/* ---- small helpers ---- */

static void format_mac(const uint8_t *mac, char out[18])
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

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void sleep_until_ns(uint64_t deadline)
{
	struct timespec ts = { .tv_sec = (time_t)(deadline / 1000000000u),
			       .tv_nsec = (long)(deadline % 1000000000u) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/* ---- the interface and its sockets ---- */

static bool interface_open(struct rogue *r)
{
	struct ifreq ifr;
	struct sockaddr_ll address;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || strlen(r->interface) >= sizeof(ifr.ifr_name)) {
		fprintf(stderr, "rogue: bad interface name or no socket\n");
		return false;
	}
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, r->interface, strlen(r->interface));
	if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0) {
		fprintf(stderr, "rogue: no interface %s: %s\n", r->interface, strerror(errno));
		close(fd);
		return false;
	}
	r->ifindex = ifr.ifr_ifindex;
	/* ifr is a union: each answer is read before the next question. */
	if (ioctl(fd, SIOCGIFMTU, &ifr) < 0) {
		fprintf(stderr, "rogue: cannot read the MTU of %s: %s\n", r->interface, strerror(errno));
		close(fd);
		return false;
	}
	r->mtu = (unsigned)ifr.ifr_mtu;
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
		fprintf(stderr, "rogue: cannot read the MAC of %s: %s\n", r->interface, strerror(errno));
		close(fd);
		return false;
	}
	memcpy(r->own_mac, ifr.ifr_hwaddr.sa_data, PPPOE_MAC_LEN);
	close(fd);

	/* Protocol 0: this socket only sends, it never queues what passes by. */
	r->send_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (r->send_fd < 0) {
		fprintf(stderr, "rogue: packet socket: %s\n", strerror(errno));
		return false;
	}
	memset(&address, 0, sizeof(address));
	address.sll_family = AF_PACKET;
	address.sll_ifindex = r->ifindex;
	if (bind(r->send_fd, (struct sockaddr *)&address, sizeof(address)) < 0) {
		fprintf(stderr, "rogue: bind to %s: %s\n", r->interface, strerror(errno));
		return false;
	}
	return true;
}

static int listen_socket(const struct rogue *r, uint16_t ethertype)
{
	struct sockaddr_ll address;
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	memset(&address, 0, sizeof(address));
	address.sll_family = AF_PACKET;
	address.sll_protocol = htons(ethertype);
	address.sll_ifindex = r->ifindex;
	if (bind(fd, (struct sockaddr *)&address, sizeof(address)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Wait until deadline_ns for one frame; returns its length (0 on timeout,
 * -1 on error).  A frame larger than buf is skipped, never cut short.
 */
static ssize_t receive_until(int fd, uint8_t *buf, size_t capacity, uint64_t deadline_ns)
{
	for (;;) {
		uint64_t now = now_ns();
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int ready;

		if (now >= deadline_ns)
			return 0;
		ready = poll(&pfd, 1, (int)((deadline_ns - now) / 1000000u) + 1);
		if (ready < 0 && errno != EINTR)
			return -1;
		if (ready <= 0)
			continue;
		ssize_t got = recv(fd, buf, capacity, MSG_DONTWAIT | MSG_TRUNC);
		if (got < 0 && errno != EAGAIN && errno != EINTR)
			return -1;
		if (got > 0 && (size_t)got <= capacity)
			return got;
	}
}

/* ---- sending, paced ---- */

struct pacer {
	uint64_t start;
	uint64_t interval_ns;
	unsigned long sent;
	unsigned long failed;
	int last_errno;
};

static void pacer_start(struct pacer *p, unsigned long rate)
{
	memset(p, 0, sizeof(*p));
	p->start = now_ns();
	p->interval_ns = 1000000000u / rate;
}

/* Send frame number i of the run, not before its slot: a late sender
 * catches up without sleeping, so the rate is an average, never exceeded. */
static void pacer_send(struct pacer *p, const struct rogue *r, unsigned long i,
		       const uint8_t *frame, size_t len)
{
	sleep_until_ns(p->start + (uint64_t)i * p->interval_ns);
	if (send(r->send_fd, frame, len, 0) == (ssize_t)len) {
		p->sent++;
	} else {
		p->failed++;
		p->last_errno = errno;
	}
}

/* ---- frame building: headers and tags written as bytes, lengths as given ---- */

struct frame {
	uint8_t b[ROGUE_FRAME_MAX];
	size_t len;
};

static void frame_begin(struct frame *f, const uint8_t *dest, const uint8_t *source,
			uint16_t ethertype)
{
	memset(f->b, 0, sizeof(f->b));
	memcpy(f->b, dest, PPPOE_MAC_LEN);
	memcpy(f->b + PPPOE_MAC_LEN, source, PPPOE_MAC_LEN);
	put_be16(f->b + 12, ethertype);
	f->len = PPPOE_ETH_HEADER_LEN;
}

static void frame_bytes(struct frame *f, const void *data, size_t len)
{
	if (len > sizeof(f->b) - f->len)
		len = sizeof(f->b) - f->len;
	if (data != NULL)
		memcpy(f->b + f->len, data, len);
	f->len += len;
}

static void frame_byte(struct frame *f, uint8_t value)
{
	frame_bytes(f, &value, 1);
}

static void frame_u16(struct frame *f, uint16_t value)
{
	uint8_t bytes[2];

	put_be16(bytes, value);
	frame_bytes(f, bytes, 2);
}

/* The PPPoE header with its length still 0: pppoe_length_fix fills it. */
static void frame_pppoe(struct frame *f, uint8_t version_type, uint8_t code, uint16_t session)
{
	frame_byte(f, version_type);
	frame_byte(f, code);
	frame_u16(f, session);
	frame_u16(f, 0);
}

/* The PPPoE length: what follows the header, plus a lie (which may be negative). */
static void pppoe_length_fix(struct frame *f, long lie)
{
	long len = (long)f->len - PPPOE_FRAME_HEADER_LEN + lie;

	put_be16(f->b + PPPOE_ETH_HEADER_LEN + 4, (uint16_t)(len < 0 ? 0 : len));
}

/* A tag whose length field says declared while value_len bytes follow. */
static void frame_tag(struct frame *f, uint16_t type, uint16_t declared, const void *value,
		      size_t value_len)
{
	frame_u16(f, type);
	frame_u16(f, declared);
	frame_bytes(f, value, value_len);
}

static void frame_tag_ok(struct frame *f, uint16_t type, const void *value, size_t len)
{
	frame_tag(f, type, (uint16_t)len, value, len);
}

static void frame_string_tag(struct frame *f, uint16_t type, const char *text)
{
	frame_tag_ok(f, type, text, strlen(text));
}

/* Pad a frame to Ethernet's minimum of 60 bytes, as a NIC would. */
static void frame_pad(struct frame *f)
{
	if (f->len < 60)
		f->len = 60;
}

/* ---- discovery cases: replies to the client's PADI that must not win it ---- */

static void host_uniq_tag(struct frame *f, const struct rogue *r)
{
	if (r->have_host_uniq)
		frame_tag_ok(f, PPPOE_TAG_HOST_UNIQ, r->host_uniq, r->host_uniq_len);
}

/* The client's Host-Uniq with every bit flipped: certainly not its own. */
static void wrong_host_uniq_tag(struct frame *f, const struct rogue *r)
{
	uint8_t wrong[HOST_UNIQ_MAX] = { 0xde, 0xad, 0xbe, 0xef };
	size_t len = r->have_host_uniq ? r->host_uniq_len : 4;

	for (size_t i = 0; r->have_host_uniq && i < len; i++)
		wrong[i] = (uint8_t)~r->host_uniq[i];
	frame_tag_ok(f, PPPOE_TAG_HOST_UNIQ, wrong, len);
}

static void offer_begin(struct frame *f, const struct rogue *r, const uint8_t *source,
			uint8_t code, uint16_t session)
{
	frame_begin(f, r->client_mac, source, PPPOE_ETHERTYPE_DISCOVERY);
	frame_pppoe(f, 0x11, code, session);
}

static void pado_bogus_tag_length(struct frame *f, const struct rogue *r)
{
	offer_begin(f, r, r->own_mac, PPPOE_CODE_PADO, 0);
	host_uniq_tag(f, r);
	frame_tag_ok(f, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	/* AC-Name says 1024 bytes; 8 follow. */
	frame_tag(f, PPPOE_TAG_AC_NAME, 1024, ROGUE_AC_NAME, strlen(ROGUE_AC_NAME));
	pppoe_length_fix(f, 0);
}

static void pado_tag_length_ffff(struct frame *f, const struct rogue *r)
{
	offer_begin(f, r, r->own_mac, PPPOE_CODE_PADO, 0);
	frame_tag(f, PPPOE_TAG_SERVICE_NAME, 0xffff, NULL, 0);
	host_uniq_tag(f, r);
	pppoe_length_fix(f, 0);
}

static void pado_pppoe_length_past_frame(struct frame *f, const struct rogue *r)
{
	offer_begin(f, r, r->own_mac, PPPOE_CODE_PADO, 0);
	host_uniq_tag(f, r);
	frame_string_tag(f, PPPOE_TAG_AC_NAME, ROGUE_AC_NAME);
	frame_tag_ok(f, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	pppoe_length_fix(f, 1200);
}

/* Valid, as large as a standard frame carries: a 1400-byte AC-Cookie. */
static void pado_oversized_tag(struct frame *f, const struct rogue *r)
{
	static uint8_t cookie[1400];

	memset(cookie, 'C', sizeof(cookie));
	offer_begin(f, r, r->own_mac, PPPOE_CODE_PADO, 0);
	host_uniq_tag(f, r);
	frame_string_tag(f, PPPOE_TAG_AC_NAME, ROGUE_AC_NAME);
	frame_tag_ok(f, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	frame_tag_ok(f, PPPOE_TAG_AC_COOKIE, cookie, sizeof(cookie));
	frame_tag(f, PPPOE_TAG_END_OF_LIST, 0, NULL, 0);
	pppoe_length_fix(f, 0);
}

/* RFC 2516 makes End-Of-List optional: a valid offer, just not the AC asked for. */
static void pado_no_end_of_list(struct frame *f, const struct rogue *r)
{
	offer_begin(f, r, r->own_mac, PPPOE_CODE_PADO, 0);
	host_uniq_tag(f, r);
	frame_string_tag(f, PPPOE_TAG_AC_NAME, ROGUE_AC_NAME);
	frame_tag_ok(f, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	pppoe_length_fix(f, 0);
}

/* No End-Of-List, and 3 bytes of a tag header where the list should end. */
static void pado_partial_tag_at_end(struct frame *f, const struct rogue *r)
{
	offer_begin(f, r, r->own_mac, PPPOE_CODE_PADO, 0);
	host_uniq_tag(f, r);
	frame_string_tag(f, PPPOE_TAG_AC_NAME, ROGUE_AC_NAME);
	frame_tag_ok(f, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	frame_bytes(f, "\x01\x02\x00", 3);
	pppoe_length_fix(f, 0);
}

/* Claims to be the AC the client asked for, but answers someone else's PADI. */
static void pado_wrong_host_uniq(struct frame *f, const struct rogue *r)
{
	offer_begin(f, r, r->own_mac, PPPOE_CODE_PADO, 0);
	wrong_host_uniq_tag(f, r);
	frame_string_tag(f, PPPOE_TAG_AC_NAME, "lab-ac");
	frame_tag_ok(f, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	pppoe_length_fix(f, 0);
}

static void pado_no_host_uniq(struct frame *f, const struct rogue *r)
{
	offer_begin(f, r, r->own_mac, PPPOE_CODE_PADO, 0);
	frame_string_tag(f, PPPOE_TAG_AC_NAME, "lab-ac");
	frame_tag_ok(f, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	pppoe_length_fix(f, 0);
}

/* A well-formed offer from another AC: the bulk of a PADO flood. */
static void pado_rogue_ac(struct frame *f, const struct rogue *r)
{
	offer_begin(f, r, r->own_mac, PPPOE_CODE_PADO, 0);
	host_uniq_tag(f, r);
	frame_string_tag(f, PPPOE_TAG_AC_NAME, ROGUE_AC_NAME);
	frame_tag_ok(f, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	frame_tag_ok(f, PPPOE_TAG_AC_COOKIE, "rogue-cookie", 12);
	pppoe_length_fix(f, 0);
	frame_pad(f);
}

static void pado_bad_version(struct frame *f, const struct rogue *r)
{
	frame_begin(f, r->client_mac, r->own_mac, PPPOE_ETHERTYPE_DISCOVERY);
	frame_pppoe(f, 0x22, PPPOE_CODE_PADO, 0);
	host_uniq_tag(f, r);
	frame_string_tag(f, PPPOE_TAG_AC_NAME, "lab-ac");
	pppoe_length_fix(f, 0);
}

/* Ethernet header and 3 bytes of PPPoE header. */
static void pado_truncated(struct frame *f, const struct rogue *r)
{
	frame_begin(f, r->client_mac, r->own_mac, PPPOE_ETHERTYPE_DISCOVERY);
	frame_bytes(f, "\x11\x07\x00", 3);
}

static void pads_zero_session(struct frame *f, const struct rogue *r)
{
	offer_begin(f, r, r->own_mac, PPPOE_CODE_PADS, 0);
	host_uniq_tag(f, r);
	frame_tag_ok(f, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	pppoe_length_fix(f, 0);
}

/* A PADS from this station with the right Host-Uniq: a session hijack attempt. */
static void pads_from_rogue(struct frame *f, const struct rogue *r)
{
	offer_begin(f, r, r->own_mac, PPPOE_CODE_PADS, 0x4242);
	host_uniq_tag(f, r);
	frame_tag_ok(f, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	pppoe_length_fix(f, 0);
}

/* The real AC's MAC, a session id of ours, someone else's Host-Uniq. */
static void pads_spoofed_ac_wrong_host_uniq(struct frame *f, const struct rogue *r)
{
	offer_begin(f, r, r->ac_mac, PPPOE_CODE_PADS, 0x4343);
	wrong_host_uniq_tag(f, r);
	frame_tag_ok(f, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	pppoe_length_fix(f, 0);
}

static void pads_spoofed_ac_zero_session_wrong_host_uniq(struct frame *f, const struct rogue *r)
{
	offer_begin(f, r, r->ac_mac, PPPOE_CODE_PADS, 0);
	wrong_host_uniq_tag(f, r);
	frame_tag_ok(f, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	pppoe_length_fix(f, 0);
}

static void padt_during_discovery(struct frame *f, const struct rogue *r)
{
	offer_begin(f, r, r->own_mac, PPPOE_CODE_PADT, 0);
	host_uniq_tag(f, r);
	pppoe_length_fix(f, 0);
	frame_pad(f);
}

struct discovery_case {
	const char *name;
	void (*build)(struct frame *f, const struct rogue *r);
	bool needs_ac;       /* spoofs the AC's MAC: needs -a */
	const char *client_must;
};

static const struct discovery_case discovery_cases[] = {
	{ "pado-bogus-tag-length", pado_bogus_tag_length, false,
	  "ignore it (malformed: AC-Name says 1024 bytes, 8 follow)" },
	{ "pado-tag-length-ffff", pado_tag_length_ffff, false,
	  "ignore it (malformed: a tag length of 65535)" },
	{ "pado-pppoe-length-past-frame", pado_pppoe_length_past_frame, false,
	  "ignore it (malformed: PPPoE length 1200 bytes past the frame)" },
	{ "pado-oversized-tag", pado_oversized_tag, false,
	  "not choose it (1400-byte AC-Cookie, AC-Name rogue-ac)" },
	{ "pado-no-end-of-list", pado_no_end_of_list, false,
	  "not choose it (valid without End-Of-List, AC-Name rogue-ac)" },
	{ "pado-partial-tag-at-end", pado_partial_tag_at_end, false,
	  "ignore it (malformed: 3 bytes of a tag header at the end)" },
	{ "pado-wrong-host-uniq", pado_wrong_host_uniq, false,
	  "ignore it (AC-Name lab-ac, but a Host-Uniq that is not ours)" },
	{ "pado-no-host-uniq", pado_no_host_uniq, false,
	  "ignore it (AC-Name lab-ac, no Host-Uniq)" },
	{ "pado-rogue-ac", pado_rogue_ac, false,
	  "not choose it (well-formed, our Host-Uniq, AC-Name rogue-ac)" },
	{ "pado-bad-version", pado_bad_version, false, "ignore it (version/type 2/2)" },
	{ "pado-truncated", pado_truncated, false, "ignore it (17 bytes)" },
	{ "pads-zero-session", pads_zero_session, false,
	  "ignore it (session id 0, from a MAC that is not the chosen AC)" },
	{ "pads-from-rogue", pads_from_rogue, false,
	  "ignore it (our Host-Uniq, session 0x4242, not from the chosen AC)" },
	{ "pads-spoofed-ac-wrong-host-uniq", pads_spoofed_ac_wrong_host_uniq, true,
	  "ignore it (the AC's MAC, session 0x4343, a Host-Uniq not ours)" },
	{ "pads-spoofed-ac-zero-session", pads_spoofed_ac_zero_session_wrong_host_uniq, true,
	  "ignore it (the AC's MAC, session 0, a Host-Uniq not ours)" },
	{ "padt-during-discovery", padt_during_discovery, false,
	  "ignore it (PADT for session 0 from a stranger)" },
};

#define DISCOVERY_CASE_COUNT (sizeof(discovery_cases) / sizeof(discovery_cases[0]))

/* The Host-Uniq of a PADI: the parser from src/pppoe.c reads the tags. */
static void learn_from_padi(struct rogue *r, const uint8_t *frame, size_t len)
{
	struct pppoe_discovery msg;

	memcpy(r->client_mac, frame + PPPOE_MAC_LEN, PPPOE_MAC_LEN);
	r->have_client = true;
	if (pppoe_discovery_parse(frame, len, &pppoe_standard_ethertypes, &msg) == PPPOE_PARSE_OK &&
	    msg.host_uniq.value != NULL && msg.host_uniq.length <= HOST_UNIQ_MAX) {
		memcpy(r->host_uniq, msg.host_uniq.value, msg.host_uniq.length);
		r->host_uniq_len = msg.host_uniq.length;
		r->have_host_uniq = true;
	}
}

/* A discovery frame with this code from the client (any client before we know it). */
static bool is_from_client(const struct rogue *r, const uint8_t *frame, size_t len, uint8_t code)
{
	if (len < PPPOE_FRAME_HEADER_LEN || get_be16(frame + 12) != PPPOE_ETHERTYPE_DISCOVERY ||
	    frame[PPPOE_ETH_HEADER_LEN + 1] != code)
		return false;
	return !r->have_client || memcmp(frame + PPPOE_MAC_LEN, r->client_mac, PPPOE_MAC_LEN) == 0;
}

/* Wait until deadline for a discovery frame with this code from the client. */
static ssize_t wait_for_client(const struct rogue *r, int fd, uint8_t *buf, size_t capacity,
			       uint8_t code, uint64_t deadline)
{
	ssize_t got;

	while ((got = receive_until(fd, buf, capacity, deadline)) > 0 &&
	       !is_from_client(r, buf, (size_t)got, code))
		;
	return got;
}

/*
 * One flood: count frames cycling through the cases, a millisecond's worth
 * per sendmmsg -- in User-Mode Linux a system call per frame, not the
 * network, is what limits the rate.
 */
static void flood(const struct rogue *r, const struct frame *frames, unsigned long *per_case,
		  const char *phase)
{
	enum { BATCH_MAX = 64 };
	struct mmsghdr messages[BATCH_MAX];
	struct iovec vectors[BATCH_MAX];
	unsigned long batch = r->rate / 1000, sent = 0, failed = 0, next_case = 0;
	uint64_t start = now_ns();
	int last_errno = 0;

	if (batch < 1)
		batch = 1;
	if (batch > BATCH_MAX)
		batch = BATCH_MAX;
	memset(messages, 0, sizeof(messages));
	for (unsigned long i = 0; i < r->count;) {
		unsigned n = 0, done = 0;

		/* Frame i goes out no earlier than i / rate seconds after the start. */
		sleep_until_ns(start + (uint64_t)i * 1000000000u / r->rate);
		while (n < batch && i + n < r->count) {
			size_t which = next_case++ % DISCOVERY_CASE_COUNT;

			if (discovery_cases[which].needs_ac && !r->have_ac)
				continue;
			vectors[n].iov_base = (void *)frames[which].b;
			vectors[n].iov_len = frames[which].len;
			messages[n].msg_hdr.msg_iov = &vectors[n];
			messages[n].msg_hdr.msg_iovlen = 1;
			per_case[which]++;
			n++;
		}
		while (done < n) {
			int now = sendmmsg(r->send_fd, messages + done, n - done, 0);
			if (now <= 0) {
				last_errno = errno;
				failed += n - done;
				break;
			}
			done += (unsigned)now;
		}
		sent += done;
		i += n;
	}
	double seconds = (double)(now_ns() - start) / 1e9;
	printf("%s: sent %lu frames (%lu failed%s%s) in %.2f s, %.0f per second\n", phase, sent,
	       failed, failed ? ": " : "", failed ? strerror(last_errno) : "", seconds,
	       seconds > 0 ? (double)sent / seconds : 0.0);
}

/*
 * Two floods of -n frames each, every case in turn: one when the client's
 * PADI is heard (it waits for a PADO), one when its PADR is heard (it
 * waits for the PADS).  On a hub the rogue hears both.
 */
static int action_discovery(struct rogue *r)
{
	static uint8_t buf[ROGUE_FRAME_MAX];
	/* Built once the PADI is known, then sent many times. */
	static struct frame frames[DISCOVERY_CASE_COUNT];
	unsigned long per_case[DISCOVERY_CASE_COUNT] = { 0 };
	int fd = listen_socket(r, PPPOE_ETHERTYPE_DISCOVERY);
	uint64_t deadline = now_ns() + (uint64_t)r->wait_s * 1000000000u;
	int one = 1;
	char mac[18];
	ssize_t got;

	if (fd < 0) {
		fprintf(stderr, "rogue: cannot listen on %s: %s\n", r->interface, strerror(errno));
		return 1;
	}
	/* Our own flood must not crowd the client's PADR out of this socket. */
	(void)setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	printf("listening for a PADI on %s\n", r->interface);
	got = wait_for_client(r, fd, buf, sizeof(buf), PPPOE_CODE_PADI, deadline);
	if (got <= 0) {
		printf("no PADI within %lu s\n", r->wait_s);
		close(fd);
		return 1;
	}
	learn_from_padi(r, buf, (size_t)got);
	format_mac(r->client_mac, mac);
	printf("PADI from %s, Host-Uniq %zu bytes%s\n", mac, r->host_uniq_len,
	       r->have_host_uniq ? "" : " (none)");
	for (size_t i = 0; i < DISCOVERY_CASE_COUNT; i++)
		discovery_cases[i].build(&frames[i], r);
	/* -D bounds the wait; -G ends it early, polled every 10 ms. */
	for (uint64_t until = now_ns() + (uint64_t)r->delay_ms * 1000000u; now_ns() < until;) {
		if (r->go_file != NULL && access(r->go_file, F_OK) == 0)
			break;
		sleep_until_ns(now_ns() + 10000000u);
	}
	printf("flooding\n");
	flood(r, frames, per_case, "waiting for a PADO");

	got = wait_for_client(r, fd, buf, sizeof(buf), PPPOE_CODE_PADR, deadline);
	close(fd);
	if (got > 0) {
		format_mac(buf, mac);
		printf("PADR to %s\n", mac);
		flood(r, frames, per_case, "waiting for the PADS");
	} else {
		printf("no PADR within %lu s\n", r->wait_s);
	}
	for (size_t i = 0; i < DISCOVERY_CASE_COUNT; i++)
		printf("case %s: %lu\n", discovery_cases[i].name, per_case[i]);
	return got > 0 ? 0 : 1;
}

/* ---- session-phase cases ---- */

/*
 * A small IPv4/UDP packet to the discard port (9): harmless if it were ever
 * delivered, and easy to find in a capture of ppp0 ("udp port 9").
 */
static size_t marker_ipv4_udp(const struct rogue *r, uint8_t *p, size_t payload_len)
{
	size_t total = 28 + payload_len;
	uint32_t sum = 0;

	memset(p, 0, total);
	p[0] = 0x45;
	put_be16(p + 2, (uint16_t)total);
	put_be16(p + 4, 0x7777);
	p[8] = 64;
	p[9] = 17;
	inet_pton(AF_INET, "10.77.3.2", p + 12);
	memcpy(p + 16, &r->client_ipv4, 4);
	for (int i = 0; i < 20; i += 2)
		sum += get_be16(p + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	put_be16(p + 10, (uint16_t)~sum);
	put_be16(p + 20, 9);
	put_be16(p + 22, 9);
	put_be16(p + 24, (uint16_t)(8 + payload_len));
	memset(p + 28, 'R', payload_len);
	return total;
}

/* A PPP frame carrying the marker: protocol 0x0021, then the packet. */
static void session_marker(struct frame *f, const struct rogue *r, size_t payload_len)
{
	uint8_t packet[ROGUE_FRAME_MAX];
	size_t len;

	if (payload_len > sizeof(packet) - 28)
		payload_len = sizeof(packet) - 28;
	len = marker_ipv4_udp(r, packet, payload_len);
	frame_u16(f, 0x0021);
	frame_bytes(f, packet, len);
}

static void session_begin(struct frame *f, const uint8_t *dest, const uint8_t *source,
			  uint8_t version_type, uint8_t code, uint16_t session)
{
	frame_begin(f, dest, source, PPPOE_ETHERTYPE_SESSION);
	frame_pppoe(f, version_type, code, session);
}

static void sess_other_mac(struct frame *f, const struct rogue *r)
{
	session_begin(f, r->client_mac, r->own_mac, 0x11, 0, r->session_id);
	session_marker(f, r, 32);
	pppoe_length_fix(f, 0);
}

static void sess_other_id(struct frame *f, const struct rogue *r)
{
	session_begin(f, r->client_mac, r->ac_mac, 0x11, 0, (uint16_t)(r->session_id ^ 0x5a5a));
	session_marker(f, r, 32);
	pppoe_length_fix(f, 0);
}

/* Ethernet header and 3 bytes of PPPoE header, from the AC's MAC. */
static void sess_truncated(struct frame *f, const struct rogue *r)
{
	frame_begin(f, r->client_mac, r->ac_mac, PPPOE_ETHERTYPE_SESSION);
	frame_byte(f, 0x11);
	frame_byte(f, 0);
	frame_byte(f, (uint8_t)(r->session_id >> 8));
}

/* The Ethernet header, the PPPoE header and 7 bytes of an IP packet. */
static void sess_truncated_payload(struct frame *f, const struct rogue *r)
{
	session_begin(f, r->client_mac, r->ac_mac, 0x11, 0, r->session_id);
	session_marker(f, r, 32);
	pppoe_length_fix(f, 0);
	f->len = PPPOE_FRAME_HEADER_LEN + 2 + 7;
}

static void sess_length_past_frame(struct frame *f, const struct rogue *r)
{
	session_begin(f, r->client_mac, r->ac_mac, 0x11, 0, r->session_id);
	session_marker(f, r, 32);
	pppoe_length_fix(f, 100);
}

/* Shorter than the frame, which RFC 2516 allows (padding) -- but not from our AC. */
static void sess_length_short_other_mac(struct frame *f, const struct rogue *r)
{
	session_begin(f, r->client_mac, r->own_mac, 0x11, 0, r->session_id);
	session_marker(f, r, 64);
	pppoe_length_fix(f, -40);
}

static void sess_length_zero(struct frame *f, const struct rogue *r)
{
	session_begin(f, r->client_mac, r->ac_mac, 0x11, 0, r->session_id);
	session_marker(f, r, 32);
	put_be16(f->b + PPPOE_ETH_HEADER_LEN + 4, 0);
}

static void sess_bad_version(struct frame *f, const struct rogue *r)
{
	session_begin(f, r->client_mac, r->ac_mac, 0x12, 0, r->session_id);
	session_marker(f, r, 32);
	pppoe_length_fix(f, 0);
}

static void sess_bad_code(struct frame *f, const struct rogue *r)
{
	session_begin(f, r->client_mac, r->ac_mac, 0x11, PPPOE_CODE_PADO, r->session_id);
	session_marker(f, r, 32);
	pppoe_length_fix(f, 0);
}

static void sess_broadcast(struct frame *f, const struct rogue *r)
{
	session_begin(f, pppoe_broadcast_mac, r->ac_mac, 0x11, 0, r->session_id);
	session_marker(f, r, 32);
	pppoe_length_fix(f, 0);
}

/* As large as the interface carries (its MTU plus the Ethernet header). */
static size_t jumbo_marker_len(const struct rogue *r)
{
	size_t frame = r->mtu + PPPOE_ETH_HEADER_LEN;

	if (frame > ROGUE_FRAME_MAX)
		frame = ROGUE_FRAME_MAX;
	return frame - PPPOE_FRAME_HEADER_LEN - 2 - 28;
}

static void sess_jumbo_other_mac(struct frame *f, const struct rogue *r)
{
	session_begin(f, r->client_mac, r->own_mac, 0x11, 0, r->session_id);
	session_marker(f, r, jumbo_marker_len(r));
	pppoe_length_fix(f, 0);
}

static void sess_jumbo_ac(struct frame *f, const struct rogue *r)
{
	session_begin(f, r->client_mac, r->ac_mac, 0x11, 0, r->session_id);
	session_marker(f, r, jumbo_marker_len(r));
	pppoe_length_fix(f, 0);
}

/* A valid marker from the AC: the control, which must arrive on ppp0. */
static void sess_valid_from_ac(struct frame *f, const struct rogue *r)
{
	session_begin(f, r->client_mac, r->ac_mac, 0x11, 0, r->session_id);
	session_marker(f, r, 32);
	pppoe_length_fix(f, 0);
}

static void padt_other_mac(struct frame *f, const struct rogue *r)
{
	offer_begin(f, r, r->own_mac, PPPOE_CODE_PADT, r->session_id);
	frame_string_tag(f, PPPOE_TAG_GENERIC_ERROR, "rogue: spoofed PADT");
	pppoe_length_fix(f, 0);
	frame_pad(f);
}

static void padt_other_session(struct frame *f, const struct rogue *r)
{
	offer_begin(f, r, r->ac_mac, PPPOE_CODE_PADT, (uint16_t)(r->session_id ^ 0x5a5a));
	frame_string_tag(f, PPPOE_TAG_GENERIC_ERROR, "rogue: PADT for another session");
	pppoe_length_fix(f, 0);
	frame_pad(f);
}

static void padt_malformed(struct frame *f, const struct rogue *r)
{
	offer_begin(f, r, r->ac_mac, PPPOE_CODE_PADT, r->session_id);
	frame_tag(f, PPPOE_TAG_GENERIC_ERROR, 900, "x", 1);
	pppoe_length_fix(f, 0);
	frame_pad(f);
}

static void padt_from_ac(struct frame *f, const struct rogue *r)
{
	offer_begin(f, r, r->ac_mac, PPPOE_CODE_PADT, r->session_id);
	frame_string_tag(f, PPPOE_TAG_GENERIC_ERROR, "lab: the AC ends the session");
	pppoe_length_fix(f, 0);
	frame_pad(f);
}

/*
 * An LCP Configure-Ack with MRU 64 from our AC's MAC in our session.  It
 * answers no Configure-Request (pppd's first has identifier 1, answered
 * long ago), and pppd ignores it; so must a client that learns the MRU
 * from LCP.
 */
static void lcp_ack_mru64(struct frame *f, const struct rogue *r)
{
	static const uint8_t lcp[] = {
		0xc0, 0x21,                      /* LCP */
		2, 1, 0, 8,                      /* Configure-Ack, identifier 1, length 8 */
		1, 4, 0, 64,                     /* MRU 64 */
	};

	session_begin(f, r->client_mac, r->ac_mac, 0x11, 0, r->session_id);
	frame_bytes(f, lcp, sizeof(lcp));
	pppoe_length_fix(f, 0);
	frame_pad(f);
}

static void padm_from_ac(struct frame *f, const struct rogue *r)
{
	offer_begin(f, r, r->ac_mac, PPPOE_CODE_PADM, r->session_id);
	frame_string_tag(f, PPPOE_TAG_MOTM, "rogue: PADM flood");
	pppoe_length_fix(f, 0);
	frame_pad(f);
}

/* RFC 4937: destination 10.99.0.0/16 via 0.0.0.0, metric 1. */
static void padn_from_ac(struct frame *f, const struct rogue *r)
{
	static const uint8_t route[] = { 10, 99, 0, 0, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };

	offer_begin(f, r, r->ac_mac, PPPOE_CODE_PADN, r->session_id);
	frame_tag_ok(f, PPPOE_TAG_IP_ROUTE_ADD, route, sizeof(route));
	pppoe_length_fix(f, 0);
	frame_pad(f);
}

struct session_case {
	const char *name;
	void (*build)(struct frame *f, const struct rogue *r);
	bool jumbo;
	const char *client_must;
};

static const struct session_case session_cases[] = {
	{ "padt-other-mac", padt_other_mac, false,
	  "ignore it: PADT for our session from a MAC that is not our AC" },
	{ "padt-other-session", padt_other_session, false,
	  "ignore it: PADT from our AC's MAC for another session id" },
	{ "padt-malformed", padt_malformed, false,
	  "ignore it: PADT from our AC's MAC, our session, a tag running past the frame" },
	{ "sess-other-mac", sess_other_mac, false,
	  "drop it (our session id from a MAC that is not our AC)" },
	{ "sess-other-id", sess_other_id, false, "drop it (another session id)" },
	{ "sess-truncated", sess_truncated, false, "drop it (17 bytes: no PPPoE header)" },
	{ "sess-truncated-payload", sess_truncated_payload, false,
	  "drop it (PPPoE length 62, 9 bytes follow)" },
	{ "sess-length-past-frame", sess_length_past_frame, false,
	  "drop it (PPPoE length 100 bytes past the frame)" },
	{ "sess-length-short-other-mac", sess_length_short_other_mac, false,
	  "drop it (PPPoE length 40 bytes short of the frame, not from our AC)" },
	{ "sess-length-zero", sess_length_zero, false, "drop it (PPPoE length 0)" },
	{ "sess-bad-version", sess_bad_version, false, "drop it (version/type 1/2)" },
	{ "sess-bad-code", sess_bad_code, false, "drop it (code PADO on the session ethertype)" },
	{ "sess-broadcast", sess_broadcast, false, "drop it (our session, sent to broadcast)" },
	{ "sess-jumbo-other-mac", sess_jumbo_other_mac, true,
	  "drop it (a jumbo frame, our session id, not from our AC)" },
	{ "sess-jumbo-ac", sess_jumbo_ac, true,
	  "never pass a frame larger than the link's MRU to pppd (from our AC's MAC)" },
	{ "sess-valid-from-ac", sess_valid_from_ac, false,
	  "relay it (the control: a valid frame from our AC)" },
	{ "lcp-ack-mru64", lcp_ack_mru64, false,
	  "keep its clamp: an LCP Configure-Ack (MRU 64) from our AC's MAC that answers no request" },
	{ "padm-from-ac", padm_from_ac, false,
	  "log a few, not a line each: PADMs from our AC's MAC for our session" },
	{ "padn-from-ac", padn_from_ac, false,
	  "log a few, not a line each: PADNs from our AC's MAC for our session" },
	{ "padt-from-ac", padt_from_ac, false, "end the session: PADT from our AC for our session" },
};

#define SESSION_CASE_COUNT (sizeof(session_cases) / sizeof(session_cases[0]))

static int action_session(struct rogue *r, const char *name)
{
	static struct frame f;
	const struct session_case *c = NULL;
	struct pacer pacer;

	for (size_t i = 0; i < SESSION_CASE_COUNT; i++)
		if (strcmp(session_cases[i].name, name) == 0)
			c = &session_cases[i];
	if (c == NULL) {
		fprintf(stderr, "rogue: no session case '%s' (rogue cases lists them)\n", name);
		return 2;
	}
	if (!r->have_client || !r->have_ac || !r->have_session) {
		fprintf(stderr, "rogue: session cases need -c, -a and -S\n");
		return 2;
	}
	if (c->jumbo && r->mtu <= 1500) {
		printf("skip %s: %s has MTU %u, no room for a jumbo frame\n", name, r->interface, r->mtu);
		return 77;
	}
	c->build(&f, r);
	pacer_start(&pacer, r->rate);
	for (unsigned long i = 0; i < r->count; i++)
		pacer_send(&pacer, r, i, f.b, f.len);
	printf("sent %s: %lu frames of %zu bytes (%lu failed%s%s)\n", name, pacer.sent, f.len,
	       pacer.failed, pacer.failed ? ": " : "", pacer.failed ? strerror(pacer.last_errno) : "");
	return pacer.failed == 0 ? 0 : 1;
}

static int action_sniff(struct rogue *r)
{
	static uint8_t buf[ROGUE_FRAME_MAX];
	int fd = listen_socket(r, PPPOE_ETHERTYPE_SESSION);
	uint64_t deadline = now_ns() + (uint64_t)r->wait_s * 1000000000u;
	ssize_t got;

	if (fd < 0 || !r->have_client) {
		fprintf(stderr, "rogue: sniff needs -c and a packet socket\n");
		return 2;
	}
	/* Frames from the client to its AC: the destination is the AC. */
	while ((got = receive_until(fd, buf, sizeof(buf), deadline)) > 0) {
		char mac[18];

		if ((size_t)got < PPPOE_FRAME_HEADER_LEN ||
		    memcmp(buf + PPPOE_MAC_LEN, r->client_mac, PPPOE_MAC_LEN) != 0 ||
		    buf[PPPOE_ETH_HEADER_LEN] != 0x11 || buf[PPPOE_ETH_HEADER_LEN + 1] != 0)
			continue;
		format_mac(buf, mac);
		printf("session %u ac %s\n", get_be16(buf + PPPOE_ETH_HEADER_LEN + 2), mac);
		close(fd);
		return 0;
	}
	close(fd);
	printf("no session frame from the client within %lu s\n", r->wait_s);
	return 1;
}

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

/* ---- TCP SYNs through the session ---- */

enum syn_expect {
	SYN_MUST_CLAMP,   /* well-formed: every MSS above the limit lowered to it */
	SYN_MUST_PASS,    /* nothing in it is an MSS option a receiver would read */
	SYN_EITHER,       /* malformed: untouched, or clamped exactly as if it were not */
};

struct syn_case {
	const char *name;
	int family;                   /* 4 or 6 */
	uint8_t tcp_options[40];
	size_t tcp_options_len;
	uint8_t mss_at[4];            /* offsets of MSS values within tcp_options */
	size_t mss_count;
	uint8_t ip_options[4];        /* IPv4 only: a 24-byte header when set */
	bool ip_options_set;
	bool hop_by_hop;              /* IPv6 only: an 8-byte Hop-by-Hop header first */
	int data_offset_words;        /* 0: from the options */
	uint8_t flags;                /* TCP flags */
	bool more_fragments;
	int ip_length_lie;            /* added to the IP length field */
	bool bad_checksum;
	enum syn_expect expect;
};

#define SYN 0x02
#define SYN_ACK 0x12
#define MSS1460 2, 4, 0x05, 0xb4
#define MSS1440 2, 4, 0x05, 0xa0

static const struct syn_case syn_cases[] = {
	{ "mss 1460 at an even offset", 4, { MSS1460, 1, 1, 4, 2 }, 8, { 2 }, 1,
	  .flags = SYN, .expect = SYN_MUST_CLAMP },
	{ "mss 1460 at an odd offset", 4, { 1, MSS1460, 1, 1, 1 }, 8, { 3 }, 1,
	  .flags = SYN, .expect = SYN_MUST_CLAMP },
	{ "mss after 35 NOPs (offset 55)", 4,
	  { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	    1, 1, 1, 1, 1, 1, 1, MSS1460, 0 }, 40, { 37 }, 1, .flags = SYN,
	  .expect = SYN_MUST_CLAMP },
	{ "two mss options (1460, 9000)", 4, { MSS1460, 2, 4, 0x23, 0x28 }, 8, { 2, 6 }, 2,
	  .flags = SYN, .expect = SYN_MUST_CLAMP },
	{ "SYN-ACK, mss 1460 at an odd offset", 4, { 1, MSS1460, 1, 1, 1 }, 8, { 3 }, 1,
	  .flags = SYN_ACK, .expect = SYN_MUST_CLAMP },
	{ "IPv4 options, mss at an odd offset", 4, { 1, MSS1460, 1, 1, 1 }, 8, { 3 }, 1,
	  .ip_options = { 1, 1, 1, 0 }, .ip_options_set = true, .flags = SYN,
	  .expect = SYN_MUST_CLAMP },
	{ "mss 1400, below the limit", 4, { 2, 4, 0x05, 0x78 }, 4, { 2 }, 1, .flags = SYN,
	  .expect = SYN_MUST_CLAMP },
	{ "no mss option", 4, { 1, 1, 4, 2 }, 4, { 0 }, 0, .flags = SYN, .expect = SYN_MUST_PASS },
	{ "mss option of length 3", 4, { 2, 3, 0x05, 0xb4, 1, 1, 1, 1 }, 8, { 0 }, 0,
	  .flags = SYN, .expect = SYN_MUST_PASS },
	{ "mss option of length 5", 4, { 2, 5, 0x05, 0xb4, 0, 1, 1, 1 }, 8, { 0 }, 0,
	  .flags = SYN, .expect = SYN_MUST_PASS },
	{ "option of length 0 before the mss", 4, { 8, 0, MSS1460, 1, 1 }, 8, { 4 }, 1,
	  .flags = SYN, .expect = SYN_EITHER },
	{ "option running past the header after the mss", 4, { MSS1460, 8, 10, 0, 0 }, 8, { 2 },
	  1, .flags = SYN, .expect = SYN_EITHER },
	{ "mss option itself running past the header", 4, { 1, 1, 1, 1, 1, 1, 2, 4 }, 8, { 0 }, 0,
	  .flags = SYN, .expect = SYN_MUST_PASS },
	{ "a lone option kind in the last byte", 4, { MSS1460, 1, 1, 1, 2 }, 8, { 2 }, 1,
	  .flags = SYN, .expect = SYN_EITHER },
	{ "mss after End of List", 4, { 0, 0, 0, 0, MSS1460 }, 8, { 0 }, 0, .flags = SYN,
	  .expect = SYN_MUST_PASS },
	{ "data offset past the IP payload", 4, { MSS1460 }, 4, { 2 }, 1,
	  .data_offset_words = 15, .flags = SYN, .expect = SYN_EITHER },
	{ "data offset below 5 words", 4, { MSS1460 }, 4, { 0 }, 0, .data_offset_words = 4,
	  .flags = SYN, .expect = SYN_MUST_PASS },
	{ "IP length 20 bytes past the frame", 4, { MSS1460 }, 4, { 2 }, 1, .flags = SYN,
	  .ip_length_lie = 20, .expect = SYN_EITHER },
	{ "IP length cutting the mss option off", 4, { 1, 1, 1, 1, MSS1460 }, 8, { 0 }, 0,
	  .flags = SYN, .ip_length_lie = -4, .expect = SYN_MUST_PASS },
	{ "bad TCP checksum, mss 1460", 4, { MSS1460 }, 4, { 2 }, 1, .flags = SYN,
	  .bad_checksum = true, .expect = SYN_EITHER },
	{ "first fragment (MF) with mss 1460", 4, { MSS1460 }, 4, { 2 }, 1, .flags = SYN,
	  .more_fragments = true, .expect = SYN_EITHER },
	{ "IPv6, mss 1440 at an odd offset", 6, { 1, MSS1440, 1, 1, 1 }, 8, { 3 }, 1,
	  .flags = SYN, .expect = SYN_MUST_CLAMP },
	{ "IPv6, Hop-by-Hop header, then mss 1440", 6, { MSS1440, 1, 1, 4, 2 }, 8, { 2 }, 1,
	  .hop_by_hop = true, .flags = SYN, .expect = SYN_MUST_CLAMP },
	{ "IPv6, option of length 1 before the mss", 6, { 8, 1, MSS1440, 1, 1 }, 8, { 4 }, 1,
	  .flags = SYN, .expect = SYN_EITHER },
};

#define SYN_CASE_COUNT (sizeof(syn_cases) / sizeof(syn_cases[0]))
#define SYN_SOURCE_PORT_BASE 30000
#define SYN_IPV4_ID_BASE 0x5200

static uint32_t checksum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += get_be16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t checksum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * The TCP checksum over the pseudo-header and the segment as the IP header
 * bounds it (tcp_len bytes); 0 when it verifies.
 */
static uint16_t tcp_checksum(int family, const uint8_t *ip, const uint8_t *tcp, size_t tcp_len)
{
	uint32_t sum = 0;

	if (family == 4) {
		sum = checksum_add(sum, ip + 12, 8);
		sum += 6 + (uint32_t)tcp_len;
	} else {
		sum = checksum_add(sum, ip + 8, 32);
		sum += (uint32_t)(tcp_len >> 16) + (uint32_t)(tcp_len & 0xffff) + 6;
	}
	return checksum_fold(checksum_add(sum, tcp, tcp_len));
}

/*
 * Build SYN case i as an IP packet; returns its length and where its TCP
 * header starts.  The checksum covers what the IP length says; a lie in the
 * IP length makes it cover less, or nothing sensible.
 */
static size_t syn_build(const struct rogue *r, size_t i, uint8_t *p, size_t *tcp_at)
{
	const struct syn_case *c = &syn_cases[i];
	size_t ip_header = c->family == 4 ? (c->ip_options_set ? 24 : 20) : 40;
	size_t hbh = c->hop_by_hop ? 8 : 0;
	size_t tcp_len = 20 + c->tcp_options_len;
	size_t total = ip_header + hbh + tcp_len;
	size_t checked_len = tcp_len;
	uint8_t *tcp = p + ip_header + hbh;
	int words = c->data_offset_words ? c->data_offset_words : (int)(tcp_len / 4);
	uint16_t sport = (uint16_t)(SYN_SOURCE_PORT_BASE + i);

	memset(p, 0, total);
	if (c->family == 4) {
		long ip_len = (long)total + c->ip_length_lie;
		p[0] = (uint8_t)(0x40 | ip_header / 4);
		put_be16(p + 2, (uint16_t)ip_len);
		put_be16(p + 4, (uint16_t)(SYN_IPV4_ID_BASE + i));
		if (c->more_fragments)
			p[6] = 0x20;
		p[8] = 64;
		p[9] = 6;
		inet_pton(AF_INET, "10.77.3.2", p + 12);
		memcpy(p + 16, &r->client_ipv4, 4);
		if (c->ip_options_set)
			memcpy(p + 20, c->ip_options, 4);
		put_be16(p + 10, checksum_fold(checksum_add(0, p, ip_header)));
		if (c->ip_length_lie < 0)
			checked_len = tcp_len + (size_t)c->ip_length_lie;
	} else {
		long payload = (long)(hbh + tcp_len) + c->ip_length_lie;
		p[0] = 0x60;
		p[3] = (uint8_t)i; /* the flow label tells the cases apart */
		put_be16(p + 4, (uint16_t)payload);
		p[6] = c->hop_by_hop ? 0 : 6;
		p[7] = 64;
		inet_pton(AF_INET6, "fe80::1", p + 8);
		inet_pton(AF_INET6, "fe80::2", p + 24);
		if (c->hop_by_hop) {
			/* Next header TCP, 8 bytes, one PadN option of 4 bytes of padding. */
			uint8_t ext[8] = { 6, 0, 1, 4, 0, 0, 0, 0 };
			memcpy(p + 40, ext, sizeof(ext));
		}
	}
	put_be16(tcp, sport);
	put_be16(tcp + 2, 9);
	put_be16(tcp + 4, 0x1000);
	put_be16(tcp + 6, (uint16_t)i);
	tcp[12] = (uint8_t)(words << 4);
	tcp[13] = c->flags;
	put_be16(tcp + 14, 64240);
	memcpy(tcp + 20, c->tcp_options, c->tcp_options_len);
	put_be16(tcp + 16, tcp_checksum(c->family, p, tcp, checked_len));
	if (c->bad_checksum)
		put_be16(tcp + 16, (uint16_t)(get_be16(tcp + 16) ^ 0x0f0f));
	*tcp_at = ip_header + hbh;
	return total;
}

static int action_syn(struct rogue *r)
{
	static struct frame f;
	pcap_t *dead = NULL;
	pcap_dumper_t *dumper = NULL;
	unsigned long failed = 0;

	if (!r->have_client || !r->have_ac || !r->have_session || r->client_ipv4.s_addr == 0) {
		fprintf(stderr, "rogue: syn needs -c, -a, -S and -t\n");
		return 2;
	}
	if (r->pcap_out != NULL) {
		dead = pcap_open_dead(DLT_RAW, 65535);
		dumper = dead ? pcap_dump_open(dead, r->pcap_out) : NULL;
		if (dumper == NULL) {
			fprintf(stderr, "rogue: cannot write %s\n", r->pcap_out);
			return 1;
		}
	}
	for (size_t i = 0; i < SYN_CASE_COUNT; i++) {
		uint8_t packet[128];
		size_t tcp_at, len = syn_build(r, i, packet, &tcp_at);
		struct pcap_pkthdr header = { .caplen = (bpf_u_int32)len, .len = (bpf_u_int32)len };

		session_begin(&f, r->client_mac, r->ac_mac, 0x11, 0, r->session_id);
		frame_u16(&f, syn_cases[i].family == 4 ? 0x0021 : 0x0057);
		frame_bytes(&f, packet, len);
		pppoe_length_fix(&f, 0);
		frame_pad(&f);
		if (send(r->send_fd, f.b, f.len, 0) != (ssize_t)f.len) {
			failed++;
			printf("cannot send '%s': %s\n", syn_cases[i].name, strerror(errno));
			continue;
		}
		if (dumper != NULL) {
			gettimeofday(&header.ts, NULL);
			pcap_dump((u_char *)dumper, &header, packet);
		}
		/* Spaced out: the client's kernel answers each with a RST. */
		sleep_until_ns(now_ns() + 20000000u);
	}
	if (dumper != NULL) {
		pcap_dump_close(dumper);
		pcap_close(dead);
	}
	printf("sent %zu TCP SYN cases (%lu failed)\n", SYN_CASE_COUNT - failed, failed);
	return failed == 0 ? 0 : 1;
}

/* ---- verify: what arrived on ppp0 against what was sent ---- */

struct packet {
	uint8_t data[256];
	size_t len;
};

/* The IP packet of a captured record, whatever the capture's link type. */
static bool capture_ip(int linktype, const uint8_t *data, size_t len, struct packet *out)
{
	size_t skip;

	switch (linktype) {
	case DLT_LINUX_SLL:
		skip = 16;
		break;
	case DLT_LINUX_SLL2:
		skip = 20;
		break;
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		skip = 0;
		break;
	case DLT_PPP:
		/* Address, control and protocol. */
		skip = 4;
		break;
	default:
		return false;
	}
	if (len < skip || len - skip > sizeof(out->data))
		return false;
	memcpy(out->data, data + skip, len - skip);
	out->len = len - skip;
	return true;
}

/* Which case a packet is: by the TCP source port the rogue gave it. */
static long syn_case_of(const struct packet *p)
{
	size_t tcp_at;
	uint16_t sport;

	if (p->len >= 20 && p->data[0] >> 4 == 4) {
		tcp_at = (size_t)(p->data[0] & 0x0f) * 4;
		if (p->data[9] != 6 || get_be16(p->data + 4) < SYN_IPV4_ID_BASE)
			return -1;
	} else if (p->len >= 40 && p->data[0] >> 4 == 6) {
		tcp_at = p->data[6] == 0 ? 48 : 40;
	} else {
		return -1;
	}
	if (tcp_at + 20 > p->len)
		return -1;
	sport = get_be16(p->data + tcp_at);
	if (sport < SYN_SOURCE_PORT_BASE || sport >= SYN_SOURCE_PORT_BASE + SYN_CASE_COUNT)
		return -1;
	/* Not the client's own RST back: that one comes from port 9. */
	if (get_be16(p->data + tcp_at + 2) != 9)
		return -1;
	return sport - SYN_SOURCE_PORT_BASE;
}

static bool read_packets(const char *path, struct packet *by_case, bool *seen)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *pcap = pcap_open_offline(path, errbuf);
	struct pcap_pkthdr *header;
	const uint8_t *data;
	int linktype;

	if (pcap == NULL) {
		fprintf(stderr, "rogue: %s\n", errbuf);
		return false;
	}
	linktype = pcap_datalink(pcap);
	while (pcap_next_ex(pcap, &header, &data) == 1) {
		struct packet p;
		long which;

		if (!capture_ip(linktype, data, header->caplen, &p))
			continue;
		which = syn_case_of(&p);
		if (which >= 0 && !seen[which]) {
			by_case[which] = p;
			seen[which] = true;
		}
	}
	pcap_close(pcap);
	return true;
}

/*
 * What a correct clamp makes of a sent packet: each MSS value the case
 * names lowered to the limit, and the TCP checksum adjusted by the same
 * difference (RFC 1624 eqn. 3), so that a segment that was right stays
 * right and one that was wrong stays exactly as wrong.
 */
static void syn_clamped(const struct syn_case *c, const struct packet *sent, size_t tcp_at,
			unsigned limit, struct packet *out)
{
	uint32_t sum;

	*out = *sent;
	sum = (uint16_t)~get_be16(out->data + tcp_at + 16);
	for (size_t m = 0; m < c->mss_count; m++) {
		size_t at = tcp_at + 20 + c->mss_at[m];
		uint16_t mss = get_be16(out->data + at);

		if (at + 2 > out->len || mss <= limit)
			continue;
		put_be16(out->data + at, (uint16_t)limit);
		/* The value's two bytes, as the checksum's 16-bit words see them. */
		if ((at - tcp_at) & 1) {
			sum += (uint16_t)~(uint16_t)(mss << 8 | mss >> 8);
			sum += (uint16_t)(limit << 8 | limit >> 8);
		} else {
			sum += (uint16_t)~mss;
			sum += limit;
		}
	}
	put_be16(out->data + tcp_at + 16, checksum_fold(sum));
}

static bool same_packet(const struct packet *a, const struct packet *b)
{
	return a->len == b->len && memcmp(a->data, b->data, a->len) == 0;
}

static int action_verify(struct rogue *r, const char *sent_path, const char *capture_path)
{
	static struct packet sent[SYN_CASE_COUNT], got[SYN_CASE_COUNT];
	bool sent_seen[SYN_CASE_COUNT] = { false }, got_seen[SYN_CASE_COUNT] = { false };
	int failures = 0;

	if (!read_packets(sent_path, sent, sent_seen) || !read_packets(capture_path, got, got_seen))
		return 1;
	for (size_t i = 0; i < SYN_CASE_COUNT; i++) {
		const struct syn_case *c = &syn_cases[i];
		unsigned limit = c->family == 4 ? r->limit_ipv4 : r->limit_ipv6;
		struct packet clamped;
		size_t tcp_at;
		bool untouched, clamped_ok, changed, valid_before;
		const char *verdict;

		if (!sent_seen[i]) {
			printf("FAIL %s: not in %s (never sent)\n", c->name, sent_path);
			failures++;
			continue;
		}
		if (!got_seen[i]) {
			printf("FAIL %s: never arrived on the client's ppp0\n", c->name);
			failures++;
			continue;
		}
		tcp_at = c->family == 4 ? (c->ip_options_set ? 24 : 20) : (c->hop_by_hop ? 48 : 40);
		syn_clamped(c, &sent[i], tcp_at, limit, &clamped);
		changed = !same_packet(&clamped, &sent[i]);
		untouched = same_packet(&got[i], &sent[i]);
		clamped_ok = same_packet(&got[i], &clamped);
		valid_before = !c->bad_checksum && c->ip_length_lie == 0 && !c->more_fragments &&
			       tcp_checksum(c->family, sent[i].data, sent[i].data + tcp_at,
					    sent[i].len - tcp_at) == 0;

		switch (c->expect) {
		case SYN_MUST_CLAMP:
			verdict = clamped_ok ? (changed ? "clamped" : "untouched (within the limit)")
					     : NULL;
			break;
		case SYN_MUST_PASS:
			verdict = untouched ? "untouched" : NULL;
			break;
		default:
			verdict = untouched ? "untouched" : clamped_ok ? "clamped" : NULL;
			break;
		}
		if (verdict == NULL) {
			printf("FAIL %s: arrived changed, and not as a correct clamp to %u would change it "
			       "(%zu bytes sent, %zu arrived)\n", c->name, limit, sent[i].len, got[i].len);
			failures++;
			continue;
		}
		/* A full recomputation, independent of how the clamp patched it. */
		if (valid_before &&
		    tcp_checksum(c->family, got[i].data, got[i].data + tcp_at, got[i].len - tcp_at) != 0) {
			printf("FAIL %s: %s, but its TCP checksum no longer verifies\n", c->name, verdict);
			failures++;
			continue;
		}
		printf("PASS %s: %s%s\n", c->name, verdict,
		       valid_before ? ", checksum verifies" :
		       c->bad_checksum ? ", checksum still as wrong as sent" : "");
	}
	return failures == 0 ? 0 : 1;
}

static void list_cases(void)
{
	for (size_t i = 0; i < DISCOVERY_CASE_COUNT; i++)
		printf("discovery %s: %s\n", discovery_cases[i].name, discovery_cases[i].client_must);
	for (size_t i = 0; i < SESSION_CASE_COUNT; i++)
		printf("session %s: %s\n", session_cases[i].name, session_cases[i].client_must);
	for (size_t i = 0; i < SYN_CASE_COUNT; i++)
		printf("syn %s: %s\n", syn_cases[i].name,
		       syn_cases[i].expect == SYN_MUST_CLAMP ? "lower every MSS above the limit, nothing else" :
		       syn_cases[i].expect == SYN_MUST_PASS ? "relay it untouched" :
							       "relay it untouched or clamp it correctly");
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
