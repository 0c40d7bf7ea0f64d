/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target for src/pppoe.c (discovery frame parser) and src/discovery.c
 * (the state machine).  The input picks a configuration (Host-Uniq, AC-Name
 * and AC MAC filters, Service-Name, list mode, RFC 4638, odd ethertypes,
 * retries, timeouts), a starting state (idle, PADI sent, PADR sent after an
 * offer built here, in a session after a PADS built here, resumed session),
 * then a sequence of steps: a received frame, the deadline firing, the clock
 * moving on, or building a PADT.  After every step:
 *   - the state moved only along RFC 2516's edges, with the event that
 *     belongs to that edge; counters moved with the event;
 *   - an accepted offer passes every filter of the configuration, checked
 *     here from the frame's own tags; a session has a nonzero id and the
 *     chosen AC's MAC; only the chosen AC ends it, for our session id;
 *   - every frame the machine asks to send parses back with the codec and
 *     says what it should (PADI broadcast, PADR to the AC with its cookie,
 *     our Service-Name and Host-Uniq, PADT with the session id);
 *   - whatever the parser returns points inside the received frame.
 *
 * Input: flags (1), start (1), our MAC (6), AC MAC (6), PADI and PADR
 * attempts (1 + 1), timeout (4), PPP-Max-Payload (2), session id (2), clock
 * (4), lengths of Host-Uniq (2), AC-Name (1), Service-Name (2) and their
 * bytes; then steps: kind (1), and for frames and PADTs a record (2-byte
 * length and bytes).
 */
#include "fuzz_input.h"

#include "byte_order.h"
#include "discovery.h"
#include "pppoe.h"

#define FLAG_HOST_UNIQ 0x01
#define FLAG_AC_NAME 0x02
#define FLAG_AC_MAC 0x04
#define FLAG_LIST_ONLY 0x08
#define FLAG_MAX_PAYLOAD 0x10
#define FLAG_ODD_ETHERTYPES 0x20
#define FLAG_SERVICE 0x40
#define FLAG_LATE_CLOCK 0x80

enum start {
	START_IDLE,
	START_PADI_SENT,
	START_PADR_SENT,
	START_SESSION,
	START_RESUMED,
	START_COUNT,
};

enum step {
	STEP_FRAME,
	STEP_DEADLINE,
	STEP_CLOCK,
	STEP_PADT,
	STEP_COUNT,
};

/* Long enough for the PADI to overflow a standard frame (CONFIG_TOO_LONG). */
#define CONFIG_VALUE_MAX 1600
#define STEPS_MAX 64

static const uint8_t fuzz_cookie[] = { 0xc0, 0x0c, 0x1e, 0x5a };
static const uint8_t fuzz_relay_id[] = { 0x52, 0x49, 0x44 };
static const uint8_t fuzz_ac_name[] = "fuzz-ac";

struct harness {
	struct discovery disc;
	struct discovery_config cfg;
	struct discovery_event ev;
	uint8_t ac_mac[PPPOE_MAC_LEN];  /* where offers built here come from */
	uint64_t now;
	unsigned frames_fed;
};

static bool tag_is(const struct pppoe_tag *tag, const uint8_t *value, size_t len)
{
	return tag->value && tag->length == len && (len == 0 || memcmp(tag->value, value, len) == 0);
}

static bool host_uniq_ok(const struct discovery_config *cfg, const struct pppoe_discovery *msg)
{
	if (!cfg->host_uniq)
		return msg->host_uniq.value == NULL;
	return tag_is(&msg->host_uniq, cfg->host_uniq, cfg->host_uniq_len);
}

static bool is_unicast(const uint8_t *mac)
{
	static const uint8_t zero[PPPOE_MAC_LEN];

	return !(mac[0] & 1) && memcmp(mac, zero, PPPOE_MAC_LEN) != 0;
}

