/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The PADSs that set up a session for us (pads_watch.h). */
#include "pads_watch.h"

#include <string.h>

void pads_watch_init(struct pads_watch *watch, const struct discovery_config *config)
{
	memset(watch, 0, sizeof(*watch));
	watch->config = config;
}

static bool same_session(const struct pads_session *a, const struct pads_session *b)
{
	return a->session_id == b->session_id && memcmp(a->ac_mac, b->ac_mac, PPPOE_MAC_LEN) == 0;
}

/* Without a Host-Uniq of ours we cannot tell a reply to us, and leave it. */
static bool carries_our_host_uniq(const struct discovery_config *config,
				  const struct pppoe_discovery *msg)
{
	return config->host_uniq != NULL && msg->host_uniq.value != NULL &&
	       msg->host_uniq.length == config->host_uniq_len &&
	       memcmp(msg->host_uniq.value, config->host_uniq, config->host_uniq_len) == 0;
}

/* RFC 2516 5.4: an error PADS has no session. */
static bool pads_sets_up_our_session(const struct discovery_config *config,
				     const struct pppoe_discovery *msg)
{
	if (msg->frame.code != PPPOE_CODE_PADS || msg->frame.session_id == 0 ||
	    msg->error.value != NULL)
		return false;
	return carries_our_host_uniq(config, msg);
}

/* RFC 2516 5.5: a PADT needs no Host-Uniq; the MACs and the id name the session. */
static enum pads_watch_news padt_from_ac(struct pads_watch *watch, const struct pads_session *ended)
{
	if (watch->taken && !watch->taken_ended && same_session(&watch->taken_session, ended)) {
		watch->taken_ended = true;
		return PADS_WATCH_ENDED_BY_AC;
	}
	for (size_t i = 0; i < watch->seen_count; i++) {
		if (same_session(&watch->seen[i], ended)) {
			watch->seen[i] = watch->seen[--watch->seen_count];
			return PADS_WATCH_ENDED_BY_AC;
		}
	}
	return PADS_WATCH_NOTHING;
}

enum pads_watch_news pads_watch_frame(struct pads_watch *watch, const uint8_t *frame, size_t len,
				      struct pads_session *session)
{
	struct pppoe_discovery msg;
	struct pads_session found;

	if (pppoe_discovery_parse(frame, len, &watch->config->ethertypes, &msg) != PPPOE_PARSE_OK ||
	    memcmp(msg.frame.dest, watch->config->our_mac, PPPOE_MAC_LEN) != 0)
		return PADS_WATCH_NOTHING;
	found.session_id = msg.frame.session_id;
	memcpy(found.ac_mac, msg.frame.source, PPPOE_MAC_LEN);
	*session = found;
	if (msg.frame.code == PPPOE_CODE_PADT)
		return padt_from_ac(watch, &found);
	if (msg.frame.code == PPPOE_CODE_PADO && msg.error.value == NULL &&
	    carries_our_host_uniq(watch->config, &msg))
		watch->offered = true;
	if (!pads_sets_up_our_session(watch->config, &msg))
		return PADS_WATCH_NOTHING;
	if (watch->taken && same_session(&watch->taken_session, &found))
		return PADS_WATCH_NOTHING;
	for (size_t i = 0; i < watch->seen_count; i++)
		if (same_session(&watch->seen[i], &found))
			return PADS_WATCH_NOTHING;
	if (watch->seen_count == PADS_WATCH_MAX)
		return PADS_WATCH_NOTHING;
	watch->seen[watch->seen_count++] = found;
	return PADS_WATCH_NEW_SESSION;
}

void pads_watch_take(struct pads_watch *watch, const struct pads_session *session)
{
	watch->taken = true;
	watch->taken_session = *session;
	watch->taken_ended = false;
	for (size_t i = 0; i < watch->seen_count; i++) {
		if (same_session(&watch->seen[i], session)) {
			watch->seen[i] = watch->seen[--watch->seen_count];
			break;
		}
	}
}

size_t pads_watch_untaken(const struct pads_watch *watch, struct pads_session *out,
			  size_t capacity)
{
	size_t count = 0;

	for (size_t i = 0; i < watch->seen_count && count < capacity; i++)
		if (!watch->taken || !same_session(&watch->seen[i], &watch->taken_session))
			out[count++] = watch->seen[i];
	return count;
}
