/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PPPoE discovery state machine (RFC 2516 section 5, with RFC 4638's
 * PPP-Max-Payload and RFC 4937's PADM and PADN).  Frames and the caller's
 * clock come in; one event and at most one frame to transmit go out.  The
 * segment may be shared with other clients and hostile hosts, so nothing
 * changes state until the destination, the Host-Uniq, the chosen AC's MAC
 * and the session id have all been checked.
 */
#include <string.h>

#include "byte_order.h"
#include "discovery.h"

void discovery_config_defaults(struct discovery_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->ethertypes = pppoe_standard_ethertypes;
	cfg->padi_attempts = DISCOVERY_DEFAULT_ATTEMPTS;
	cfg->padr_attempts = DISCOVERY_DEFAULT_ATTEMPTS;
	cfg->timeout_ms = DISCOVERY_DEFAULT_TIMEOUT_MS;
}

void discovery_init(struct discovery *disc, const struct discovery_config *config)
{
	memset(disc, 0, sizeof(*disc));
	disc->config = *config;
	disc->state = DISCOVERY_IDLE;
	disc->current_timeout_ms = config->timeout_ms;
	disc->deadline_ms = DISCOVERY_NO_DEADLINE;
}

/* The send buffer is left alone: send_len = 0 already says it is empty. */
static void event_reset(struct discovery_event *ev)
{
	ev->type = DISCOVERY_EVENT_NONE;
	ev->send_len = 0;
	ev->attempt = 0;
	ev->accepted = false;
	ev->ignored = DISCOVERY_IGNORE_NONE;
	ev->rejected = DISCOVERY_REJECT_NONE;
	ev->failure = DISCOVERY_FAILURE_NONE;
	ev->has_message = false;
	memset(&ev->message, 0, sizeof(ev->message));
}

/* Saturates short of DISCOVERY_NO_DEADLINE, which would mean "never". */
static uint64_t deadline_after(uint64_t now_ms, uint32_t wait_ms)
{
	if (now_ms >= DISCOVERY_NO_DEADLINE - 1 - wait_ms)
		return DISCOVERY_NO_DEADLINE - 1;
	return now_ms + wait_ms;
}

static uint32_t backoff_timeout(uint32_t wait_ms)
{
	/* A configured wait already above the cap is kept, not shortened. */
	if (wait_ms >= DISCOVERY_MAX_TIMEOUT_MS)
		return wait_ms;
	wait_ms *= 2;
	return wait_ms > DISCOVERY_MAX_TIMEOUT_MS ? DISCOVERY_MAX_TIMEOUT_MS : wait_ms;
}

static bool mac_is_unicast(const uint8_t mac[PPPOE_MAC_LEN])
{
	static const uint8_t zero[PPPOE_MAC_LEN];

	/* The I/G bit, the low bit of the first octet, marks group addresses. */
	return !(mac[0] & 0x01) && memcmp(mac, zero, PPPOE_MAC_LEN) != 0;
}

static bool tag_equals(const struct pppoe_tag *tag, const uint8_t *value, size_t len)
{
	if (!tag->value || tag->length != len)
		return false;
	return len == 0 || memcmp(tag->value, value, len) == 0;
}

/*
 * RFC 2516 5.2 and 5.4: the AC copies our Host-Uniq into its PADO and PADS
 * unmodified.  Without one from us, a reply carrying one answers another host.
 */
static bool host_uniq_matches(const struct discovery *disc, const struct pppoe_discovery *msg)
{
	if (!disc->config.host_uniq)
		return msg->host_uniq.value == NULL;
	return tag_equals(&msg->host_uniq, disc->config.host_uniq, disc->config.host_uniq_len);
}

static const uint8_t *requested_service(const struct discovery_config *cfg, size_t *len)
{
	*len = cfg->service_name ? cfg->service_name_len : 0;
	return cfg->service_name;
}

/* The tags PADI and PADR share. */
static void add_request_tags(struct pppoe_builder *builder, const struct discovery_config *cfg)
{
	size_t service_len;
	const uint8_t *service = requested_service(cfg, &service_len);

	/* RFC 2516 5.1/5.3: exactly one Service-Name; an empty one asks for any. */
	pppoe_builder_add_tag(builder, PPPOE_TAG_SERVICE_NAME, service, service_len);
	if (cfg->host_uniq)
		pppoe_builder_add_tag(builder, PPPOE_TAG_HOST_UNIQ, cfg->host_uniq,
				      cfg->host_uniq_len);
	/* RFC 4638: only a PPP-Max-Payload above the standard 1492 is worth asking for. */
	if (cfg->ppp_max_payload > PPPOE_STANDARD_MTU) {
		uint8_t value[2];

		put_be16(value, cfg->ppp_max_payload);
		pppoe_builder_add_tag(builder, PPPOE_TAG_PPP_MAX_PAYLOAD, value, sizeof(value));
	}
}

static size_t build_padi(const struct discovery *disc, uint8_t *buf, size_t capacity)
{
	struct pppoe_builder builder;

	pppoe_builder_begin(&builder, buf, capacity, pppoe_broadcast_mac, disc->config.our_mac,
			    disc->config.ethertypes.discovery, PPPOE_CODE_PADI, 0);
	add_request_tags(&builder, &disc->config);
	return pppoe_builder_finish(&builder);
}

static size_t build_padr(const struct discovery *disc, uint8_t *buf, size_t capacity)
{
	struct pppoe_builder builder;

	pppoe_builder_begin(&builder, buf, capacity, disc->ac_mac, disc->config.our_mac,
			    disc->config.ethertypes.discovery, PPPOE_CODE_PADR, 0);
	add_request_tags(&builder, &disc->config);
	/* RFC 2516 5.3: the cookie and the relay's id go back to the AC verbatim. */
	if (disc->has_cookie)
		pppoe_builder_add_tag(&builder, PPPOE_TAG_AC_COOKIE, disc->cookie,
				      disc->cookie_len);
	if (disc->has_relay_session_id)
		pppoe_builder_add_tag(&builder, PPPOE_TAG_RELAY_SESSION_ID,
				      disc->relay_session_id, disc->relay_session_id_len);
	return pppoe_builder_finish(&builder);
}

static void forget_ac(struct discovery *disc)
{
	memset(disc->ac_mac, 0, sizeof(disc->ac_mac));
	disc->ac_name_len = 0;
	disc->cookie_len = 0;
	disc->has_cookie = false;
	disc->relay_session_id_len = 0;
	disc->has_relay_session_id = false;
	disc->session_id = 0;
	disc->peer_max_payload = 0;
}

static void finish_discovery(struct discovery *disc)
{
	disc->state = DISCOVERY_DONE;
	disc->deadline_ms = DISCOVERY_NO_DEADLINE;
}

static void fail_discovery(struct discovery *disc, enum discovery_failure failure,
			   struct discovery_event *ev)
{
	finish_discovery(disc);
	ev->type = DISCOVERY_EVENT_FAILED;
	ev->failure = failure;
}

static void ignore_frame(struct discovery *disc, enum discovery_ignore_reason reason,
			 struct discovery_event *ev)
{
	disc->counters.ignored[reason]++;
	ev->type = DISCOVERY_EVENT_IGNORED;
	ev->ignored = reason;
}

static void send_padi(struct discovery *disc, uint64_t now_ms, struct discovery_event *ev)
{
	ev->send_len = build_padi(disc, ev->send, sizeof(ev->send));
	if (ev->send_len == 0) {
		fail_discovery(disc, DISCOVERY_FAILURE_CONFIG_TOO_LONG, ev);
		return;
	}
	ev->type = DISCOVERY_EVENT_SENT;
	ev->attempt = disc->attempt;
	disc->deadline_ms = deadline_after(now_ms, disc->current_timeout_ms);
}

void discovery_start(struct discovery *disc, uint64_t now_ms, struct discovery_event *ev)
{
	event_reset(ev);
	forget_ac(disc);
	disc->state = DISCOVERY_WAIT_PADO;
	disc->attempt = 1;
	disc->current_timeout_ms = disc->config.timeout_ms;
	send_padi(disc, now_ms, ev);
}

/* The filters of the configuration, in the order a user would check them. */
static enum discovery_reject_reason check_offer(const struct discovery *disc,
						const struct pppoe_discovery *msg)
{
	const struct discovery_config *cfg = &disc->config;
	const uint8_t *service;
	size_t service_len;

	/* We are about to unicast a PADR to this address. */
	if (!mac_is_unicast(msg->frame.source))
		return DISCOVERY_REJECT_BAD_SOURCE;
	if (cfg->ac_mac && memcmp(msg->frame.source, cfg->ac_mac, PPPOE_MAC_LEN) != 0)
		return DISCOVERY_REJECT_AC_MAC;
	if (cfg->ac_name && !tag_equals(&msg->ac_name, cfg->ac_name, cfg->ac_name_len))
		return DISCOVERY_REJECT_AC_NAME;
	if (msg->error.value)
		return DISCOVERY_REJECT_ERROR_TAG;
	service = requested_service(cfg, &service_len);
	if (!pppoe_discovery_offers_service(msg, service, service_len))
		return DISCOVERY_REJECT_SERVICE;
	return DISCOVERY_REJECT_NONE;
}

static bool store_tag(uint8_t *dest, size_t *dest_len, const struct pppoe_tag *tag)
{
	if (tag->length > DISCOVERY_TAG_VALUE_MAX)
		return false;
	if (tag->length > 0)
		memcpy(dest, tag->value, tag->length);
	*dest_len = tag->length;
	return true;
}

/* Choose this AC: remember what to echo, and send the first PADR. */
static enum discovery_reject_reason accept_offer(struct discovery *disc,
						 const struct pppoe_discovery *msg,
						 uint64_t now_ms, struct discovery_event *ev)
{
	size_t len;

	forget_ac(disc);
	memcpy(disc->ac_mac, msg->frame.source, PPPOE_MAC_LEN);
	/*
	 * Values too long for our copies only come in jumbo discovery frames,
	 * which no AC needs; the PADR could not carry them back anyway.
	 */
	if (msg->ac_name.value && !store_tag(disc->ac_name, &disc->ac_name_len, &msg->ac_name))
		return DISCOVERY_REJECT_TOO_LONG;
	if (msg->ac_cookie.value) {
		if (!store_tag(disc->cookie, &disc->cookie_len, &msg->ac_cookie))
			return DISCOVERY_REJECT_TOO_LONG;
		disc->has_cookie = true;
	}
	if (msg->relay_session_id.value) {
		if (!store_tag(disc->relay_session_id, &disc->relay_session_id_len,
			       &msg->relay_session_id))
			return DISCOVERY_REJECT_TOO_LONG;
		disc->has_relay_session_id = true;
	}
	len = build_padr(disc, ev->send, sizeof(ev->send));
	if (len == 0)
		return DISCOVERY_REJECT_TOO_LONG;

	ev->send_len = len;
	ev->attempt = 1;
	disc->state = DISCOVERY_WAIT_PADS;
	disc->attempt = 1;
	disc->current_timeout_ms = disc->config.timeout_ms;
	disc->deadline_ms = deadline_after(now_ms, disc->current_timeout_ms);
	return DISCOVERY_REJECT_NONE;
}

static void handle_pado(struct discovery *disc, const struct pppoe_discovery *msg,
			uint64_t now_ms, struct discovery_event *ev)
{
	enum discovery_reject_reason reason;

	if (!host_uniq_matches(disc, msg)) {
		ignore_frame(disc, DISCOVERY_IGNORE_WRONG_HOST_UNIQ, ev);
		return;
	}
	disc->counters.pado_seen++;
	ev->type = DISCOVERY_EVENT_PADO;

	/* The first acceptable offer wins (RFC 2516 5.3 leaves the choice to us). */
	reason = check_offer(disc, msg);
	if (reason == DISCOVERY_REJECT_NONE && !disc->config.list_only)
		reason = accept_offer(disc, msg, now_ms, ev);
	if (reason != DISCOVERY_REJECT_NONE) {
		disc->counters.pado_rejected++;
		ev->rejected = reason;
		return;
	}
	ev->accepted = true;
}

static enum discovery_failure failure_for_error_tag(uint16_t type)
{
	switch (type) {
	case PPPOE_TAG_SERVICE_NAME_ERROR:
		return DISCOVERY_FAILURE_SERVICE_NAME_ERROR;
	case PPPOE_TAG_AC_SYSTEM_ERROR:
		return DISCOVERY_FAILURE_AC_SYSTEM_ERROR;
	default:
		return DISCOVERY_FAILURE_GENERIC_ERROR;
	}
}

static void handle_pads(struct discovery *disc, const struct pppoe_discovery *msg,
			struct discovery_event *ev)
{
	uint16_t session_id = msg->frame.session_id;

	if (memcmp(msg->frame.source, disc->ac_mac, PPPOE_MAC_LEN) != 0) {
		ignore_frame(disc, DISCOVERY_IGNORE_WRONG_AC, ev);
		return;
	}
	if (!host_uniq_matches(disc, msg)) {
		ignore_frame(disc, DISCOVERY_IGNORE_WRONG_HOST_UNIQ, ev);
		return;
	}

	if (msg->error.value) {
		fail_discovery(disc, failure_for_error_tag(msg->error.type), ev);
		/*
		 * RFC 2516 5.4 gives an error PADS session id 0, but an AC that
		 * allocated one anyway would keep it until it times out.
		 */
		if (session_id != 0)
			ev->send_len = discovery_build_padt(disc, session_id, disc->ac_mac, NULL,
							    ev->send, sizeof(ev->send));
		return;
	}
	if (session_id == 0) {
		fail_discovery(disc, DISCOVERY_FAILURE_ZERO_SESSION, ev);
		return;
	}

	disc->session_id = session_id;
	/* RFC 4638 section 4: the AC's answer is the payload it will accept. */
	if (msg->ppp_max_payload.value && msg->ppp_max_payload.length == 2)
		disc->peer_max_payload = get_be16(msg->ppp_max_payload.value);
	disc->state = DISCOVERY_SESSION;
	disc->deadline_ms = DISCOVERY_NO_DEADLINE;
	ev->type = DISCOVERY_EVENT_SESSION_UP;
}

/*
 * PADT, PADM and PADN.  RFC 2516 section 4 identifies a session by the two
 * MACs and the session id; none of them is a reply, so no Host-Uniq is
 * required (ACs do not echo it there, and a resumed session never sent one).
 */
static void handle_session_message(struct discovery *disc, const struct pppoe_discovery *msg,
				   struct discovery_event *ev)
{
	if (memcmp(msg->frame.source, disc->ac_mac, PPPOE_MAC_LEN) != 0) {
		ignore_frame(disc, DISCOVERY_IGNORE_WRONG_AC, ev);
		return;
	}
	if (msg->frame.session_id != disc->session_id) {
		ignore_frame(disc, DISCOVERY_IGNORE_WRONG_SESSION, ev);
		return;
	}
	if (msg->frame.code == PPPOE_CODE_PADT) {
		finish_discovery(disc);
		ev->type = DISCOVERY_EVENT_TERMINATED;
		return;
	}
	ev->type = DISCOVERY_EVENT_MESSAGE;
}

/*
 * Session-ethertype frames are valid traffic that simply is not discovery:
 * an unexpected code for us.  Everything else that does not parse is
 * malformed (or not PPPoE at all, which the caller should not hand us).
 */
static enum discovery_ignore_reason classify_unparsed(const struct discovery *disc,
						      const uint8_t *frame, size_t len,
						      enum pppoe_parse_status status)
{
	struct pppoe_frame header;

	if (status == PPPOE_PARSE_NOT_PPPOE &&
	    pppoe_frame_parse(frame, len, &disc->config.ethertypes, &header) == PPPOE_PARSE_OK)
		return DISCOVERY_IGNORE_UNEXPECTED_CODE;
	return DISCOVERY_IGNORE_MALFORMED;
}

/*
 * Once a frame parses, the event carries it even when it is ignored, so the
 * caller can log who sent what.
 */
void discovery_handle_frame(struct discovery *disc, const uint8_t *frame, size_t len,
			    uint64_t now_ms, struct discovery_event *ev)
{
	enum pppoe_parse_status status;
	struct pppoe_discovery msg;

	event_reset(ev);
	status = pppoe_discovery_parse(frame, len, &disc->config.ethertypes, &msg);
	if (status != PPPOE_PARSE_OK) {
		ignore_frame(disc, classify_unparsed(disc, frame, len, status), ev);
		return;
	}
	ev->message = msg;
	ev->has_message = true;

	/* Broadcast PADIs of other clients end here too. */
	if (memcmp(msg.frame.dest, disc->config.our_mac, PPPOE_MAC_LEN) != 0) {
		ignore_frame(disc, DISCOVERY_IGNORE_NOT_TO_US, ev);
		return;
	}

	switch (disc->state) {
	case DISCOVERY_WAIT_PADO:
		if (msg.frame.code == PPPOE_CODE_PADO) {
			handle_pado(disc, &msg, now_ms, ev);
			return;
		}
		break;
	case DISCOVERY_WAIT_PADS:
		if (msg.frame.code == PPPOE_CODE_PADS) {
			handle_pads(disc, &msg, ev);
			return;
		}
		break;
	case DISCOVERY_SESSION:
		if (msg.frame.code == PPPOE_CODE_PADT || msg.frame.code == PPPOE_CODE_PADM ||
		    msg.frame.code == PPPOE_CODE_PADN) {
			handle_session_message(disc, &msg, ev);
			return;
		}
		break;
	case DISCOVERY_IDLE:
	case DISCOVERY_DONE:
		break;
	}
	ignore_frame(disc, DISCOVERY_IGNORE_UNEXPECTED_CODE, ev);
}

void discovery_handle_timeout(struct discovery *disc, uint64_t now_ms, struct discovery_event *ev)
{
	event_reset(ev);
	if (disc->state != DISCOVERY_WAIT_PADO && disc->state != DISCOVERY_WAIT_PADS)
		return;
	if (now_ms < disc->deadline_ms)
		return;

	if (disc->state == DISCOVERY_WAIT_PADO && disc->config.list_only) {
		finish_discovery(disc);
		ev->type = DISCOVERY_EVENT_LIST_COMPLETE;
		return;
	}
	if (disc->state == DISCOVERY_WAIT_PADO && disc->attempt >= disc->config.padi_attempts) {
		fail_discovery(disc, DISCOVERY_FAILURE_NO_PADO, ev);
		return;
	}
	if (disc->state == DISCOVERY_WAIT_PADS && disc->attempt >= disc->config.padr_attempts) {
		fail_discovery(disc, DISCOVERY_FAILURE_NO_PADS, ev);
		return;
	}

	disc->attempt++;
	disc->current_timeout_ms = backoff_timeout(disc->current_timeout_ms);
	if (disc->state == DISCOVERY_WAIT_PADO) {
		send_padi(disc, now_ms, ev);
		return;
	}
	/* The same PADR that fitted on the first attempt. */
	ev->send_len = build_padr(disc, ev->send, sizeof(ev->send));
	ev->type = DISCOVERY_EVENT_SENT;
	ev->attempt = disc->attempt;
	disc->deadline_ms = deadline_after(now_ms, disc->current_timeout_ms);
}

uint64_t discovery_deadline(const struct discovery *disc)
{
	if (disc->state == DISCOVERY_WAIT_PADO || disc->state == DISCOVERY_WAIT_PADS)
		return disc->deadline_ms;
	return DISCOVERY_NO_DEADLINE;
}

void discovery_resume_session(struct discovery *disc, uint16_t session_id,
			      const uint8_t ac_mac[PPPOE_MAC_LEN])
{
	forget_ac(disc);
	memcpy(disc->ac_mac, ac_mac, PPPOE_MAC_LEN);
	disc->session_id = session_id;
	disc->state = DISCOVERY_SESSION;
	disc->attempt = 0;
	disc->deadline_ms = DISCOVERY_NO_DEADLINE;
}

size_t discovery_build_padt(const struct discovery *disc, uint16_t session_id,
			    const uint8_t ac_mac[PPPOE_MAC_LEN], const char *reason,
			    uint8_t *buf, size_t capacity)
{
	struct pppoe_builder builder;

	pppoe_builder_begin(&builder, buf, capacity, ac_mac, disc->config.our_mac,
			    disc->config.ethertypes.discovery, PPPOE_CODE_PADT, session_id);
	if (disc->config.host_uniq)
		pppoe_builder_add_tag(&builder, PPPOE_TAG_HOST_UNIQ, disc->config.host_uniq,
				      disc->config.host_uniq_len);
	/* RFC 2516 appendix A: a relay needs its id to forward the PADT. */
	if (disc->has_relay_session_id)
		pppoe_builder_add_tag(&builder, PPPOE_TAG_RELAY_SESSION_ID,
				      disc->relay_session_id, disc->relay_session_id_len);
	if (reason)
		pppoe_builder_add_tag(&builder, PPPOE_TAG_GENERIC_ERROR, reason, strlen(reason));
	return pppoe_builder_finish(&builder);
}

const char *discovery_ignore_reason_name(enum discovery_ignore_reason reason)
{
	switch (reason) {
	case DISCOVERY_IGNORE_NONE:
		return "not ignored";
	case DISCOVERY_IGNORE_MALFORMED:
		return "malformed discovery frame";
	case DISCOVERY_IGNORE_NOT_TO_US:
		return "addressed to another host";
	case DISCOVERY_IGNORE_UNEXPECTED_CODE:
		return "not expected at this stage of discovery";
	case DISCOVERY_IGNORE_WRONG_HOST_UNIQ:
		return "Host-Uniq missing or not ours";
	case DISCOVERY_IGNORE_WRONG_AC:
		return "not from the chosen access concentrator";
	case DISCOVERY_IGNORE_WRONG_SESSION:
		return "for another session";
	case DISCOVERY_IGNORE_COUNT:
		break;
	}
	return "unknown";
}

const char *discovery_reject_reason_name(enum discovery_reject_reason reason)
{
	switch (reason) {
	case DISCOVERY_REJECT_NONE:
		return "not rejected";
	case DISCOVERY_REJECT_AC_NAME:
		return "AC-Name is not the one asked for";
	case DISCOVERY_REJECT_AC_MAC:
		return "access concentrator MAC is not the one asked for";
	case DISCOVERY_REJECT_SERVICE:
		return "requested Service-Name not offered";
	case DISCOVERY_REJECT_ERROR_TAG:
		return "PADO carries an error tag";
	case DISCOVERY_REJECT_BAD_SOURCE:
		return "source MAC is not a unicast address";
	case DISCOVERY_REJECT_TOO_LONG:
		return "tags too long to keep or to echo in a PADR";
	}
	return "unknown";
}

const char *discovery_failure_name(enum discovery_failure failure)
{
	switch (failure) {
	case DISCOVERY_FAILURE_NONE:
		return "no failure";
	case DISCOVERY_FAILURE_NO_PADO:
		return "no PADO from any access concentrator";
	case DISCOVERY_FAILURE_NO_PADS:
		return "no PADS from the chosen access concentrator";
	case DISCOVERY_FAILURE_SERVICE_NAME_ERROR:
		return "Service-Name-Error in PADS";
	case DISCOVERY_FAILURE_AC_SYSTEM_ERROR:
		return "AC-System-Error in PADS";
	case DISCOVERY_FAILURE_GENERIC_ERROR:
		return "Generic-Error in PADS";
	case DISCOVERY_FAILURE_ZERO_SESSION:
		return "PADS with session id 0";
	case DISCOVERY_FAILURE_CONFIG_TOO_LONG:
		return "Service-Name and Host-Uniq too long for a PADI";
	}
	return "unknown";
}