/* Our own walk of the tags: is the requested service among those offered? */
static bool offers_service(const struct pppoe_discovery *msg, const uint8_t *name, size_t len)
{
	const uint8_t *p = msg->frame.payload, *end = p + msg->frame.payload_len;

	if (len == 0)
		return true;
	while (end - p >= 4) {
		uint16_t type = get_be16(p), length = get_be16(p + 2);

		if (type == PPPOE_TAG_END_OF_LIST || length > end - p - 4)
			break;
		if (type == PPPOE_TAG_SERVICE_NAME && length == len && memcmp(p + 4, name, len) == 0)
			return true;
		p += 4 + length;
	}
	return false;
}

static void check_inside(const uint8_t *p, size_t n, const uint8_t *start, size_t len)
{
	if (!p)
		return;
	FUZZ_CHECK(p >= start && n <= len && (size_t)(p - start) <= len - n);
}

/* Everything the parser hands back lies within what was received. */
static void check_parsed(const struct pppoe_discovery *msg, const uint8_t *frame, size_t len)
{
	const struct pppoe_frame *f = &msg->frame;
	const struct pppoe_tag *tags[] = { &msg->service_name, &msg->ac_name, &msg->host_uniq,
					   &msg->ac_cookie, &msg->relay_session_id,
					   &msg->ppp_max_payload, &msg->hurl, &msg->motm,
					   &msg->error };

	check_inside(f->dest, PPPOE_MAC_LEN, frame, len);
	check_inside(f->source, PPPOE_MAC_LEN, frame, len);
	check_inside(f->payload, f->payload_len, frame, len);
	FUZZ_CHECK(f->payload == frame + PPPOE_FRAME_HEADER_LEN);
	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
		check_inside(tags[i]->value, tags[i]->length, f->payload, f->payload_len);
	FUZZ_CHECK(pppoe_code_name(f->code) != NULL);
}

/* The codec on its own: header parse, discovery parse, tag cursor. */
static void check_codec(const uint8_t *frame, size_t len, const struct pppoe_ethertypes *types)
{
	struct pppoe_frame header;
	struct pppoe_discovery msg;
	struct pppoe_tag_cursor cursor;
	struct pppoe_tag tag;
	enum pppoe_parse_status status = pppoe_frame_parse(frame, len, types, &header);
	enum pppoe_tag_status tag_status;
	unsigned tags = 0;

	FUZZ_CHECK(pppoe_parse_status_name(status) != NULL);
	if (status == PPPOE_PARSE_OK) {
		FUZZ_CHECK(len >= PPPOE_FRAME_HEADER_LEN);
		FUZZ_CHECK(header.payload_len <= len - PPPOE_FRAME_HEADER_LEN);
		FUZZ_CHECK(header.ethertype == types->discovery || header.ethertype == types->session);
		FUZZ_CHECK(header.payload_len == get_be16(frame + 18));
	}
	status = pppoe_discovery_parse(frame, len, types, &msg);
	if (status != PPPOE_PARSE_OK)
		return;
	check_parsed(&msg, frame, len);
	FUZZ_CHECK(msg.frame.ethertype == types->discovery);
	pppoe_tags_begin(&cursor, msg.frame.payload, msg.frame.payload_len);
	while ((tag_status = pppoe_tags_next(&cursor, &tag)) == PPPOE_TAG_FOUND) {
		check_inside(tag.value, tag.length, msg.frame.payload, msg.frame.payload_len);
		FUZZ_CHECK(pppoe_tag_name(tag.type) != NULL);
		FUZZ_CHECK(++tags <= msg.frame.payload_len / 4);
	}
	/* The parse said OK, so the list may not turn out malformed on a second walk. */
	FUZZ_CHECK(tag_status == PPPOE_TAG_LIST_END);
	FUZZ_CHECK(msg.service_name_count <= tags);
}

