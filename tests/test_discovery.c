/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for src/discovery.c.  Received frames are written byte by byte
 * and sent frames are checked with a tag walker of the tests' own, so the
 * wire format is pinned down independently of src/pppoe.c.  Many tests play
 * the hostile or confused neighbour on a shared segment.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "discovery.h"
#include "raw_frame.h"

static const uint8_t our_mac[PPPOE_MAC_LEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t other_host[PPPOE_MAC_LEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
static const uint8_t ac1[PPPOE_MAC_LEN] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t ac2[PPPOE_MAC_LEN] = { 0x00, 0x66, 0x77, 0x88, 0x99, 0xaa };
static const uint8_t host_uniq[] = { 0xde, 0xad, 0xbe, 0xef };

/* ---- writing received frames ---- */

/* A discovery frame from source to us. */
static void frame_to_us(struct raw_frame *f, const uint8_t *source, uint8_t code,
			uint16_t session_id)
{
	raw_begin_frame(f, our_mac, source, 0x8863, 0x11, code, session_id);
}

/* A PADO as an RFC 2516 AC sends it, answering our Host-Uniq. */
static void pado_begin(struct raw_frame *f, const uint8_t *source, const char *ac_name)
{
	frame_to_us(f, source, PPPOE_CODE_PADO, 0);
	raw_tag_text(f, PPPOE_TAG_AC_NAME, ac_name);
	raw_tag_text(f, PPPOE_TAG_SERVICE_NAME, "");
	raw_tag(f, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
}

static void make_pado(struct raw_frame *f, const uint8_t *source, const char *ac_name)
{
	pado_begin(f, source, ac_name);
	raw_finish(f);
}

static void make_pads(struct raw_frame *f, const uint8_t *source, uint16_t session_id)
{
	frame_to_us(f, source, PPPOE_CODE_PADS, session_id);
	raw_tag_text(f, PPPOE_TAG_SERVICE_NAME, "");
	raw_tag(f, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	raw_finish(f);
}

static void make_padt(struct raw_frame *f, const uint8_t *source, uint16_t session_id)
{
	frame_to_us(f, source, PPPOE_CODE_PADT, session_id);
	raw_finish(f);
}

/* ---- checking sent frames ---- */

static void check_sent_header(const struct discovery_event *ev, const uint8_t *dest,
			      uint16_t ethertype, uint8_t code, uint16_t session_id)
{
	const uint8_t *s = ev->send;

	ck_assert_uint_ge(ev->send_len, 20);
	ck_assert_uint_le(ev->send_len, PPPOE_DISCOVERY_FRAME_MAX);
	ck_assert_mem_eq(s, dest, 6);
	ck_assert_mem_eq(s + 6, our_mac, 6);
	ck_assert_uint_eq(s[12], ethertype >> 8);
	ck_assert_uint_eq(s[13], ethertype & 0xff);
	ck_assert_uint_eq(s[14], 0x11);
	ck_assert_uint_eq(s[15], code);
	ck_assert_uint_eq(s[16], session_id >> 8);
	ck_assert_uint_eq(s[17], session_id & 0xff);
	ck_assert_uint_eq((size_t)(s[18] << 8 | s[19]), ev->send_len - 20);
}

/*
 * Count the tags of a type in a sent frame (type 0: all tags); *value gets
 * the first.  The list must end exactly at the PPPoE length.
 */
static unsigned sent_tag(const struct discovery_event *ev, uint16_t type,
			 const uint8_t **value, size_t *len)
{
	size_t pos = 20;
	unsigned count = 0;

	if (value)
		*value = NULL;
	while (pos < ev->send_len) {
		uint16_t tag_type, tag_len;

		ck_assert_uint_le(pos + 4, ev->send_len);
		tag_type = (uint16_t)(ev->send[pos] << 8 | ev->send[pos + 1]);
		tag_len = (uint16_t)(ev->send[pos + 2] << 8 | ev->send[pos + 3]);
		ck_assert_uint_le(pos + 4 + tag_len, ev->send_len);
		ck_assert_uint_ne(tag_type, PPPOE_TAG_END_OF_LIST);
		if (type == 0 || tag_type == type) {
			if (count == 0 && value) {
				*value = ev->send + pos + 4;
				*len = tag_len;
			}
			count++;
		}
		pos += 4 + (size_t)tag_len;
	}
	ck_assert_uint_eq(pos, ev->send_len);
	return count;
}

static void check_sent_tag(const struct discovery_event *ev, uint16_t type,
			   const void *expected, size_t expected_len)
{
	const uint8_t *value;
	size_t len = 0;

	ck_assert_uint_eq(sent_tag(ev, type, &value, &len), 1);
	ck_assert_uint_eq(len, expected_len);
	if (expected_len)
		ck_assert_mem_eq(value, expected, expected_len);
}

static unsigned sent_tag_count(const struct discovery_event *ev, uint16_t type)
{
	return sent_tag(ev, type, NULL, NULL);
}

/* ---- driving the state machine ---- */

static void config_default(struct discovery_config *cfg)
{
	discovery_config_defaults(cfg);
	memcpy(cfg->our_mac, our_mac, 6);
	cfg->host_uniq = host_uniq;
	cfg->host_uniq_len = sizeof(host_uniq);
}

/* What most tests start from (a checked fixture: set up afresh for each). */
static struct {
	struct discovery_config cfg;  /* config_default()'s */
	struct discovery disc;
	struct discovery_event ev;
	struct raw_frame f;
} t;

static void fixture_setup(void)
{
	memset(&t, 0, sizeof(t));
	config_default(&t.cfg);
}

static void feed(struct discovery *disc, const struct raw_frame *f, uint64_t now,
		 struct discovery_event *ev)
{
	discovery_handle_frame(disc, f->bytes, f->len, now, ev);
}

static void start_at(struct discovery *disc, const struct discovery_config *cfg,
		     uint64_t now, struct discovery_event *ev)
{
	discovery_init(disc, cfg);
	discovery_start(disc, now, ev);
	ck_assert_int_eq(ev->type, DISCOVERY_EVENT_SENT);
	ck_assert_int_eq(disc->state, DISCOVERY_WAIT_PADO);
}

static void reach_wait_pads(struct discovery *disc, const struct discovery_config *cfg,
			    struct discovery_event *ev)
{
	struct raw_frame f;

	start_at(disc, cfg, 0, ev);
	make_pado(&f, ac1, "BRAS");
	feed(disc, &f, 100, ev);
	ck_assert_int_eq(ev->type, DISCOVERY_EVENT_PADO);
	ck_assert(ev->accepted);
	ck_assert_int_eq(disc->state, DISCOVERY_WAIT_PADS);
}

static void reach_session(struct discovery *disc, const struct discovery_config *cfg,
			  uint16_t session_id, struct discovery_event *ev)
{
	struct raw_frame f;

	reach_wait_pads(disc, cfg, ev);
	make_pads(&f, ac1, session_id);
	feed(disc, &f, 200, ev);
	ck_assert_int_eq(ev->type, DISCOVERY_EVENT_SESSION_UP);
	ck_assert_int_eq(disc->state, DISCOVERY_SESSION);
}

static void check_ignored(const struct discovery_event *ev, enum discovery_ignore_reason reason)
{
	ck_assert_int_eq(ev->type, DISCOVERY_EVENT_IGNORED);
	ck_assert_int_eq(ev->ignored, reason);
	ck_assert_uint_eq(ev->send_len, 0);
}

static void check_rejected(const struct discovery_event *ev, enum discovery_reject_reason reason)
{
	ck_assert_int_eq(ev->type, DISCOVERY_EVENT_PADO);
	ck_assert(!ev->accepted);
	ck_assert_int_eq(ev->rejected, reason);
	ck_assert_uint_eq(ev->send_len, 0);
}

/* Deterministic generator for the flood and mutation tests. */
static uint32_t next_random(uint32_t *state)
{
	*state = *state * 1664525u + 1013904223u;
	return *state >> 8;
}

/* Copy to an exact-size heap block so ASan catches any read past len. */
static void feed_exact(struct discovery *disc, const uint8_t *bytes, size_t len, uint64_t now,
		       struct discovery_event *ev)
{
	uint8_t *copy = malloc(len ? len : 1);

	ck_assert_ptr_nonnull(copy);
	if (len)
		memcpy(copy, bytes, len);
	discovery_handle_frame(disc, copy, len, now, ev);
	free(copy);
	/* ev->message pointed into the copy. */
	ev->has_message = false;
}

/* ---- configuration and start ---- */

START_TEST(test_config_defaults)
{
	memset(&t.cfg, 0xff, sizeof(t.cfg));
	discovery_config_defaults(&t.cfg);
	ck_assert_uint_eq(t.cfg.ethertypes.discovery, 0x8863);
	ck_assert_uint_eq(t.cfg.ethertypes.session, 0x8864);
	ck_assert_uint_eq(t.cfg.padi_attempts, 3);
	ck_assert_uint_eq(t.cfg.padr_attempts, 3);
	ck_assert_uint_eq(t.cfg.timeout_ms, 5000);
	ck_assert_ptr_null(t.cfg.service_name);
	ck_assert_uint_eq(t.cfg.service_name_len, 0);
	ck_assert_ptr_null(t.cfg.ac_name);
	ck_assert_ptr_null(t.cfg.ac_mac);
	ck_assert_ptr_null(t.cfg.host_uniq);
	ck_assert_uint_eq(t.cfg.host_uniq_len, 0);
	ck_assert_uint_eq(t.cfg.ppp_max_payload, 0);
	ck_assert(!t.cfg.list_only);
	ck_assert_uint_eq(t.cfg.our_mac[0] | t.cfg.our_mac[5], 0);
}
END_TEST

START_TEST(test_init)
{
	memset(&t.disc, 0xff, sizeof(t.disc));
	discovery_init(&t.disc, &t.cfg);
	ck_assert_int_eq(t.disc.state, DISCOVERY_IDLE);
	ck_assert_uint_eq(discovery_deadline(&t.disc), DISCOVERY_NO_DEADLINE);
	ck_assert_uint_eq(t.disc.counters.pado_seen, 0);
	ck_assert_uint_eq(t.disc.counters.pado_rejected, 0);
	ck_assert_uint_eq(t.disc.counters.ignored[DISCOVERY_IGNORE_MALFORMED], 0);
	ck_assert_uint_eq(t.disc.session_id, 0);
	ck_assert(!t.disc.has_cookie);
	ck_assert_ptr_eq(t.disc.config.host_uniq, host_uniq);
	ck_assert_mem_eq(t.disc.config.our_mac, our_mac, 6);
}
END_TEST

START_TEST(test_padi_bytes)
{
	start_at(&t.disc, &t.cfg, 1000, &t.ev);
	ck_assert_uint_eq(t.ev.attempt, 1);
	ck_assert(!t.ev.has_message);
	check_sent_header(&t.ev, pppoe_broadcast_mac, 0x8863, PPPOE_CODE_PADI, 0);
	check_sent_tag(&t.ev, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	check_sent_tag(&t.ev, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	ck_assert_uint_eq(sent_tag_count(&t.ev, 0), 2);
	ck_assert_uint_eq(t.ev.send_len, 20 + 4 + 8);
	ck_assert_uint_eq(discovery_deadline(&t.disc), 6000);
	ck_assert_uint_eq(t.disc.attempt, 1);
}
END_TEST

START_TEST(test_padi_service_no_host_uniq)
{
	t.cfg.host_uniq = NULL;
	t.cfg.host_uniq_len = 0;
	t.cfg.service_name = (const uint8_t *)"isp";
	t.cfg.service_name_len = 3;
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	check_sent_header(&t.ev, pppoe_broadcast_mac, 0x8863, PPPOE_CODE_PADI, 0);
	check_sent_tag(&t.ev, PPPOE_TAG_SERVICE_NAME, "isp", 3);
	ck_assert_uint_eq(sent_tag_count(&t.ev, PPPOE_TAG_HOST_UNIQ), 0);
	ck_assert_uint_eq(sent_tag_count(&t.ev, 0), 1);
}
END_TEST

START_TEST(test_padi_too_long)
{
	static uint8_t long_name[1500];
	struct discovery_config cfg;
	struct discovery disc;
	struct discovery_event ev;

	config_default(&cfg);
	cfg.service_name = long_name;
	cfg.service_name_len = sizeof(long_name);
	discovery_init(&disc, &cfg);
	discovery_start(&disc, 0, &ev);
	ck_assert_int_eq(ev.type, DISCOVERY_EVENT_FAILED);
	ck_assert_int_eq(ev.failure, DISCOVERY_FAILURE_CONFIG_TOO_LONG);
	ck_assert_uint_eq(ev.send_len, 0);
	ck_assert_int_eq(disc.state, DISCOVERY_DONE);
	ck_assert_uint_eq(discovery_deadline(&disc), DISCOVERY_NO_DEADLINE);
}
END_TEST

/* ---- the whole exchange ---- */

START_TEST(test_happy_path)
{
	start_at(&t.disc, &t.cfg, 1000, &t.ev);

	pado_begin(&t.f, ac1, "BRAS-1");
	raw_tag_text(&t.f, PPPOE_TAG_AC_COOKIE, "cookie-1234");
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 1500, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_PADO);
	ck_assert(t.ev.accepted);
	ck_assert_int_eq(t.ev.rejected, DISCOVERY_REJECT_NONE);
	ck_assert(t.ev.has_message);
	ck_assert_mem_eq(t.ev.message.ac_name.value, "BRAS-1", 6);
	ck_assert_uint_eq(t.ev.attempt, 1);
	check_sent_header(&t.ev, ac1, 0x8863, PPPOE_CODE_PADR, 0);
	check_sent_tag(&t.ev, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	check_sent_tag(&t.ev, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	check_sent_tag(&t.ev, PPPOE_TAG_AC_COOKIE, "cookie-1234", 11);
	ck_assert_uint_eq(sent_tag_count(&t.ev, 0), 3);
	ck_assert_int_eq(t.disc.state, DISCOVERY_WAIT_PADS);
	ck_assert_uint_eq(discovery_deadline(&t.disc), 6500);
	ck_assert_mem_eq(t.disc.ac_mac, ac1, 6);
	ck_assert_uint_eq(t.disc.ac_name_len, 6);
	ck_assert_mem_eq(t.disc.ac_name, "BRAS-1", 6);
	ck_assert_uint_eq(t.disc.counters.pado_seen, 1);
	ck_assert_uint_eq(t.disc.counters.pado_rejected, 0);

	make_pads(&t.f, ac1, 0x1234);
	feed(&t.disc, &t.f, 2000, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_SESSION_UP);
	ck_assert(t.ev.has_message);
	ck_assert_uint_eq(t.ev.message.frame.session_id, 0x1234);
	ck_assert_uint_eq(t.ev.send_len, 0);
	ck_assert_uint_eq(t.disc.session_id, 0x1234);
	ck_assert_uint_eq(t.disc.peer_max_payload, 0);
	ck_assert_int_eq(t.disc.state, DISCOVERY_SESSION);
	ck_assert_uint_eq(discovery_deadline(&t.disc), DISCOVERY_NO_DEADLINE);

	make_padt(&t.f, ac1, 0x1234);
	feed(&t.disc, &t.f, 90000, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_TERMINATED);
	ck_assert(t.ev.has_message);
	ck_assert_int_eq(t.disc.state, DISCOVERY_DONE);
	ck_assert_uint_eq(discovery_deadline(&t.disc), DISCOVERY_NO_DEADLINE);
}
END_TEST

START_TEST(test_cookie_and_relay_echoed)
{
	static const uint8_t cookie[] = { 0x00, 0x01, 0x02, 0xff, 0x00 };
	static const uint8_t relay[] = { 0x12, 0x00, 0x34 };
	struct discovery_config cfg;
	struct discovery disc;
	struct discovery_event ev;
	struct raw_frame f;
	size_t len;

	config_default(&cfg);
	start_at(&disc, &cfg, 0, &ev);
	pado_begin(&f, ac2, "relayed");
	raw_tag(&f, PPPOE_TAG_RELAY_SESSION_ID, relay, sizeof(relay));
	raw_tag(&f, PPPOE_TAG_AC_COOKIE, cookie, sizeof(cookie));
	raw_tag_text(&f, PPPOE_TAG_VENDOR_SPECIFIC, "\x00\x00\x0d\xe9zz");
	raw_finish(&f);
	feed(&disc, &f, 10, &ev);
	ck_assert(ev.accepted);
	check_sent_header(&ev, ac2, 0x8863, PPPOE_CODE_PADR, 0);
	check_sent_tag(&ev, PPPOE_TAG_AC_COOKIE, cookie, sizeof(cookie));
	check_sent_tag(&ev, PPPOE_TAG_RELAY_SESSION_ID, relay, sizeof(relay));
	check_sent_tag(&ev, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	ck_assert_uint_eq(sent_tag_count(&ev, PPPOE_TAG_VENDOR_SPECIFIC), 0);
	ck_assert_uint_eq(sent_tag_count(&ev, 0), 4);

	/* The PADT carries the relay's id too, so the relay can forward it. */
	make_pads(&f, ac2, 7);
	feed(&disc, &f, 20, &ev);
	ck_assert_int_eq(ev.type, DISCOVERY_EVENT_SESSION_UP);
	len = discovery_build_padt(&disc, 7, disc.ac_mac, NULL, ev.send, sizeof(ev.send));
	ev.send_len = len;
	check_sent_header(&ev, ac2, 0x8863, PPPOE_CODE_PADT, 7);
	check_sent_tag(&ev, PPPOE_TAG_RELAY_SESSION_ID, relay, sizeof(relay));
	check_sent_tag(&ev, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	ck_assert_uint_eq(sent_tag_count(&ev, PPPOE_TAG_GENERIC_ERROR), 0);
	ck_assert_uint_eq(sent_tag_count(&ev, 0), 2);
}
END_TEST

START_TEST(test_empty_cookie_echoed)
{
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	pado_begin(&t.f, ac1, "BRAS");
	raw_tag(&t.f, PPPOE_TAG_AC_COOKIE, NULL, 0);
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 10, &t.ev);
	ck_assert(t.ev.accepted);
	check_sent_tag(&t.ev, PPPOE_TAG_AC_COOKIE, NULL, 0);
	ck_assert_uint_eq(sent_tag_count(&t.ev, PPPOE_TAG_RELAY_SESSION_ID), 0);
}
END_TEST

/* ---- Host-Uniq ---- */

START_TEST(test_host_uniq_mismatch)
{
	static const uint8_t wrong[] = { 0xde, 0xad, 0xbe, 0xee };
	static const uint8_t longer[] = { 0xde, 0xad, 0xbe, 0xef, 0x00 };
	struct discovery_config cfg;
	struct discovery disc;
	struct discovery_event ev;
	struct raw_frame f;

	config_default(&cfg);
	start_at(&disc, &cfg, 0, &ev);

	frame_to_us(&f, ac1, PPPOE_CODE_PADO, 0);
	raw_tag_text(&f, PPPOE_TAG_AC_NAME, "x");
	raw_tag(&f, PPPOE_TAG_HOST_UNIQ, wrong, sizeof(wrong));
	raw_finish(&f);
	feed(&disc, &f, 1, &ev);
	check_ignored(&ev, DISCOVERY_IGNORE_WRONG_HOST_UNIQ);
	ck_assert(ev.has_message);

	frame_to_us(&f, ac1, PPPOE_CODE_PADO, 0);
	raw_tag_text(&f, PPPOE_TAG_AC_NAME, "x");
	raw_tag(&f, PPPOE_TAG_HOST_UNIQ, longer, sizeof(longer));
	raw_finish(&f);
	feed(&disc, &f, 2, &ev);
	check_ignored(&ev, DISCOVERY_IGNORE_WRONG_HOST_UNIQ);

	frame_to_us(&f, ac1, PPPOE_CODE_PADO, 0);
	raw_tag_text(&f, PPPOE_TAG_AC_NAME, "x");
	raw_tag(&f, PPPOE_TAG_HOST_UNIQ, host_uniq, 3);
	raw_finish(&f);
	feed(&disc, &f, 3, &ev);
	check_ignored(&ev, DISCOVERY_IGNORE_WRONG_HOST_UNIQ);

	/* Missing altogether. */
	frame_to_us(&f, ac1, PPPOE_CODE_PADO, 0);
	raw_tag_text(&f, PPPOE_TAG_AC_NAME, "x");
	raw_finish(&f);
	feed(&disc, &f, 4, &ev);
	check_ignored(&ev, DISCOVERY_IGNORE_WRONG_HOST_UNIQ);

	ck_assert_uint_eq(disc.counters.ignored[DISCOVERY_IGNORE_WRONG_HOST_UNIQ], 4);
	ck_assert_uint_eq(disc.counters.pado_seen, 0);
	ck_assert_int_eq(disc.state, DISCOVERY_WAIT_PADO);

	make_pado(&f, ac1, "x");
	feed(&disc, &f, 5, &ev);
	ck_assert(ev.accepted);
}
END_TEST

START_TEST(test_host_uniq_unexpected)
{
	t.cfg.host_uniq = NULL;
	t.cfg.host_uniq_len = 0;
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	ck_assert_uint_eq(sent_tag_count(&t.ev, PPPOE_TAG_HOST_UNIQ), 0);

	/* Another host's Host-Uniq: that offer is for them. */
	make_pado(&t.f, ac1, "theirs");
	feed(&t.disc, &t.f, 1, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_WRONG_HOST_UNIQ);

	frame_to_us(&t.f, ac1, PPPOE_CODE_PADO, 0);
	raw_tag_text(&t.f, PPPOE_TAG_AC_NAME, "ours");
	raw_tag_text(&t.f, PPPOE_TAG_SERVICE_NAME, "");
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 2, &t.ev);
	ck_assert(t.ev.accepted);
	ck_assert_uint_eq(sent_tag_count(&t.ev, PPPOE_TAG_HOST_UNIQ), 0);
	ck_assert_uint_eq(sent_tag_count(&t.ev, 0), 1);

	/* A PADS with someone's Host-Uniq is not ours either. */
	make_pads(&t.f, ac1, 5);
	feed(&t.disc, &t.f, 3, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_WRONG_HOST_UNIQ);
	ck_assert_int_eq(t.disc.state, DISCOVERY_WAIT_PADS);

	frame_to_us(&t.f, ac1, PPPOE_CODE_PADS, 5);
	raw_tag_text(&t.f, PPPOE_TAG_SERVICE_NAME, "");
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 4, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_SESSION_UP);
}
END_TEST

START_TEST(test_pads_host_uniq_mismatch)
{
	reach_wait_pads(&t.disc, &t.cfg, &t.ev);
	frame_to_us(&t.f, ac1, PPPOE_CODE_PADS, 9);
	raw_tag_text(&t.f, PPPOE_TAG_SERVICE_NAME, "");
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 300, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_WRONG_HOST_UNIQ);
	ck_assert_int_eq(t.disc.state, DISCOVERY_WAIT_PADS);
	ck_assert_uint_eq(t.disc.session_id, 0);
}
END_TEST

/* ---- choosing an access concentrator ---- */

START_TEST(test_ac_mac_filter)
{
	t.cfg.ac_mac = ac2;
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	make_pado(&t.f, ac1, "BRAS");
	feed(&t.disc, &t.f, 1, &t.ev);
	check_rejected(&t.ev, DISCOVERY_REJECT_AC_MAC);
	ck_assert(t.ev.has_message);
	ck_assert_uint_eq(t.disc.counters.pado_seen, 1);
	ck_assert_uint_eq(t.disc.counters.pado_rejected, 1);
	ck_assert_int_eq(t.disc.state, DISCOVERY_WAIT_PADO);

	make_pado(&t.f, ac2, "BRAS");
	feed(&t.disc, &t.f, 2, &t.ev);
	ck_assert(t.ev.accepted);
	check_sent_header(&t.ev, ac2, 0x8863, PPPOE_CODE_PADR, 0);
	ck_assert_uint_eq(t.disc.counters.pado_seen, 2);
	ck_assert_uint_eq(t.disc.counters.pado_rejected, 1);
}
END_TEST

START_TEST(test_ac_name_filter)
{
	t.cfg.ac_name = (const uint8_t *)"BRAS-B";
	t.cfg.ac_name_len = 6;
	start_at(&t.disc, &t.cfg, 0, &t.ev);

	make_pado(&t.f, ac1, "BRAS-A");
	feed(&t.disc, &t.f, 1, &t.ev);
	check_rejected(&t.ev, DISCOVERY_REJECT_AC_NAME);

	make_pado(&t.f, ac1, "BRAS-");
	feed(&t.disc, &t.f, 1, &t.ev);
	check_rejected(&t.ev, DISCOVERY_REJECT_AC_NAME);

	make_pado(&t.f, ac1, "BRAS-BB");
	feed(&t.disc, &t.f, 1, &t.ev);
	check_rejected(&t.ev, DISCOVERY_REJECT_AC_NAME);

	/* No AC-Name at all cannot satisfy the filter. */
	frame_to_us(&t.f, ac1, PPPOE_CODE_PADO, 0);
	raw_tag_text(&t.f, PPPOE_TAG_SERVICE_NAME, "");
	raw_tag(&t.f, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 1, &t.ev);
	check_rejected(&t.ev, DISCOVERY_REJECT_AC_NAME);

	make_pado(&t.f, ac2, "BRAS-B");
	feed(&t.disc, &t.f, 2, &t.ev);
	ck_assert(t.ev.accepted);
	check_sent_header(&t.ev, ac2, 0x8863, PPPOE_CODE_PADR, 0);
	ck_assert_mem_eq(t.disc.ac_mac, ac2, 6);
	ck_assert_uint_eq(t.disc.counters.pado_rejected, 4);
}
END_TEST

START_TEST(test_service_filter)
{
	t.cfg.service_name = (const uint8_t *)"isp";
	t.cfg.service_name_len = 3;
	start_at(&t.disc, &t.cfg, 0, &t.ev);

	frame_to_us(&t.f, ac1, PPPOE_CODE_PADO, 0);
	raw_tag_text(&t.f, PPPOE_TAG_AC_NAME, "A");
	raw_tag_text(&t.f, PPPOE_TAG_SERVICE_NAME, "other");
	raw_tag_text(&t.f, PPPOE_TAG_SERVICE_NAME, "");
	raw_tag(&t.f, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 1, &t.ev);
	check_rejected(&t.ev, DISCOVERY_REJECT_SERVICE);

	frame_to_us(&t.f, ac2, PPPOE_CODE_PADO, 0);
	raw_tag_text(&t.f, PPPOE_TAG_AC_NAME, "B");
	raw_tag_text(&t.f, PPPOE_TAG_SERVICE_NAME, "iptv");
	raw_tag(&t.f, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	raw_tag_text(&t.f, PPPOE_TAG_SERVICE_NAME, "isp");
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 2, &t.ev);
	ck_assert(t.ev.accepted);
	check_sent_header(&t.ev, ac2, 0x8863, PPPOE_CODE_PADR, 0);
	check_sent_tag(&t.ev, PPPOE_TAG_SERVICE_NAME, "isp", 3);
}
END_TEST

START_TEST(test_pado_error_tag_then_good)
{
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	pado_begin(&t.f, ac1, "busy");
	raw_tag_text(&t.f, PPPOE_TAG_AC_SYSTEM_ERROR, "no resources");
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 1, &t.ev);
	check_rejected(&t.ev, DISCOVERY_REJECT_ERROR_TAG);
	ck_assert_uint_eq(t.ev.message.error.type, PPPOE_TAG_AC_SYSTEM_ERROR);
	ck_assert_mem_eq(t.ev.message.error.value, "no resources", 12);

	make_pado(&t.f, ac2, "fine");
	feed(&t.disc, &t.f, 2, &t.ev);
	ck_assert(t.ev.accepted);
	ck_assert_mem_eq(t.disc.ac_mac, ac2, 6);
}
END_TEST

START_TEST(test_pado_bad_source)
{
	static const uint8_t sources[][PPPOE_MAC_LEN] = {
		{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
		{ 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 },
		{ 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 },
		{ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 },
	};
	struct discovery_config cfg;
	struct discovery disc;
	struct discovery_event ev;
	struct raw_frame f;
	size_t i;

	config_default(&cfg);
	start_at(&disc, &cfg, 0, &ev);
	for (i = 0; i < sizeof(sources) / sizeof(sources[0]); i++) {
		make_pado(&f, sources[i], "evil");
		feed(&disc, &f, 1, &ev);
		check_rejected(&ev, DISCOVERY_REJECT_BAD_SOURCE);
	}
	ck_assert_uint_eq(disc.counters.pado_rejected, 4);
	ck_assert_int_eq(disc.state, DISCOVERY_WAIT_PADO);

	/* Locally administered unicast is fine. */
	make_pado(&f, other_host, "lab");
	feed(&disc, &f, 2, &ev);
	ck_assert(ev.accepted);
}
END_TEST

START_TEST(test_pado_cookie_too_long)
{
	static uint8_t cookie[DISCOVERY_TAG_VALUE_MAX + 1];
	struct discovery_config cfg;
	struct discovery disc;
	struct discovery_event ev;
	struct raw_frame f;

	/* The PADO fits a 1514-byte frame; our PADR with the cookie would not. */
	config_default(&cfg);
	start_at(&disc, &cfg, 0, &ev);
	frame_to_us(&f, ac1, PPPOE_CODE_PADO, 0);
	raw_tag(&f, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	raw_tag(&f, PPPOE_TAG_AC_COOKIE, cookie, 1480);
	raw_finish(&f);
	ck_assert_uint_le(f.len, PPPOE_DISCOVERY_FRAME_MAX);
	feed(&disc, &f, 1, &ev);
	check_rejected(&ev, DISCOVERY_REJECT_TOO_LONG);
	ck_assert_int_eq(disc.state, DISCOVERY_WAIT_PADO);

	/* A jumbo PADO with a cookie longer than we keep. */
	frame_to_us(&f, ac1, PPPOE_CODE_PADO, 0);
	raw_tag(&f, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	raw_tag(&f, PPPOE_TAG_AC_COOKIE, cookie, sizeof(cookie));
	raw_finish(&f);
	feed(&disc, &f, 1, &ev);
	check_rejected(&ev, DISCOVERY_REJECT_TOO_LONG);

	make_pado(&f, ac2, "sane");
	feed(&disc, &f, 2, &ev);
	ck_assert(ev.accepted);
	check_sent_header(&ev, ac2, 0x8863, PPPOE_CODE_PADR, 0);
	ck_assert_uint_eq(sent_tag_count(&ev, PPPOE_TAG_AC_COOKIE), 0);
}
END_TEST

START_TEST(test_pado_while_waiting_pads)
{
	reach_wait_pads(&t.disc, &t.cfg, &t.ev);
	make_pado(&t.f, ac2, "late");
	feed(&t.disc, &t.f, 150, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_UNEXPECTED_CODE);
	ck_assert_mem_eq(t.disc.ac_mac, ac1, 6);
	ck_assert_int_eq(t.disc.state, DISCOVERY_WAIT_PADS);
	ck_assert_uint_eq(t.disc.counters.pado_seen, 1);
}
END_TEST

/* ---- frames that are not for us ---- */

START_TEST(test_not_to_us)
{
	start_at(&t.disc, &t.cfg, 0, &t.ev);

	/* Another client's broadcast PADI, with our Host-Uniq even. */
	raw_begin_frame(&t.f, pppoe_broadcast_mac, other_host, 0x8863, 0x11, PPPOE_CODE_PADI, 0);
	raw_tag_text(&t.f, PPPOE_TAG_SERVICE_NAME, "");
	raw_tag(&t.f, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 1, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_NOT_TO_US);

	/* A PADO to another host. */
	make_pado(&t.f, ac1, "BRAS");
	memcpy(t.f.bytes, other_host, 6);
	feed(&t.disc, &t.f, 2, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_NOT_TO_US);

	/* A PADO broadcast by a sloppy AC is not addressed to us either. */
	memcpy(t.f.bytes, pppoe_broadcast_mac, 6);
	feed(&t.disc, &t.f, 3, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_NOT_TO_US);

	/* A PADI addressed to us is still no answer. */
	frame_to_us(&t.f, other_host, PPPOE_CODE_PADI, 0);
	raw_tag(&t.f, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 4, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_UNEXPECTED_CODE);

	ck_assert_uint_eq(t.disc.counters.ignored[DISCOVERY_IGNORE_NOT_TO_US], 3);
	ck_assert_uint_eq(t.disc.counters.ignored[DISCOVERY_IGNORE_UNEXPECTED_CODE], 1);
	ck_assert_uint_eq(t.disc.counters.pado_seen, 0);
	ck_assert_int_eq(t.disc.state, DISCOVERY_WAIT_PADO);
}
END_TEST

START_TEST(test_other_ethertypes)
{
	reach_session(&t.disc, &t.cfg, 0x0042, &t.ev);

	/* Session data is not discovery's business. */
	raw_begin_frame(&t.f, our_mac, ac1, 0x8864, 0x11, PPPOE_CODE_SESSION, 0x0042);
	raw_tag(&t.f, 0xc021, "\x01\x01\x00\x04", 4);
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 1, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_UNEXPECTED_CODE);
	ck_assert(!t.ev.has_message);

	/* A PADT sent with the session ethertype is not a PADT. */
	raw_begin_frame(&t.f, our_mac, ac1, 0x8864, 0x11, PPPOE_CODE_PADT, 0x0042);
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 1, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_UNEXPECTED_CODE);

	raw_begin_frame(&t.f, our_mac, ac1, 0x0800, 0x11, PPPOE_CODE_PADT, 0x0042);
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 1, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_MALFORMED);

	ck_assert_int_eq(t.disc.state, DISCOVERY_SESSION);
	ck_assert_uint_eq(t.disc.counters.ignored[DISCOVERY_IGNORE_UNEXPECTED_CODE], 2);
	ck_assert_uint_eq(t.disc.counters.ignored[DISCOVERY_IGNORE_MALFORMED], 1);
}
END_TEST

START_TEST(test_custom_ethertypes)
{
	t.cfg.ethertypes.discovery = 0x3c12;
	t.cfg.ethertypes.session = 0x3c13;
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	check_sent_header(&t.ev, pppoe_broadcast_mac, 0x3c12, PPPOE_CODE_PADI, 0);

	make_pado(&t.f, ac1, "std");
	feed(&t.disc, &t.f, 1, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_MALFORMED);

	t.f.bytes[12] = 0x3c;
	t.f.bytes[13] = 0x13;
	feed(&t.disc, &t.f, 1, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_UNEXPECTED_CODE);

	t.f.bytes[13] = 0x12;
	feed(&t.disc, &t.f, 1, &t.ev);
	ck_assert(t.ev.accepted);
	check_sent_header(&t.ev, ac1, 0x3c12, PPPOE_CODE_PADR, 0);

	make_pads(&t.f, ac1, 3);
	t.f.bytes[12] = 0x3c;
	t.f.bytes[13] = 0x12;
	feed(&t.disc, &t.f, 2, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_SESSION_UP);
	t.ev.send_len = discovery_build_padt(&t.disc, 3, ac1, NULL, t.ev.send, sizeof(t.ev.send));
	check_sent_header(&t.ev, ac1, 0x3c12, PPPOE_CODE_PADT, 3);
}
END_TEST

/* ---- timeouts ---- */

START_TEST(test_padi_backoff_and_failure)
{
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	ck_assert_uint_eq(discovery_deadline(&t.disc), 5000);

	discovery_handle_timeout(&t.disc, 4999, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_NONE);
	ck_assert_uint_eq(t.ev.send_len, 0);
	ck_assert_uint_eq(discovery_deadline(&t.disc), 5000);

	discovery_handle_timeout(&t.disc, 5000, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_SENT);
	ck_assert_uint_eq(t.ev.attempt, 2);
	check_sent_header(&t.ev, pppoe_broadcast_mac, 0x8863, PPPOE_CODE_PADI, 0);
	check_sent_tag(&t.ev, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	ck_assert_uint_eq(discovery_deadline(&t.disc), 15000);

	discovery_handle_timeout(&t.disc, 14999, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_NONE);

	/* A late caller: the next wait counts from now. */
	discovery_handle_timeout(&t.disc, 15100, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_SENT);
	ck_assert_uint_eq(t.ev.attempt, 3);
	ck_assert_uint_eq(discovery_deadline(&t.disc), 35100);

	discovery_handle_timeout(&t.disc, 35100, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_FAILED);
	ck_assert_int_eq(t.ev.failure, DISCOVERY_FAILURE_NO_PADO);
	ck_assert_uint_eq(t.ev.send_len, 0);
	ck_assert_int_eq(t.disc.state, DISCOVERY_DONE);
	ck_assert_uint_eq(discovery_deadline(&t.disc), DISCOVERY_NO_DEADLINE);

	discovery_handle_timeout(&t.disc, 100000, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_NONE);
}
END_TEST

START_TEST(test_backoff_cap)
{
	t.cfg.timeout_ms = 40000;
	t.cfg.padi_attempts = 4;
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	ck_assert_uint_eq(discovery_deadline(&t.disc), 40000);
	discovery_handle_timeout(&t.disc, 40000, &t.ev);
	ck_assert_uint_eq(discovery_deadline(&t.disc), 100000);
	discovery_handle_timeout(&t.disc, 100000, &t.ev);
	ck_assert_uint_eq(t.ev.attempt, 3);
	ck_assert_uint_eq(discovery_deadline(&t.disc), 160000);
	discovery_handle_timeout(&t.disc, 160000, &t.ev);
	ck_assert_uint_eq(t.ev.attempt, 4);
	ck_assert_uint_eq(discovery_deadline(&t.disc), 220000);
	discovery_handle_timeout(&t.disc, 220000, &t.ev);
	ck_assert_int_eq(t.ev.failure, DISCOVERY_FAILURE_NO_PADO);

	/* A wait configured above the cap is not shortened. */
	t.cfg.timeout_ms = 90000;
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	discovery_handle_timeout(&t.disc, 90000, &t.ev);
	ck_assert_uint_eq(discovery_deadline(&t.disc), 180000);
}
END_TEST

START_TEST(test_single_attempt)
{
	t.cfg.padi_attempts = 1;
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	discovery_handle_timeout(&t.disc, 5000, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_FAILED);
	ck_assert_int_eq(t.ev.failure, DISCOVERY_FAILURE_NO_PADO);
}
END_TEST

START_TEST(test_padr_retries_then_no_pads)
{
	uint8_t first[PPPOE_DISCOVERY_FRAME_MAX];
	size_t first_len;

	config_default(&t.cfg);
	/* Let PADI back-off run first: PADR attempts start afresh at 5 s. */
	discovery_init(&t.disc, &t.cfg);
	discovery_start(&t.disc, 0, &t.ev);
	discovery_handle_timeout(&t.disc, 5000, &t.ev);
	pado_begin(&t.f, ac1, "BRAS");
	raw_tag_text(&t.f, PPPOE_TAG_AC_COOKIE, "c");
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 6000, &t.ev);
	ck_assert(t.ev.accepted);
	memcpy(first, t.ev.send, t.ev.send_len);
	first_len = t.ev.send_len;
	ck_assert_uint_eq(discovery_deadline(&t.disc), 11000);

	discovery_handle_timeout(&t.disc, 10999, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_NONE);

	discovery_handle_timeout(&t.disc, 11000, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_SENT);
	ck_assert_uint_eq(t.ev.attempt, 2);
	ck_assert_uint_eq(t.ev.send_len, first_len);
	ck_assert_mem_eq(t.ev.send, first, first_len);
	ck_assert_uint_eq(discovery_deadline(&t.disc), 21000);

	discovery_handle_timeout(&t.disc, 21000, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_SENT);
	ck_assert_uint_eq(t.ev.attempt, 3);
	check_sent_header(&t.ev, ac1, 0x8863, PPPOE_CODE_PADR, 0);
	check_sent_tag(&t.ev, PPPOE_TAG_AC_COOKIE, "c", 1);
	ck_assert_uint_eq(discovery_deadline(&t.disc), 41000);

	discovery_handle_timeout(&t.disc, 41000, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_FAILED);
	ck_assert_int_eq(t.ev.failure, DISCOVERY_FAILURE_NO_PADS);
	ck_assert_int_eq(t.disc.state, DISCOVERY_DONE);
	ck_assert_uint_eq(discovery_deadline(&t.disc), DISCOVERY_NO_DEADLINE);
}
END_TEST

START_TEST(test_timeout_outside_waits)
{
	discovery_init(&t.disc, &t.cfg);
	discovery_handle_timeout(&t.disc, UINT64_MAX, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_NONE);
	ck_assert_int_eq(t.disc.state, DISCOVERY_IDLE);

	reach_session(&t.disc, &t.cfg, 1, &t.ev);
	discovery_handle_timeout(&t.disc, UINT64_MAX, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_NONE);
	ck_assert_int_eq(t.disc.state, DISCOVERY_SESSION);
}
END_TEST

START_TEST(test_deadline_saturates)
{
	start_at(&t.disc, &t.cfg, UINT64_MAX - 10, &t.ev);
	ck_assert_uint_eq(discovery_deadline(&t.disc), UINT64_MAX - 1);
	discovery_handle_timeout(&t.disc, UINT64_MAX - 1, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_SENT);
	ck_assert_uint_eq(t.ev.attempt, 2);
}
END_TEST

/* ---- PADS ---- */

START_TEST(test_pads_wrong_ac)
{
	reach_wait_pads(&t.disc, &t.cfg, &t.ev);
	make_pads(&t.f, ac2, 0x0101);
	feed(&t.disc, &t.f, 300, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_WRONG_AC);
	ck_assert_int_eq(t.disc.state, DISCOVERY_WAIT_PADS);
	ck_assert_uint_eq(t.disc.counters.ignored[DISCOVERY_IGNORE_WRONG_AC], 1);

	/* An error PADS from the wrong AC must not end our discovery either. */
	frame_to_us(&t.f, ac2, PPPOE_CODE_PADS, 0);
	raw_tag(&t.f, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	raw_tag_text(&t.f, PPPOE_TAG_GENERIC_ERROR, "go away");
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 301, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_WRONG_AC);
	ck_assert_int_eq(t.disc.state, DISCOVERY_WAIT_PADS);

	make_pads(&t.f, ac1, 0x0101);
	feed(&t.disc, &t.f, 302, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_SESSION_UP);
	ck_assert_uint_eq(t.disc.session_id, 0x0101);
}
END_TEST

START_TEST(test_pads_error_tags)
{
	static const uint16_t tags[] = {
		PPPOE_TAG_SERVICE_NAME_ERROR, PPPOE_TAG_AC_SYSTEM_ERROR, PPPOE_TAG_GENERIC_ERROR,
	};
	static const enum discovery_failure failures[] = {
		DISCOVERY_FAILURE_SERVICE_NAME_ERROR, DISCOVERY_FAILURE_AC_SYSTEM_ERROR,
		DISCOVERY_FAILURE_GENERIC_ERROR,
	};
	struct discovery_config cfg;
	struct discovery disc;
	struct discovery_event ev;
	struct raw_frame f;

	config_default(&cfg);
	reach_wait_pads(&disc, &cfg, &ev);
	frame_to_us(&f, ac1, PPPOE_CODE_PADS, 0);
	raw_tag(&f, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	raw_tag_text(&f, tags[_i], "reason text");
	raw_finish(&f);
	feed(&disc, &f, 300, &ev);
	ck_assert_int_eq(ev.type, DISCOVERY_EVENT_FAILED);
	ck_assert_int_eq(ev.failure, failures[_i]);
	ck_assert(ev.has_message);
	ck_assert_uint_eq(ev.message.error.type, tags[_i]);
	ck_assert_mem_eq(ev.message.error.value, "reason text", 11);
	ck_assert_uint_eq(ev.send_len, 0);
	ck_assert_int_eq(disc.state, DISCOVERY_DONE);
	ck_assert_uint_eq(discovery_deadline(&disc), DISCOVERY_NO_DEADLINE);
}
END_TEST

START_TEST(test_pads_error_with_session)
{
	reach_wait_pads(&t.disc, &t.cfg, &t.ev);
	frame_to_us(&t.f, ac1, PPPOE_CODE_PADS, 0x2222);
	raw_tag(&t.f, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	raw_tag_text(&t.f, PPPOE_TAG_SERVICE_NAME_ERROR, "");
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 300, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_FAILED);
	ck_assert_int_eq(t.ev.failure, DISCOVERY_FAILURE_SERVICE_NAME_ERROR);
	check_sent_header(&t.ev, ac1, 0x8863, PPPOE_CODE_PADT, 0x2222);
	check_sent_tag(&t.ev, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	ck_assert_int_eq(t.disc.state, DISCOVERY_DONE);
}
END_TEST

START_TEST(test_pads_zero_session)
{
	reach_wait_pads(&t.disc, &t.cfg, &t.ev);
	make_pads(&t.f, ac1, 0);
	feed(&t.disc, &t.f, 300, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_FAILED);
	ck_assert_int_eq(t.ev.failure, DISCOVERY_FAILURE_ZERO_SESSION);
	ck_assert_uint_eq(t.ev.send_len, 0);
	ck_assert_int_eq(t.disc.state, DISCOVERY_DONE);
}
END_TEST

START_TEST(test_ppp_max_payload)
{
	t.cfg.ppp_max_payload = 1500;
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	check_sent_tag(&t.ev, PPPOE_TAG_PPP_MAX_PAYLOAD, "\x05\xdc", 2);

	make_pado(&t.f, ac1, "BRAS");
	feed(&t.disc, &t.f, 1, &t.ev);
	ck_assert(t.ev.accepted);
	check_sent_tag(&t.ev, PPPOE_TAG_PPP_MAX_PAYLOAD, "\x05\xdc", 2);

	frame_to_us(&t.f, ac1, PPPOE_CODE_PADS, 0x0bad);
	raw_tag(&t.f, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	raw_tag(&t.f, PPPOE_TAG_PPP_MAX_PAYLOAD, "\x05\xd8", 2);
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 2, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_SESSION_UP);
	ck_assert_uint_eq(t.disc.peer_max_payload, 1496);
}
END_TEST

START_TEST(test_ppp_max_payload_not_asked)
{
	t.cfg.ppp_max_payload = 1492;
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	ck_assert_uint_eq(sent_tag_count(&t.ev, PPPOE_TAG_PPP_MAX_PAYLOAD), 0);
	make_pado(&t.f, ac1, "BRAS");
	feed(&t.disc, &t.f, 1, &t.ev);
	ck_assert_uint_eq(sent_tag_count(&t.ev, PPPOE_TAG_PPP_MAX_PAYLOAD), 0);

	/* A malformed (3-byte) answer is not believed. */
	frame_to_us(&t.f, ac1, PPPOE_CODE_PADS, 0x0bad);
	raw_tag(&t.f, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	raw_tag(&t.f, PPPOE_TAG_PPP_MAX_PAYLOAD, "\x05\xd8\x00", 3);
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 2, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_SESSION_UP);
	ck_assert_uint_eq(t.disc.peer_max_payload, 0);
}
END_TEST

/* ---- the live session ---- */

START_TEST(test_padt_checks)
{
	reach_session(&t.disc, &t.cfg, 0x0042, &t.ev);

	make_padt(&t.f, ac2, 0x0042);
	feed(&t.disc, &t.f, 1, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_WRONG_AC);

	make_padt(&t.f, ac1, 0x0043);
	feed(&t.disc, &t.f, 2, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_WRONG_SESSION);

	make_padt(&t.f, ac1, 0x0042);
	memcpy(t.f.bytes, other_host, 6);
	feed(&t.disc, &t.f, 3, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_NOT_TO_US);

	ck_assert_int_eq(t.disc.state, DISCOVERY_SESSION);
	ck_assert_uint_eq(t.disc.counters.ignored[DISCOVERY_IGNORE_WRONG_AC], 1);
	ck_assert_uint_eq(t.disc.counters.ignored[DISCOVERY_IGNORE_WRONG_SESSION], 1);

	/* No Host-Uniq needed: a PADT is not a reply. */
	frame_to_us(&t.f, ac1, PPPOE_CODE_PADT, 0x0042);
	raw_tag_text(&t.f, PPPOE_TAG_GENERIC_ERROR, "admin reset");
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 4, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_TERMINATED);
	ck_assert_mem_eq(t.ev.message.error.value, "admin reset", 11);
	ck_assert_int_eq(t.disc.state, DISCOVERY_DONE);

	/* Nothing moves a finished state machine. */
	make_padt(&t.f, ac1, 0x0042);
	feed(&t.disc, &t.f, 5, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_UNEXPECTED_CODE);
	make_pado(&t.f, ac1, "BRAS");
	feed(&t.disc, &t.f, 6, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_UNEXPECTED_CODE);
	make_pads(&t.f, ac1, 0x0042);
	feed(&t.disc, &t.f, 7, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_UNEXPECTED_CODE);
	ck_assert_int_eq(t.disc.state, DISCOVERY_DONE);
}
END_TEST

START_TEST(test_padm_message)
{
	reach_session(&t.disc, &t.cfg, 0x0042, &t.ev);

	frame_to_us(&t.f, ac1, PPPOE_CODE_PADM, 0x0042);
	raw_tag_text(&t.f, PPPOE_TAG_MOTM, "maintenance at 02:00");
	raw_tag_text(&t.f, PPPOE_TAG_HURL, "http://isp.example/");
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 1, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_MESSAGE);
	ck_assert(t.ev.has_message);
	ck_assert_uint_eq(t.ev.message.motm.length, 20);
	ck_assert_mem_eq(t.ev.message.motm.value, "maintenance at 02:00", 20);
	ck_assert_mem_eq(t.ev.message.hurl.value, "http://isp.example/", 19);
	ck_assert_uint_eq(t.ev.send_len, 0);
	ck_assert_int_eq(t.disc.state, DISCOVERY_SESSION);

	t.f.bytes[17] = 0x43;
	feed(&t.disc, &t.f, 2, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_WRONG_SESSION);
	memcpy(t.f.bytes + 6, ac2, 6);
	feed(&t.disc, &t.f, 3, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_WRONG_AC);
}
END_TEST

/* RFC 4937's PADN: the AC's routes for the session, checked as a PADM is. */
START_TEST(test_padn_message)
{
	static const uint8_t route[] = { 10, 1, 0, 0, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	struct discovery_config cfg;
	struct discovery disc;
	struct discovery_event ev;
	struct raw_frame f;

	config_default(&cfg);
	reach_session(&disc, &cfg, 0x0042, &ev);

	frame_to_us(&f, ac1, PPPOE_CODE_PADN, 0x0042);
	raw_tag(&f, PPPOE_TAG_IP_ROUTE_ADD, route, sizeof(route));
	raw_finish(&f);
	feed(&disc, &f, 1, &ev);
	ck_assert_int_eq(ev.type, DISCOVERY_EVENT_MESSAGE);
	ck_assert(ev.has_message);
	ck_assert_uint_eq(ev.message.frame.code, PPPOE_CODE_PADN);
	ck_assert_ptr_null(ev.message.motm.value);
	ck_assert_uint_eq(ev.send_len, 0);
	ck_assert_int_eq(disc.state, DISCOVERY_SESSION);

	f.bytes[17] = 0x43;
	feed(&disc, &f, 2, &ev);
	check_ignored(&ev, DISCOVERY_IGNORE_WRONG_SESSION);
	memcpy(f.bytes + 6, ac2, 6);
	feed(&disc, &f, 3, &ev);
	check_ignored(&ev, DISCOVERY_IGNORE_WRONG_AC);

	/* Before the session it answers nothing. */
	reach_wait_pads(&disc, &cfg, &ev);
	frame_to_us(&f, ac1, PPPOE_CODE_PADN, 0);
	raw_finish(&f);
	feed(&disc, &f, 4, &ev);
	check_ignored(&ev, DISCOVERY_IGNORE_UNEXPECTED_CODE);
}
END_TEST

START_TEST(test_padt_padm_while_waiting_pads)
{
	reach_wait_pads(&t.disc, &t.cfg, &t.ev);
	make_padt(&t.f, ac1, 0);
	feed(&t.disc, &t.f, 1, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_UNEXPECTED_CODE);
	frame_to_us(&t.f, ac1, PPPOE_CODE_PADM, 0);
	raw_tag_text(&t.f, PPPOE_TAG_MOTM, "hi");
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 2, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_UNEXPECTED_CODE);
	ck_assert_int_eq(t.disc.state, DISCOVERY_WAIT_PADS);
}
END_TEST

START_TEST(test_resume_session)
{
	discovery_init(&t.disc, &t.cfg);
	discovery_resume_session(&t.disc, 0x0777, ac2);
	ck_assert_int_eq(t.disc.state, DISCOVERY_SESSION);
	ck_assert_uint_eq(t.disc.session_id, 0x0777);
	ck_assert_mem_eq(t.disc.ac_mac, ac2, 6);
	ck_assert_uint_eq(discovery_deadline(&t.disc), DISCOVERY_NO_DEADLINE);

	make_padt(&t.f, ac1, 0x0777);
	feed(&t.disc, &t.f, 1, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_WRONG_AC);
	make_padt(&t.f, ac2, 0x0777);
	feed(&t.disc, &t.f, 2, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_TERMINATED);
	ck_assert_int_eq(t.disc.state, DISCOVERY_DONE);
}
END_TEST

START_TEST(test_build_padt)
{
	size_t len;

	config_default(&t.cfg);
	discovery_init(&t.disc, &t.cfg);
	discovery_resume_session(&t.disc, 0x0777, ac2);
	len = discovery_build_padt(&t.disc, 0x0777, ac2, "User request", t.ev.send, sizeof(t.ev.send));
	ck_assert_uint_eq(len, 20 + 8 + 16);
	t.ev.send_len = len;
	check_sent_header(&t.ev, ac2, 0x8863, PPPOE_CODE_PADT, 0x0777);
	check_sent_tag(&t.ev, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	check_sent_tag(&t.ev, PPPOE_TAG_GENERIC_ERROR, "User request", 12);
	ck_assert_uint_eq(sent_tag_count(&t.ev, PPPOE_TAG_RELAY_SESSION_ID), 0);

	/* Without Host-Uniq or reason: a bare 20-byte PADT. */
	t.cfg.host_uniq = NULL;
	discovery_init(&t.disc, &t.cfg);
	len = discovery_build_padt(&t.disc, 1, ac1, NULL, t.ev.send, sizeof(t.ev.send));
	ck_assert_uint_eq(len, 20);
	ck_assert_uint_eq(discovery_build_padt(&t.disc, 1, ac1, NULL, t.ev.send, 19), 0);
	ck_assert_uint_eq(discovery_build_padt(&t.disc, 1, ac1, "x", t.ev.send, 24), 0);
	ck_assert_uint_eq(discovery_build_padt(&t.disc, 1, ac1, "x", t.ev.send, 25), 25);
}
END_TEST

/* ---- list mode ---- */

START_TEST(test_list_only)
{
	t.cfg.list_only = true;
	start_at(&t.disc, &t.cfg, 0, &t.ev);

	make_pado(&t.f, ac1, "BRAS-A");
	feed(&t.disc, &t.f, 1, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_PADO);
	ck_assert(t.ev.accepted);
	ck_assert_uint_eq(t.ev.send_len, 0);
	ck_assert_mem_eq(t.ev.message.ac_name.value, "BRAS-A", 6);

	make_pado(&t.f, ac2, "BRAS-B");
	feed(&t.disc, &t.f, 2, &t.ev);
	ck_assert(t.ev.accepted);
	ck_assert_uint_eq(t.ev.send_len, 0);
	ck_assert_mem_eq(t.ev.message.frame.source, ac2, 6);

	/* The same AC answering a retransmitted PADI is listed again. */
	make_pado(&t.f, ac1, "BRAS-A");
	feed(&t.disc, &t.f, 3, &t.ev);
	ck_assert(t.ev.accepted);

	pado_begin(&t.f, other_host, "BRAS-C");
	raw_tag_text(&t.f, PPPOE_TAG_AC_SYSTEM_ERROR, "full");
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 4, &t.ev);
	check_rejected(&t.ev, DISCOVERY_REJECT_ERROR_TAG);

	ck_assert_int_eq(t.disc.state, DISCOVERY_WAIT_PADO);
	ck_assert_uint_eq(t.disc.counters.pado_seen, 4);
	ck_assert_uint_eq(t.disc.counters.pado_rejected, 1);

	discovery_handle_timeout(&t.disc, 4999, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_NONE);
	discovery_handle_timeout(&t.disc, 5000, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_LIST_COMPLETE);
	ck_assert_uint_eq(t.ev.send_len, 0);
	ck_assert_int_eq(t.disc.state, DISCOVERY_DONE);
	ck_assert_uint_eq(discovery_deadline(&t.disc), DISCOVERY_NO_DEADLINE);
}
END_TEST

/* ---- hostile input ---- */

START_TEST(test_idle_ignores_everything)
{
	discovery_init(&t.disc, &t.cfg);
	make_pado(&t.f, ac1, "BRAS");
	feed(&t.disc, &t.f, 1, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_UNEXPECTED_CODE);
	make_pads(&t.f, ac1, 5);
	feed(&t.disc, &t.f, 1, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_UNEXPECTED_CODE);
	ck_assert_int_eq(t.disc.state, DISCOVERY_IDLE);
	ck_assert_uint_eq(t.disc.counters.pado_seen, 0);
}
END_TEST

START_TEST(test_event_reset)
{
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	ck_assert_uint_gt(t.ev.send_len, 0);
	/* Whatever the last call left, the next event starts clean. */
	t.ev.accepted = true;
	t.ev.rejected = DISCOVERY_REJECT_SERVICE;
	t.ev.failure = DISCOVERY_FAILURE_NO_PADS;
	t.ev.has_message = true;
	frame_to_us(&t.f, ac1, PPPOE_CODE_PADO, 0);
	t.f.len = 10;
	feed(&t.disc, &t.f, 1, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_MALFORMED);
	ck_assert_uint_eq(t.ev.attempt, 0);
	ck_assert(!t.ev.accepted);
	ck_assert_int_eq(t.ev.rejected, DISCOVERY_REJECT_NONE);
	ck_assert_int_eq(t.ev.failure, DISCOVERY_FAILURE_NONE);
	ck_assert(!t.ev.has_message);
	ck_assert_ptr_null(t.ev.message.frame.payload);
}
END_TEST

/* Every strict prefix of a valid frame is ignored as malformed, state untouched. */
static void check_truncations(struct discovery *disc, const struct raw_frame *f)
{
	enum discovery_state state = disc->state;
	uint64_t malformed = disc->counters.ignored[DISCOVERY_IGNORE_MALFORMED];
	struct discovery_event ev;
	size_t len;

	for (len = 0; len < f->len; len++) {
		feed_exact(disc, f->bytes, len, 1, &ev);
		check_ignored(&ev, DISCOVERY_IGNORE_MALFORMED);
		ck_assert_int_eq(disc->state, state);
	}
	ck_assert_uint_eq(disc->counters.ignored[DISCOVERY_IGNORE_MALFORMED], malformed + f->len);
}

START_TEST(test_truncated_frames)
{
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	pado_begin(&t.f, ac1, "BRAS");
	raw_tag_text(&t.f, PPPOE_TAG_AC_COOKIE, "cookie");
	raw_tag_text(&t.f, PPPOE_TAG_RELAY_SESSION_ID, "relay");
	raw_finish(&t.f);
	check_truncations(&t.disc, &t.f);
	feed_exact(&t.disc, t.f.bytes, t.f.len, 1, &t.ev);
	ck_assert(t.ev.accepted);

	make_pads(&t.f, ac1, 9);
	check_truncations(&t.disc, &t.f);
	feed_exact(&t.disc, t.f.bytes, t.f.len, 1, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_SESSION_UP);

	frame_to_us(&t.f, ac1, PPPOE_CODE_PADT, 9);
	raw_tag_text(&t.f, PPPOE_TAG_GENERIC_ERROR, "bye");
	raw_finish(&t.f);
	check_truncations(&t.disc, &t.f);
	feed_exact(&t.disc, t.f.bytes, t.f.len, 1, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_TERMINATED);
}
END_TEST

START_TEST(test_malformed_tags_ignored)
{
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	/* A good PADO followed by two stray bytes inside the PPPoE length. */
	pado_begin(&t.f, ac1, "BRAS");
	t.f.bytes[t.f.len++] = 0x01;
	t.f.bytes[t.f.len++] = 0x04;
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 1, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_MALFORMED);
	ck_assert_uint_eq(t.disc.counters.pado_seen, 0);

	/* A tag whose value runs past the PPPoE length. */
	make_pado(&t.f, ac1, "BRAS");
	t.f.bytes[23] = 0x40;
	feed(&t.disc, &t.f, 2, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_MALFORMED);

	/* Bad version. */
	make_pado(&t.f, ac1, "BRAS");
	t.f.bytes[14] = 0x12;
	feed(&t.disc, &t.f, 3, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_MALFORMED);
	ck_assert_uint_eq(t.disc.counters.ignored[DISCOVERY_IGNORE_MALFORMED], 3);
	ck_assert_int_eq(t.disc.state, DISCOVERY_WAIT_PADO);
}
END_TEST

START_TEST(test_pado_flood)
{
	uint32_t seed = 12345;
	unsigned i;

	config_default(&t.cfg);
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	for (i = 0; i < 10000; i++) {
		uint8_t source[PPPOE_MAC_LEN];
		uint8_t wrong[4];
		size_t k;

		for (k = 0; k < sizeof(source); k++)
			source[k] = (uint8_t)next_random(&seed);
		for (k = 0; k < sizeof(wrong); k++)
			wrong[k] = (uint8_t)next_random(&seed);
		/* A guess that happens to be right would be accepted, rightly. */
		if (memcmp(wrong, host_uniq, sizeof(wrong)) == 0)
			wrong[0] ^= 1;
		frame_to_us(&t.f, source, PPPOE_CODE_PADO, 0);
		raw_tag_text(&t.f, PPPOE_TAG_AC_NAME, "flood");
		raw_tag_text(&t.f, PPPOE_TAG_SERVICE_NAME, "");
		if (i % 3 != 0)
			raw_tag(&t.f, PPPOE_TAG_HOST_UNIQ, wrong, sizeof(wrong));
		raw_tag_text(&t.f, PPPOE_TAG_AC_COOKIE, "junk");
		raw_finish(&t.f);
		feed(&t.disc, &t.f, i, &t.ev);
		ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_IGNORED);
		ck_assert_int_eq(t.ev.ignored, DISCOVERY_IGNORE_WRONG_HOST_UNIQ);
	}
	ck_assert_uint_eq(t.disc.counters.ignored[DISCOVERY_IGNORE_WRONG_HOST_UNIQ], 10000);
	ck_assert_uint_eq(t.disc.counters.pado_seen, 0);
	ck_assert_int_eq(t.disc.state, DISCOVERY_WAIT_PADO);
	ck_assert_uint_eq(discovery_deadline(&t.disc), 5000);

	make_pado(&t.f, ac2, "real");
	feed(&t.disc, &t.f, 10000, &t.ev);
	ck_assert(t.ev.accepted);
	check_sent_header(&t.ev, ac2, 0x8863, PPPOE_CODE_PADR, 0);
	ck_assert_uint_eq(sent_tag_count(&t.ev, PPPOE_TAG_AC_COOKIE), 0);
}
END_TEST

START_TEST(test_mutated_frames)
{
	struct raw_frame good;
	struct raw_frame f;
	uint32_t seed = 777;
	unsigned i;

	/* Random byte damage to a PADS: never a crash, never a bogus session. */
	config_default(&t.cfg);
	frame_to_us(&good, ac1, PPPOE_CODE_PADS, 0x0010);
	raw_tag_text(&good, PPPOE_TAG_SERVICE_NAME, "");
	raw_tag(&good, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	raw_tag(&good, PPPOE_TAG_PPP_MAX_PAYLOAD, "\x05\xdc", 2);
	raw_finish(&good);
	for (i = 0; i < 20000; i++) {
		unsigned flips = 1 + next_random(&seed) % 4;
		size_t len = good.len;

		reach_wait_pads(&t.disc, &t.cfg, &t.ev);
		f = good;
		while (flips--)
			f.bytes[next_random(&seed) % good.len] = (uint8_t)next_random(&seed);
		if (next_random(&seed) % 4 == 0)
			len = next_random(&seed) % (good.len + 1);
		feed_exact(&t.disc, f.bytes, len, 300, &t.ev);
		if (t.ev.type == DISCOVERY_EVENT_SESSION_UP) {
			ck_assert_uint_ne(t.disc.session_id, 0);
			ck_assert_mem_eq(f.bytes + 6, ac1, 6);
			ck_assert_mem_eq(f.bytes, our_mac, 6);
			ck_assert_int_eq(t.disc.state, DISCOVERY_SESSION);
		} else if (t.ev.type == DISCOVERY_EVENT_FAILED) {
			ck_assert_int_eq(t.disc.state, DISCOVERY_DONE);
		} else {
			ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_IGNORED);
			ck_assert_int_eq(t.disc.state, DISCOVERY_WAIT_PADS);
		}
	}
}
END_TEST

/* ---- names ---- */

START_TEST(test_names)
{
	int a, b;

	ck_assert_str_eq(discovery_failure_name(DISCOVERY_FAILURE_NO_PADO),
			 "no PADO from any access concentrator");
	ck_assert_str_eq(discovery_failure_name(DISCOVERY_FAILURE_SERVICE_NAME_ERROR),
			 "Service-Name-Error in PADS");
	for (a = DISCOVERY_IGNORE_NONE; a < DISCOVERY_IGNORE_COUNT; a++) {
		ck_assert_str_ne(discovery_ignore_reason_name(a), "unknown");
		for (b = a + 1; b < DISCOVERY_IGNORE_COUNT; b++)
			ck_assert_str_ne(discovery_ignore_reason_name(a),
					 discovery_ignore_reason_name(b));
	}
	for (a = DISCOVERY_REJECT_NONE; a <= DISCOVERY_REJECT_TOO_LONG; a++) {
		ck_assert_str_ne(discovery_reject_reason_name(a), "unknown");
		for (b = a + 1; b <= DISCOVERY_REJECT_TOO_LONG; b++)
			ck_assert_str_ne(discovery_reject_reason_name(a),
					 discovery_reject_reason_name(b));
	}
	for (a = DISCOVERY_FAILURE_NONE; a <= DISCOVERY_FAILURE_CONFIG_TOO_LONG; a++) {
		ck_assert_str_ne(discovery_failure_name(a), "unknown");
		for (b = a + 1; b <= DISCOVERY_FAILURE_CONFIG_TOO_LONG; b++)
			ck_assert_str_ne(discovery_failure_name(a), discovery_failure_name(b));
	}
	ck_assert_str_eq(discovery_ignore_reason_name(DISCOVERY_IGNORE_COUNT), "unknown");
	ck_assert_str_eq(discovery_failure_name((enum discovery_failure)99), "unknown");
}
END_TEST

static Suite *discovery_suite(void)
{
	Suite *suite = suite_create("discovery");
	TCase *setup = tcase_create("setup");
	TCase *exchange = tcase_create("exchange");
	TCase *choice = tcase_create("choosing an AC");
	TCase *timeouts = tcase_create("timeouts");
	TCase *pads = tcase_create("PADS");
	TCase *session = tcase_create("session");
	TCase *hostile = tcase_create("hostile input");

	tcase_add_checked_fixture(setup, fixture_setup, NULL);
	tcase_add_checked_fixture(exchange, fixture_setup, NULL);
	tcase_add_checked_fixture(choice, fixture_setup, NULL);
	tcase_add_checked_fixture(timeouts, fixture_setup, NULL);
	tcase_add_checked_fixture(pads, fixture_setup, NULL);
	tcase_add_checked_fixture(session, fixture_setup, NULL);
	tcase_add_checked_fixture(hostile, fixture_setup, NULL);

	tcase_add_test(setup, test_config_defaults);
	tcase_add_test(setup, test_init);
	tcase_add_test(setup, test_padi_bytes);
	tcase_add_test(setup, test_padi_service_no_host_uniq);
	tcase_add_test(setup, test_padi_too_long);
	tcase_add_test(setup, test_names);
	suite_add_tcase(suite, setup);

	tcase_add_test(exchange, test_happy_path);
	tcase_add_test(exchange, test_cookie_and_relay_echoed);
	tcase_add_test(exchange, test_empty_cookie_echoed);
	tcase_add_test(exchange, test_host_uniq_mismatch);
	tcase_add_test(exchange, test_host_uniq_unexpected);
	tcase_add_test(exchange, test_pads_host_uniq_mismatch);
	tcase_add_test(exchange, test_custom_ethertypes);
	tcase_add_test(exchange, test_list_only);
	suite_add_tcase(suite, exchange);

	tcase_add_test(choice, test_ac_mac_filter);
	tcase_add_test(choice, test_ac_name_filter);
	tcase_add_test(choice, test_service_filter);
	tcase_add_test(choice, test_pado_error_tag_then_good);
	tcase_add_test(choice, test_pado_bad_source);
	tcase_add_test(choice, test_pado_cookie_too_long);
	tcase_add_test(choice, test_pado_while_waiting_pads);
	suite_add_tcase(suite, choice);

	tcase_add_test(timeouts, test_padi_backoff_and_failure);
	tcase_add_test(timeouts, test_backoff_cap);
	tcase_add_test(timeouts, test_single_attempt);
	tcase_add_test(timeouts, test_padr_retries_then_no_pads);
	tcase_add_test(timeouts, test_timeout_outside_waits);
	tcase_add_test(timeouts, test_deadline_saturates);
	suite_add_tcase(suite, timeouts);

	tcase_add_test(pads, test_pads_wrong_ac);
	tcase_add_loop_test(pads, test_pads_error_tags, 0, 3);
	tcase_add_test(pads, test_pads_error_with_session);
	tcase_add_test(pads, test_pads_zero_session);
	tcase_add_test(pads, test_ppp_max_payload);
	tcase_add_test(pads, test_ppp_max_payload_not_asked);
	suite_add_tcase(suite, pads);

	tcase_add_test(session, test_padt_checks);
	tcase_add_test(session, test_padm_message);
	tcase_add_test(session, test_padn_message);
	tcase_add_test(session, test_padt_padm_while_waiting_pads);
	tcase_add_test(session, test_resume_session);
	tcase_add_test(session, test_build_padt);
	suite_add_tcase(suite, session);

	tcase_add_test(hostile, test_not_to_us);
	tcase_add_test(hostile, test_other_ethertypes);
	tcase_add_test(hostile, test_idle_ignores_everything);
	tcase_add_test(hostile, test_event_reset);
	tcase_add_test(hostile, test_truncated_frames);
	tcase_add_test(hostile, test_malformed_tags_ignored);
	tcase_add_test(hostile, test_pado_flood);
	tcase_add_test(hostile, test_mutated_frames);
	/* The flood and mutation loops are slow under sanitizers. */
	tcase_set_timeout(hostile, 60);
	suite_add_tcase(suite, hostile);

	return suite;
}

int main(void)
{
	return check_main_run(discovery_suite());
}
