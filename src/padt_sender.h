/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The PADT that ends a session, sent even when the link is down at the
 * moment it is due -- a flap that LCP echoes turned into a hangup: then it is
 * tried again each second until it goes out or PADT_RETRY_SECONDS pass.  A
 * process that someone waits for (a session child stopped by pppd) leaves
 * the retrying to a child of its own and exits at once.  Callers close what
 * keeps the session alive (a pty, a session socket) before they call.
 */
#ifndef PPPOE_MSS_PADT_SENDER_H
#define PPPOE_MSS_PADT_SENDER_H

#include <stdbool.h>
#include <stdint.h>

#include "discovery.h"
#include "frame_dump.h"
#include "session_record.h"

#define PADT_RETRY_SECONDS 60

struct padt_job {
	const struct discovery *disc;    /* builds the PADT: our MAC, Host-Uniq */
	int fd;                          /* discovery socket */
	uint16_t session_id;
	const uint8_t *ac_mac;
	const char *reason;
	const char *nic;                 /* for the log */
	const struct frame_dump *dump;
	struct session_record *record;   /* removed once the PADT is out; NULL: none */
};

enum padt_result {
	PADT_SENT,
	PADT_RETRYING,   /* a child of ours keeps trying */
	PADT_NOT_SENT,   /* logged; the record, if any, stays for the next start */
};

/*
 * wait_here: this process may spend the retry time (nobody waits for it);
 * otherwise the retries go to a forked child.
 */
enum padt_result padt_send_retrying(const struct padt_job *job, bool wait_here);

#endif