/* A frame the machine wants sent: it must parse back and say the right thing. */
static void check_sent(const struct harness *h, const struct discovery_event *ev)
{
	const struct discovery *disc = &h->disc;
	const struct discovery_config *cfg = &h->cfg;
	struct pppoe_discovery msg;
	size_t service_len = cfg->service_name ? cfg->service_name_len : 0;

	if (ev->send_len == 0)
		return;
	FUZZ_CHECK(ev->send_len >= PPPOE_FRAME_HEADER_LEN && ev->send_len <= sizeof(ev->send));
	FUZZ_CHECK(pppoe_discovery_parse(ev->send, ev->send_len, &cfg->ethertypes, &msg) ==
		   PPPOE_PARSE_OK);
	check_parsed(&msg, ev->send, ev->send_len);
	FUZZ_CHECK((size_t)msg.frame.payload_len + PPPOE_FRAME_HEADER_LEN == ev->send_len);
	FUZZ_CHECK(memcmp(msg.frame.source, cfg->our_mac, PPPOE_MAC_LEN) == 0);

	switch (msg.frame.code) {
	case PPPOE_CODE_PADI:
	case PPPOE_CODE_PADR:
		FUZZ_CHECK(msg.frame.session_id == 0);
		FUZZ_CHECK(msg.service_name_count == 1);
		FUZZ_CHECK(tag_is(&msg.service_name, cfg->service_name, service_len));
		FUZZ_CHECK(host_uniq_ok(cfg, &msg));
		if (cfg->ppp_max_payload > PPPOE_STANDARD_MTU)
			FUZZ_CHECK(msg.ppp_max_payload.length == 2 &&
				   get_be16(msg.ppp_max_payload.value) == cfg->ppp_max_payload);
		else
			FUZZ_CHECK(msg.ppp_max_payload.value == NULL);
		if (msg.frame.code == PPPOE_CODE_PADI) {
			FUZZ_CHECK(memcmp(msg.frame.dest, pppoe_broadcast_mac, PPPOE_MAC_LEN) == 0);
			FUZZ_CHECK(disc->state == DISCOVERY_WAIT_PADO);
			break;
		}
		FUZZ_CHECK(memcmp(msg.frame.dest, disc->ac_mac, PPPOE_MAC_LEN) == 0);
		FUZZ_CHECK(disc->state == DISCOVERY_WAIT_PADS);
		FUZZ_CHECK(disc->has_cookie ? tag_is(&msg.ac_cookie, disc->cookie, disc->cookie_len)
					    : msg.ac_cookie.value == NULL);
		FUZZ_CHECK(disc->has_relay_session_id
				   ? tag_is(&msg.relay_session_id, disc->relay_session_id,
					    disc->relay_session_id_len)
				   : msg.relay_session_id.value == NULL);
		break;
	case PPPOE_CODE_PADT:
		FUZZ_CHECK(msg.frame.session_id != 0);
		FUZZ_CHECK(memcmp(msg.frame.dest, disc->ac_mac, PPPOE_MAC_LEN) == 0);
		break;
	default:
		FUZZ_CHECK(!"asked to send a frame that is neither PADI, PADR nor PADT");
	}
}

/* What holds between any two steps. */
static void check_state(const struct harness *h)
{
	const struct discovery *disc = &h->disc;
	const struct discovery_counters *c = &disc->counters;
	unsigned max_attempts = h->cfg.padi_attempts > h->cfg.padr_attempts
					? h->cfg.padi_attempts : h->cfg.padr_attempts;
	uint64_t ignored = 0;

	FUZZ_CHECK(disc->state <= DISCOVERY_DONE);
	FUZZ_CHECK(disc->attempt <= max_attempts);
	FUZZ_CHECK(disc->ac_name_len <= DISCOVERY_TAG_VALUE_MAX);
	FUZZ_CHECK(disc->cookie_len <= DISCOVERY_TAG_VALUE_MAX);
	FUZZ_CHECK(disc->relay_session_id_len <= DISCOVERY_TAG_VALUE_MAX);
	FUZZ_CHECK(c->pado_rejected <= c->pado_seen);
	FUZZ_CHECK(c->ignored[DISCOVERY_IGNORE_NONE] == 0);
	for (int i = 0; i < DISCOVERY_IGNORE_COUNT; i++)
		ignored += c->ignored[i];
	FUZZ_CHECK(ignored + c->pado_seen <= h->frames_fed);
	if (disc->state == DISCOVERY_SESSION)
		FUZZ_CHECK(disc->session_id != 0);
	if (disc->state == DISCOVERY_WAIT_PADO || disc->state == DISCOVERY_WAIT_PADS) {
		FUZZ_CHECK(discovery_deadline(disc) != DISCOVERY_NO_DEADLINE);
		FUZZ_CHECK(disc->attempt >= 1);
	} else {
		FUZZ_CHECK(discovery_deadline(disc) == DISCOVERY_NO_DEADLINE);
	}
}

