/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tests for the session's watch in src/discovery_io.c, on a veth pair in a
 * network namespace of each test's own (root): the other end, playing the
 * access concentrator -- or anyone posing as it -- floods the client's
 * discovery socket, and every log line is counted.  A flood of PADMs, PADNs
 * or frames to ignore costs a few lines and a count, never a line per
 * frame; the AC's PADT still ends the session.
 */
#include <check.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "discovery.h"
#include "discovery_io.h"
#include "log.h"
#include "packet_socket.h"
#include "pppoe.h"
#include "veth_bench.h"

#define CLIENT_IF "pmd0"
#define AC_IF "pmd1"
#define SESSION_ID 0x2345
#define FLOOD 1000
/* The most lines a flood may cost: the AC's messages allowed a minute, and a word or two more. */
#define FLOOD_LINES_MAX 6

static const uint8_t stranger_mac[PPPOE_MAC_LEN] = { 0x02, 0x66, 0x66, 0x66, 0x66, 0x66 };

/* What the client logged: every line counted, the first 64 kept. */
static unsigned lines_logged;
static char lines[64][512];

static void counting_log(enum log_level level, const char *message)
{
	(void)level;
	if (lines_logged < sizeof(lines) / sizeof(lines[0]))
		snprintf(lines[lines_logged], sizeof(lines[0]), "%s", message);
	lines_logged++;
}

/* Lines among the first 64 that contain text. */
static unsigned lines_with(const char *text)
{
	unsigned count = 0;

	for (unsigned i = 0; i < lines_logged && i < sizeof(lines) / sizeof(lines[0]); i++)
		if (strstr(lines[i], text) != NULL)
			count++;
	return count;
}

static bool logged(const char *text)
{
	return lines_with(text) > 0;
}

struct bench {
	struct veth_bench veth;
	struct discovery disc;
	struct discovery_log log;
	int fd;  /* the client's discovery socket */
};

static void bench_setup(struct bench *b)
{
	struct discovery_config config;
	char error[256];

	veth_bench_setup(&b->veth, CLIENT_IF, AC_IF);
	b->fd = packet_socket_open(&b->veth.client, PPPOE_ETHERTYPE_DISCOVERY, error, sizeof(error));
	ck_assert_msg(b->fd >= 0, "%s", error);
	discovery_config_defaults(&config);
	memcpy(config.our_mac, b->veth.client.mac, PPPOE_MAC_LEN);
	discovery_init(&b->disc, &config);
	discovery_resume_session(&b->disc, SESSION_ID, b->veth.ac.mac);
	discovery_log_init(&b->log, &b->disc);
	log_set_sink(counting_log);
	log_set_debug(1);
	lines_logged = 0;
}

/* A discovery frame to the client from source, with one text tag unless tag is 0. */
static size_t build_frame(const struct bench *b, const uint8_t *source, uint8_t code,
			  uint16_t session_id, uint16_t tag, const char *text, uint8_t *buf,
			  size_t capacity)
{
	struct pppoe_builder builder;
	size_t len;

	pppoe_builder_begin(&builder, buf, capacity, b->veth.client.mac, source,
			    PPPOE_ETHERTYPE_DISCOVERY, code, session_id);
	if (tag != 0)
		pppoe_builder_add_tag(&builder, tag, text, strlen(text));
	len = pppoe_builder_finish(&builder);
	ck_assert_uint_gt(len, 0);
	return len;
}

/* What waits on the client's socket, read as the relay loop does on POLLIN; true at a PADT. */
static bool watch(struct bench *b)
{
	struct pollfd pfd = { .fd = b->fd, .events = POLLIN };

	while (poll(&pfd, 1, 50) > 0)
		if (discovery_io_watch_session(&b->disc, &b->log, b->fd, NULL))
			return true;
	return false;
}

/* count copies of frame, read as they come (in batches the socket can hold). */
static bool flood(struct bench *b, const uint8_t *frame, size_t len, unsigned count)
{
	for (unsigned i = 0; i < count; i++) {
		veth_bench_send(&b->veth, frame, len);
		if (i % 32 == 31 && watch(b))
			return true;
	}
	return watch(b);
}

START_TEST(padm_flood_costs_a_few_lines)
{
	struct bench b;
	uint8_t frame[PPPOE_DISCOVERY_FRAME_MAX];
	size_t len;

	bench_setup(&b);
	len = build_frame(&b, b.veth.ac.mac, PPPOE_CODE_PADM, SESSION_ID, PPPOE_TAG_MOTM,
			  "flood", frame, sizeof(frame));
	ck_assert(!flood(&b, frame, len, FLOOD));
	ck_assert_msg(lines_logged <= FLOOD_LINES_MAX, "%u lines for %d PADMs", lines_logged, FLOOD);
	ck_assert_uint_ge(lines_with("message from the access concentrator: flood"), 1);
	ck_assert_uint_eq(b.log.messages_seen, FLOOD);

	/* The count, with the session's counters. */
	lines_logged = 0;
	discovery_log_counters(&b.log, &b.disc);
	ck_assert_uint_eq(lines_logged, 1);
	ck_assert_msg(strstr(lines[0], "1000 messages from the access concentrator (PADM, PADN) "
				       "during the session, 996 of them not logged") != NULL,
		      "%s", lines[0]);
}
END_TEST

