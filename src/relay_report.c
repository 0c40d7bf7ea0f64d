/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What a relay session reports when it ends: why, and what it counted. */
#include "relay_loop.h"

#include "log.h"

const char *relay_exit_name(enum relay_exit reason)
{
	switch (reason) {
	case RELAY_EXIT_PPPD_GONE:
		return "pppd closed the line";
	case RELAY_EXIT_PADT:
		return "PADT from the access concentrator";
	case RELAY_EXIT_STOPPED:
		return "stopped by a signal";
	case RELAY_EXIT_IDLE:
		return "idle timeout";
	case RELAY_EXIT_ERROR:
		return "error";
	}
	return "unknown";
}

void relay_log_counters(const struct relay *relay)
{
	const struct relay_counters *c = &relay->counters;
	uint64_t dropped = 0;

	log_message(LOG_LEVEL_INFO,
		    "MSS clamped: %llu outbound, %llu inbound SYNs (IPv4 %llu/%llu, IPv6 %llu/%llu)",
		    (unsigned long long)(c->clamped[PPP_OUTBOUND][MSS_FAMILY_IPV4] +
					 c->clamped[PPP_OUTBOUND][MSS_FAMILY_IPV6]),
		    (unsigned long long)(c->clamped[PPP_INBOUND][MSS_FAMILY_IPV4] +
					 c->clamped[PPP_INBOUND][MSS_FAMILY_IPV6]),
		    (unsigned long long)c->clamped[PPP_OUTBOUND][MSS_FAMILY_IPV4],
		    (unsigned long long)c->clamped[PPP_INBOUND][MSS_FAMILY_IPV4],
		    (unsigned long long)c->clamped[PPP_OUTBOUND][MSS_FAMILY_IPV6],
		    (unsigned long long)c->clamped[PPP_INBOUND][MSS_FAMILY_IPV6]);
	log_message(LOG_LEVEL_INFO, "relayed %llu frames out (%llu bytes), %llu in (%llu bytes)",
		    (unsigned long long)c->frames[PPP_OUTBOUND], (unsigned long long)c->bytes[PPP_OUTBOUND],
		    (unsigned long long)c->frames[PPP_INBOUND], (unsigned long long)c->bytes[PPP_INBOUND]);
	if (relay->lcp.acks_unmatched > 0)
		log_message(LOG_LEVEL_INFO, "ignored %llu LCP Configure-Acks: they answered no "
			    "Configure-Request (nor does pppd take them)",
			    (unsigned long long)relay->lcp.acks_unmatched);
	for (int reason = 0; reason < RELAY_DROP_COUNT; reason++)
		dropped += c->dropped[reason];
	if (dropped == 0)
		return;
	for (int reason = 0; reason < RELAY_DROP_COUNT; reason++)
		if (c->dropped[reason] > 0)
			log_message(LOG_LEVEL_INFO, "dropped %llu frames: %s",
				    (unsigned long long)c->dropped[reason],
				    relay_drop_reason_name((enum relay_drop_reason)reason));
}