static void check_frame_event(const struct harness *h, enum discovery_state before,
			      const struct discovery_counters *counters_before,
			      const uint8_t *frame, size_t len)
{
	const struct discovery *disc = &h->disc;
	const struct discovery_event *ev = &h->ev;
	const struct pppoe_discovery *msg = &ev->message;
	const struct discovery_counters *c = &disc->counters;
	uint64_t ignored_before = 0, ignored_after = 0;

	for (int i = 0; i < DISCOVERY_IGNORE_COUNT; i++) {
		ignored_before += counters_before->ignored[i];
		ignored_after += c->ignored[i];
	}
	if (ev->has_message)
		check_parsed(msg, frame, len);
	FUZZ_CHECK(discovery_ignore_reason_name(ev->ignored) != NULL);
	FUZZ_CHECK(discovery_reject_reason_name(ev->rejected) != NULL);
	FUZZ_CHECK(discovery_failure_name(ev->failure) != NULL);

	switch (ev->type) {
	case DISCOVERY_EVENT_IGNORED:
		FUZZ_CHECK(ev->ignored > DISCOVERY_IGNORE_NONE && ev->ignored < DISCOVERY_IGNORE_COUNT);
		FUZZ_CHECK(c->ignored[ev->ignored] == counters_before->ignored[ev->ignored] + 1);
		FUZZ_CHECK(ignored_after == ignored_before + 1);
		FUZZ_CHECK(disc->state == before && ev->send_len == 0);
		return;
	case DISCOVERY_EVENT_PADO:
		FUZZ_CHECK(before == DISCOVERY_WAIT_PADO && ev->has_message);
		FUZZ_CHECK(msg->frame.code == PPPOE_CODE_PADO);
		FUZZ_CHECK(c->pado_seen == counters_before->pado_seen + 1);
		FUZZ_CHECK(host_uniq_ok(&h->cfg, msg));
		if (!ev->accepted) {
			FUZZ_CHECK(ev->rejected != DISCOVERY_REJECT_NONE);
			FUZZ_CHECK(c->pado_rejected == counters_before->pado_rejected + 1);
			FUZZ_CHECK(disc->state == DISCOVERY_WAIT_PADO && ev->send_len == 0);
			break;
		}
		/* Accepted: every filter of the configuration holds for this offer. */
		FUZZ_CHECK(ev->rejected == DISCOVERY_REJECT_NONE);
		FUZZ_CHECK(is_unicast(msg->frame.source));
		if (h->cfg.ac_mac)
			FUZZ_CHECK(memcmp(msg->frame.source, h->cfg.ac_mac, PPPOE_MAC_LEN) == 0);
		if (h->cfg.ac_name)
			FUZZ_CHECK(tag_is(&msg->ac_name, h->cfg.ac_name, h->cfg.ac_name_len));
		FUZZ_CHECK(msg->error.value == NULL);
		FUZZ_CHECK(offers_service(msg, h->cfg.service_name,
					  h->cfg.service_name ? h->cfg.service_name_len : 0));
		if (h->cfg.list_only) {
			FUZZ_CHECK(disc->state == DISCOVERY_WAIT_PADO && ev->send_len == 0);
			break;
		}
		FUZZ_CHECK(disc->state == DISCOVERY_WAIT_PADS && ev->send_len > 0);
		FUZZ_CHECK(memcmp(disc->ac_mac, msg->frame.source, PPPOE_MAC_LEN) == 0);
		FUZZ_CHECK(disc->attempt == 1 && ev->attempt == 1);
		FUZZ_CHECK(disc->has_cookie == (msg->ac_cookie.value != NULL));
		FUZZ_CHECK(ev->send[15] == PPPOE_CODE_PADR);
		break;
	case DISCOVERY_EVENT_SESSION_UP:
		FUZZ_CHECK(before == DISCOVERY_WAIT_PADS && disc->state == DISCOVERY_SESSION);
		FUZZ_CHECK(ev->has_message && msg->frame.code == PPPOE_CODE_PADS);
		FUZZ_CHECK(msg->frame.session_id != 0 && disc->session_id == msg->frame.session_id);
		FUZZ_CHECK(memcmp(msg->frame.source, disc->ac_mac, PPPOE_MAC_LEN) == 0);
		FUZZ_CHECK(host_uniq_ok(&h->cfg, msg) && msg->error.value == NULL);
		FUZZ_CHECK(ev->send_len == 0);
		break;
	case DISCOVERY_EVENT_FAILED:
		FUZZ_CHECK(before == DISCOVERY_WAIT_PADS && disc->state == DISCOVERY_DONE);
		FUZZ_CHECK(ev->has_message && msg->frame.code == PPPOE_CODE_PADS);
		FUZZ_CHECK(memcmp(msg->frame.source, disc->ac_mac, PPPOE_MAC_LEN) == 0);
		FUZZ_CHECK(host_uniq_ok(&h->cfg, msg));
		if (msg->error.value) {
			FUZZ_CHECK(ev->failure == DISCOVERY_FAILURE_SERVICE_NAME_ERROR ||
				   ev->failure == DISCOVERY_FAILURE_AC_SYSTEM_ERROR ||
				   ev->failure == DISCOVERY_FAILURE_GENERIC_ERROR);
			/* An AC that allocated a session anyway is told to drop it. */
			if (msg->frame.session_id != 0)
				FUZZ_CHECK(ev->send_len > 0 && ev->send[15] == PPPOE_CODE_PADT &&
					   get_be16(ev->send + 16) == msg->frame.session_id);
		} else {
			FUZZ_CHECK(ev->failure == DISCOVERY_FAILURE_ZERO_SESSION);
			FUZZ_CHECK(msg->frame.session_id == 0 && ev->send_len == 0);
		}
		break;
	case DISCOVERY_EVENT_TERMINATED:
	case DISCOVERY_EVENT_MESSAGE:
		FUZZ_CHECK(before == DISCOVERY_SESSION && ev->has_message);
		FUZZ_CHECK(memcmp(msg->frame.source, disc->ac_mac, PPPOE_MAC_LEN) == 0);
		FUZZ_CHECK(msg->frame.session_id == disc->session_id);
		FUZZ_CHECK(ev->send_len == 0);
		if (ev->type == DISCOVERY_EVENT_TERMINATED)
			FUZZ_CHECK(msg->frame.code == PPPOE_CODE_PADT &&
				   disc->state == DISCOVERY_DONE);
		else
			FUZZ_CHECK((msg->frame.code == PPPOE_CODE_PADM ||
				    msg->frame.code == PPPOE_CODE_PADN) &&
				   disc->state == DISCOVERY_SESSION);
		break;
	default:
		FUZZ_CHECK(!"a frame gave an event a frame cannot give");
	}
	/* Only IGNORED counts as ignored; only PADO counts offers. */
	FUZZ_CHECK(ignored_after == ignored_before);
	if (ev->type != DISCOVERY_EVENT_PADO)
		FUZZ_CHECK(c->pado_seen == counters_before->pado_seen);
	/* Only these edges move the state. */
	if (disc->state != before)
		FUZZ_CHECK((before == DISCOVERY_WAIT_PADO && disc->state == DISCOVERY_WAIT_PADS) ||
			   (before == DISCOVERY_WAIT_PADS && disc->state != DISCOVERY_WAIT_PADO) ||
			   (before == DISCOVERY_SESSION && disc->state == DISCOVERY_DONE));
}

