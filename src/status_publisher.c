/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A session's live status, published (status_publisher.h). */
#include "status_publisher.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "render.h"

#define STATUS_INTERVAL_MS 1000

void status_publisher_begin(struct status_publisher *publisher, const struct discovery *disc,
			    const struct interface_info *iface, enum session_datapath datapath,
			    pid_t pppd_pid)
{
	struct session_status *status = &publisher->status;

	memset(publisher, 0, sizeof(*publisher));
	snprintf(status->nic, sizeof(status->nic), "%s", iface->name);
	render_printable(disc->ac_name, disc->ac_name_len, status->ac_name, sizeof(status->ac_name));
	memcpy(status->ac_mac, disc->ac_mac, PPPOE_MAC_LEN);
	memcpy(status->our_mac, iface->mac, PPPOE_MAC_LEN);
	status->session_id = disc->session_id;
	status->datapath = datapath;
	status->started = (int64_t)time(NULL);
	status->pid = getpid();
	status->pppd_pid = pppd_pid;
}

static uint16_t as_u16(unsigned value)
{
	return value > UINT16_MAX ? UINT16_MAX : (uint16_t)value;
}

void status_publisher_take_relay(struct status_publisher *publisher, const struct relay *relay)
{
	struct session_status *status = &publisher->status;
	const struct relay_counters *counters = &relay->counters;

	status->mtu = as_u16(relay->mtu);
	status->mru = as_u16(relay->mru);
	status->limits = relay->limits;
	memcpy(status->clamped, counters->clamped, sizeof(status->clamped));
	memcpy(status->malformed, counters->malformed_ip, sizeof(status->malformed));
	memcpy(status->frames, counters->frames, sizeof(status->frames));
	memcpy(status->bytes, counters->bytes, sizeof(status->bytes));
	memcpy(status->dropped, counters->dropped, sizeof(status->dropped));
}

void status_publisher_take_report(struct status_publisher *publisher,
				  const struct session_status *reported)
{
	struct session_status *status = &publisher->status;

	status->mtu = reported->mtu;
	status->mru = reported->mru;
	status->limits = reported->limits;
	memcpy(status->clamped, reported->clamped, sizeof(status->clamped));
	memcpy(status->malformed, reported->malformed, sizeof(status->malformed));
	memcpy(status->frames, reported->frames, sizeof(status->frames));
	memcpy(status->bytes, reported->bytes, sizeof(status->bytes));
	memcpy(status->dropped, reported->dropped, sizeof(status->dropped));
}

void status_publisher_take_clamp(struct status_publisher *publisher,
				 const struct tc_clamp_counts *counts,
				 const struct clamp_limits *limits, unsigned mtu, unsigned mru)
{
	struct session_status *status = &publisher->status;

	status->mtu = as_u16(mtu);
	status->mru = as_u16(mru);
	status->limits = *limits;
	memcpy(status->clamped, counts->clamped, sizeof(status->clamped));
	for (int dir = 0; dir < PPP_DIRECTION_COUNT; dir++)
		status->malformed[dir] = counts->result[dir][MSS_PASS_MALFORMED];
}

void status_publisher_flush(struct status_publisher *publisher, uint64_t now_ms)
{
	char text[SESSION_STATUS_FILE_MAX];
	size_t len;

	if (now_ms < publisher->next_ms)
		return;
	publisher->next_ms = now_ms + STATUS_INTERVAL_MS;
	len = session_status_format(&publisher->status, text, sizeof(text));
	if (len == 0 || (len == publisher->published_len && memcmp(text, publisher->published, len) == 0))
		return;
	if (session_status_publish(PPPOE_MSS_RUN_DIR, &publisher->status) < 0) {
		/* Once: the session itself is not at stake. */
		if (!publisher->failure_logged)
			log_message(LOG_LEVEL_WARN, "cannot publish the session's status in %s: %s",
				    PPPOE_MSS_RUN_DIR, strerror(errno));
		publisher->failure_logged = true;
		return;
	}
	memcpy(publisher->published, text, len);
	publisher->published_len = len;
}

void status_publisher_end(struct status_publisher *publisher)
{
	if (publisher->published_len > 0)
		session_status_withdraw(PPPOE_MSS_RUN_DIR, &publisher->status);
	publisher->published_len = 0;
}

void status_publisher_end_for(const char *nic, uint16_t session_id,
			      const uint8_t ac_mac[PPPOE_MAC_LEN])
{
	struct session_status status = { .session_id = session_id };

	snprintf(status.nic, sizeof(status.nic), "%s", nic);
	memcpy(status.ac_mac, ac_mac, PPPOE_MAC_LEN);
	session_status_withdraw(PPPOE_MSS_RUN_DIR, &status);
}
