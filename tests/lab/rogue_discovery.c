// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/lab/rogue discovery: replies to the client's PADI and PADR that
 * must not win it, flooded while it waits for a PADO and for the PADS.
 */
#include <errno.h>
#include <linux/if_packet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "byte_order.h"
#include "rogue.h"

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

void discovery_cases_print(void)
{
	for (size_t i = 0; i < DISCOVERY_CASE_COUNT; i++)
		printf("discovery %s: %s\n", discovery_cases[i].name, discovery_cases[i].client_must);
}

/* ---- hearing the client, and the floods ---- */

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
int action_discovery(struct rogue *r)
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