static void feed_frame(struct harness *h, const uint8_t *bytes, size_t len)
{
	enum discovery_state before = h->disc.state;
	struct discovery_counters counters = h->disc.counters;
	/* An exact-size copy: a read past the received frame is caught. */
	uint8_t *frame = fuzz_copy(bytes, len, 0);

	check_codec(frame, len, &h->cfg.ethertypes);
	h->frames_fed++;
	discovery_handle_frame(&h->disc, frame, len, h->now, &h->ev);
	check_frame_event(h, before, &counters, frame, len);
	check_sent(h, &h->ev);
	check_state(h);
	free(frame);
}

static void fire_timeout(struct harness *h)
{
	enum discovery_state before = h->disc.state;
	unsigned attempt = h->disc.attempt;
	uint64_t deadline = discovery_deadline(&h->disc);

	discovery_handle_timeout(&h->disc, h->now, &h->ev);
	check_sent(h, &h->ev);
	check_state(h);
	switch (h->ev.type) {
	case DISCOVERY_EVENT_NONE:
		FUZZ_CHECK(h->disc.state == before && h->ev.send_len == 0);
		FUZZ_CHECK((before != DISCOVERY_WAIT_PADO && before != DISCOVERY_WAIT_PADS) ||
			   h->now < deadline);
		break;
	case DISCOVERY_EVENT_SENT:
		FUZZ_CHECK(h->disc.state == before && h->ev.send_len > 0);
		FUZZ_CHECK(h->disc.attempt == attempt + 1 && h->ev.attempt == h->disc.attempt);
		FUZZ_CHECK(h->ev.send[15] ==
			   (before == DISCOVERY_WAIT_PADO ? PPPOE_CODE_PADI : PPPOE_CODE_PADR));
		FUZZ_CHECK(discovery_deadline(&h->disc) >= h->now);
		break;
	case DISCOVERY_EVENT_FAILED:
		FUZZ_CHECK(h->disc.state == DISCOVERY_DONE && h->now >= deadline);
		FUZZ_CHECK((before == DISCOVERY_WAIT_PADO &&
			    h->ev.failure == DISCOVERY_FAILURE_NO_PADO &&
			    attempt >= h->cfg.padi_attempts) ||
			   (before == DISCOVERY_WAIT_PADS &&
			    h->ev.failure == DISCOVERY_FAILURE_NO_PADS &&
			    attempt >= h->cfg.padr_attempts));
		break;
	case DISCOVERY_EVENT_LIST_COMPLETE:
		FUZZ_CHECK(before == DISCOVERY_WAIT_PADO && h->cfg.list_only);
		FUZZ_CHECK(h->disc.state == DISCOVERY_DONE);
		break;
	default:
		FUZZ_CHECK(!"a timeout gave an event a timeout cannot give");
	}
}