START_TEST(padn_flood_costs_a_few_lines)
{
	struct bench b;
	uint8_t frame[PPPOE_DISCOVERY_FRAME_MAX];
	size_t len;

	bench_setup(&b);
	len = build_frame(&b, b.veth.ac.mac, PPPOE_CODE_PADN, SESSION_ID, PPPOE_TAG_IP_ROUTE_ADD,
			  "0123456789abcdef0123", frame, sizeof(frame));
	ck_assert(!flood(&b, frame, len, FLOOD));
	ck_assert_msg(lines_logged <= FLOOD_LINES_MAX, "%u lines for %d PADNs", lines_logged, FLOOD);
	ck_assert_uint_ge(lines_with("PADN from the access concentrator"), 1);
	ck_assert_uint_eq(b.log.messages_seen, FLOOD);
}
END_TEST

/* Both tags of one PADM: two lines, one message. */
START_TEST(padm_text_and_url)
{
	struct bench b;
	uint8_t frame[PPPOE_DISCOVERY_FRAME_MAX];
	struct pppoe_builder builder;
	size_t len;

	bench_setup(&b);
	pppoe_builder_begin(&builder, frame, sizeof(frame), b.veth.client.mac, b.veth.ac.mac,
			    PPPOE_ETHERTYPE_DISCOVERY, PPPOE_CODE_PADM, SESSION_ID);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_MOTM, "maintenance at 02:00", 20);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_HURL, "http://isp.example/", 19);
	len = pppoe_builder_finish(&builder);
	ck_assert(!flood(&b, frame, len, 1));
	ck_assert_uint_eq(lines_logged, 2);
	ck_assert(logged("message from the access concentrator: maintenance at 02:00"));
	ck_assert(logged("the access concentrator points to http://isp.example/"));
	ck_assert_uint_eq(b.log.messages_seen, 1);
}
END_TEST

/* Debug lines too: PADTs and PADMs from strangers or for other sessions, junk. */
START_TEST(ignored_flood_costs_a_few_lines)
{
	struct bench b;
	uint8_t frame[PPPOE_DISCOVERY_FRAME_MAX];
	size_t len;

	bench_setup(&b);
	len = build_frame(&b, stranger_mac, PPPOE_CODE_PADT, SESSION_ID, 0, NULL, frame,
			  sizeof(frame));
	ck_assert(!flood(&b, frame, len, FLOOD));
	len = build_frame(&b, b.veth.ac.mac, PPPOE_CODE_PADM, SESSION_ID ^ 1, PPPOE_TAG_MOTM,
			  "not yours", frame, sizeof(frame));
	ck_assert(!flood(&b, frame, len, FLOOD));
	/* A tag running past the PPPoE payload. */
	len = build_frame(&b, b.veth.ac.mac, PPPOE_CODE_PADT, SESSION_ID, PPPOE_TAG_GENERIC_ERROR,
			  "x", frame, sizeof(frame));
	frame[PPPOE_FRAME_HEADER_LEN + 3] = 200;
	ck_assert(!flood(&b, frame, len, FLOOD));
	ck_assert_msg(lines_logged <= 10, "%u lines for %d ignored frames", lines_logged, 3 * FLOOD);
	ck_assert_uint_ge(lines_with("ignored a discovery frame during the session"), 1);
	ck_assert_uint_eq(b.log.messages_seen, 0);

	lines_logged = 0;
	discovery_log_counters(&b.log, &b.disc);
	ck_assert_uint_eq(lines_logged, 3);
	ck_assert(logged("ignored 1000 discovery frames during the session: not from the chosen "
			 "access concentrator"));
	ck_assert(logged("ignored 1000 discovery frames during the session: for another session"));
	ck_assert(logged("ignored 1000 discovery frames during the session: malformed discovery "
			 "frame"));
}
END_TEST

/* Counts begin with the watch's log: what discovery ignored is not the session's. */
START_TEST(counters_begin_with_the_session)
{
	struct bench b;

	bench_setup(&b);
	b.disc.counters.ignored[DISCOVERY_IGNORE_NOT_TO_US] = 5;
	discovery_log_init(&b.log, &b.disc);
	discovery_log_counters(&b.log, &b.disc);
	ck_assert_uint_eq(lines_logged, 0);
	b.disc.counters.ignored[DISCOVERY_IGNORE_NOT_TO_US] = 7;
	discovery_log_counters(&b.log, &b.disc);
	ck_assert(logged("ignored 2 discovery frames during the session: addressed to another host"));
}
END_TEST

START_TEST(padt_after_a_flood_ends_the_session)
{
	struct bench b;
	uint8_t frame[PPPOE_DISCOVERY_FRAME_MAX];
	size_t len;

	bench_setup(&b);
	len = build_frame(&b, b.veth.ac.mac, PPPOE_CODE_PADM, SESSION_ID, PPPOE_TAG_MOTM, "flood",
			  frame, sizeof(frame));
	ck_assert(!flood(&b, frame, len, FLOOD));
	len = build_frame(&b, b.veth.ac.mac, PPPOE_CODE_PADT, SESSION_ID, PPPOE_TAG_GENERIC_ERROR,
			  "bye", frame, sizeof(frame));
	ck_assert(flood(&b, frame, len, 1));
	ck_assert(logged("the access concentrator ended session 9029 (PADT: bye)"));
	ck_assert_int_eq(b.disc.state, DISCOVERY_DONE);
}
END_TEST

static Suite *discovery_io_suite(void)
{
	Suite *suite = suite_create("discovery_io");
	TCase *tc = tcase_create("session_watch");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, padm_flood_costs_a_few_lines);
	tcase_add_test(tc, padn_flood_costs_a_few_lines);
	tcase_add_test(tc, padm_text_and_url);
	tcase_add_test(tc, ignored_flood_costs_a_few_lines);
	tcase_add_test(tc, counters_begin_with_the_session);
	tcase_add_test(tc, padt_after_a_flood_ends_the_session);
	suite_add_tcase(suite, tc);
	return suite;
}

int main(void)
{
	return check_main_run(discovery_io_suite());
}