static void build_padt(struct harness *h, const uint8_t *bytes, size_t len)
{
	/* The reason is a C string; the capacity comes from the input too. */
	char reason[256];
	size_t reason_len = len > 1 ? len - 1 : 0;
	size_t capacity = len > 0 ? (size_t)bytes[0] * 8 : PPPOE_DISCOVERY_FRAME_MAX;
	uint16_t session_id = h->disc.session_id ? h->disc.session_id : 1;
	struct pppoe_discovery msg;
	uint8_t *buf;
	size_t frame_len;

	if (reason_len >= sizeof(reason))
		reason_len = sizeof(reason) - 1;
	if (reason_len)
		memcpy(reason, bytes + 1, reason_len);
	reason[reason_len] = '\0';
	reason_len = strlen(reason);
	buf = malloc(capacity ? capacity : 1);
	if (!buf)
		abort();
	frame_len = discovery_build_padt(&h->disc, session_id, h->disc.ac_mac,
					 len > 1 ? reason : NULL, buf, capacity);
	FUZZ_CHECK(frame_len <= capacity);
	if (frame_len) {
		FUZZ_CHECK(pppoe_discovery_parse(buf, frame_len, &h->cfg.ethertypes, &msg) ==
			   PPPOE_PARSE_OK);
		FUZZ_CHECK(msg.frame.code == PPPOE_CODE_PADT && msg.frame.session_id == session_id);
		FUZZ_CHECK(memcmp(msg.frame.dest, h->disc.ac_mac, PPPOE_MAC_LEN) == 0);
		if (len > 1)
			FUZZ_CHECK(msg.error.type == PPPOE_TAG_GENERIC_ERROR &&
				   tag_is(&msg.error, (const uint8_t *)reason, reason_len));
	}
	free(buf);
}

/* A frame from the AC to us with the tags the configuration asks for. */
static size_t build_reply(const struct harness *h, uint8_t code, uint16_t session_id,
			  const uint8_t *ac_mac, uint8_t *buf, size_t capacity)
{
	const struct discovery_config *cfg = &h->cfg;
	struct pppoe_builder b;

	pppoe_builder_begin(&b, buf, capacity, cfg->our_mac, ac_mac, cfg->ethertypes.discovery,
			    code, session_id);
	if (cfg->ac_name)
		pppoe_builder_add_tag(&b, PPPOE_TAG_AC_NAME, cfg->ac_name, cfg->ac_name_len);
	else
		pppoe_builder_add_tag(&b, PPPOE_TAG_AC_NAME, fuzz_ac_name, sizeof(fuzz_ac_name) - 1);
	pppoe_builder_add_tag(&b, PPPOE_TAG_SERVICE_NAME, cfg->service_name,
			      cfg->service_name ? cfg->service_name_len : 0);
	if (cfg->host_uniq)
		pppoe_builder_add_tag(&b, PPPOE_TAG_HOST_UNIQ, cfg->host_uniq, cfg->host_uniq_len);
	if (code == PPPOE_CODE_PADO) {
		pppoe_builder_add_tag(&b, PPPOE_TAG_AC_COOKIE, fuzz_cookie, sizeof(fuzz_cookie));
		pppoe_builder_add_tag(&b, PPPOE_TAG_RELAY_SESSION_ID, fuzz_relay_id,
				      sizeof(fuzz_relay_id));
	}
	return pppoe_builder_finish(&b);
}

/*
 * Walk to the starting state through frames built here, so the fuzzer does
 * not have to guess a Host-Uniq to reach PADR-sent or a session.
 */
static void reach_start(struct harness *h, enum start start, uint16_t session_id)
{
	static uint8_t reply[PPPOE_DISCOVERY_FRAME_MAX];
	size_t len;

	if (start == START_IDLE)
		return;
	if (start == START_RESUMED) {
		discovery_resume_session(&h->disc, session_id, h->ac_mac);
		FUZZ_CHECK(h->disc.state == DISCOVERY_SESSION && h->disc.session_id == session_id);
		check_state(h);
		return;
	}
	discovery_start(&h->disc, h->now, &h->ev);
	if (h->ev.type == DISCOVERY_EVENT_FAILED) {
		/* Only a configuration too long for any PADI fails at once. */
		FUZZ_CHECK(h->ev.failure == DISCOVERY_FAILURE_CONFIG_TOO_LONG);
		FUZZ_CHECK(h->disc.state == DISCOVERY_DONE);
		check_state(h);
		return;
	}
	FUZZ_CHECK(h->ev.type == DISCOVERY_EVENT_SENT && h->ev.attempt == 1);
	check_sent(h, &h->ev);
	check_state(h);
	if (start == START_PADI_SENT || h->cfg.list_only)
		return;

	len = build_reply(h, PPPOE_CODE_PADO, 0, h->ac_mac, reply, sizeof(reply));
	if (len == 0)
		return;  /* the configured values do not fit in an offer */
	feed_frame(h, reply, len);
	FUZZ_CHECK(h->ev.type == DISCOVERY_EVENT_PADO);
	if (!h->ev.accepted) {
		/* Our offer echoes everything asked for; only its size can fail it. */
		FUZZ_CHECK(h->ev.rejected == DISCOVERY_REJECT_TOO_LONG);
		return;
	}
	if (start == START_PADR_SENT)
		return;
	len = build_reply(h, PPPOE_CODE_PADS, session_id, h->ac_mac, reply, sizeof(reply));
	if (len == 0)
		return;
	feed_frame(h, reply, len);
	FUZZ_CHECK(h->ev.type == DISCOVERY_EVENT_SESSION_UP);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct harness h;
	struct fuzz_input in = { data, size };
	uint8_t flags = fuzz_u8(&in);
	enum start start = (enum start)(fuzz_u8(&in) % START_COUNT);
	const uint8_t *bytes;
	uint16_t session_id;
	size_t got, host_uniq_len, ac_name_len, service_len;

	memset(&h, 0, sizeof(h));
	discovery_config_defaults(&h.cfg);
	memcpy(h.cfg.our_mac, fuzz_bytes(&in, PPPOE_MAC_LEN, &got), got);
	memcpy(h.ac_mac, fuzz_bytes(&in, PPPOE_MAC_LEN, &got), got);
	/* The AC we build offers from must be one the machine may unicast to. */
	h.ac_mac[0] &= 0xfe;
	if (!is_unicast(h.ac_mac))
		h.ac_mac[5] = 0x01;
	h.cfg.padi_attempts = fuzz_u8(&in) % 4 + 1;
	h.cfg.padr_attempts = fuzz_u8(&in) % 4 + 1;
	h.cfg.timeout_ms = fuzz_u32(&in);
	h.cfg.ppp_max_payload = fuzz_u16(&in);
	session_id = fuzz_u16(&in);
	if (session_id == 0)
		session_id = 1;
	h.now = fuzz_u32(&in);
	if (flags & FLAG_LATE_CLOCK)
		h.now = UINT64_MAX - 1 - h.now;  /* deadlines saturate */
	if (!(flags & FLAG_MAX_PAYLOAD))
		h.cfg.ppp_max_payload = 0;
	if (flags & FLAG_ODD_ETHERTYPES)
		h.cfg.ethertypes = (struct pppoe_ethertypes){ 0x3c12, 0x3c13 };
	if (flags & FLAG_AC_MAC)
		h.cfg.ac_mac = h.ac_mac;
	h.cfg.list_only = flags & FLAG_LIST_ONLY;

	host_uniq_len = fuzz_u16(&in) % CONFIG_VALUE_MAX;
	ac_name_len = fuzz_u8(&in);
	service_len = fuzz_u16(&in) % CONFIG_VALUE_MAX;
	bytes = fuzz_bytes(&in, host_uniq_len, &host_uniq_len);
	if (flags & FLAG_HOST_UNIQ) {
		h.cfg.host_uniq = bytes;
		h.cfg.host_uniq_len = host_uniq_len;
	}
	bytes = fuzz_bytes(&in, ac_name_len, &ac_name_len);
	if (flags & FLAG_AC_NAME) {
		h.cfg.ac_name = bytes;
		h.cfg.ac_name_len = ac_name_len;
	}
	bytes = fuzz_bytes(&in, service_len, &service_len);
	if (flags & FLAG_SERVICE) {
		h.cfg.service_name = bytes;
		h.cfg.service_name_len = service_len;
	}
	discovery_init(&h.disc, &h.cfg);
	check_state(&h);
	reach_start(&h, start, session_id);

	for (int steps = 0; in.len > 0 && steps < STEPS_MAX; steps++) {
		size_t len;
		uint16_t advance;

		switch ((enum step)(fuzz_u8(&in) % STEP_COUNT)) {
		case STEP_FRAME:
			if (fuzz_record(&in, &bytes, &len))
				feed_frame(&h, bytes, len);
			break;
		case STEP_DEADLINE:
			if (discovery_deadline(&h.disc) != DISCOVERY_NO_DEADLINE)
				h.now = discovery_deadline(&h.disc);
			fire_timeout(&h);
			break;
		case STEP_CLOCK:
			/* A monotonic clock in milliseconds never gets to the end. */
			advance = fuzz_u16(&in);
			h.now = h.now < UINT64_MAX - 1 - advance ? h.now + advance : UINT64_MAX - 1;
			fire_timeout(&h);
			break;
		case STEP_PADT:
			if (fuzz_record(&in, &bytes, &len))
				build_padt(&h, bytes, len);
			break;
		default:
			break;
		}
	}
	return 0;
}
