/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which sessions an access concentrator has set up for us, seen from the
 * early guardian's own discovery socket: every PADS to our MAC that carries
 * our Host-Uniq and a session id.  The client takes one of them; whatever it
 * did not take, or could not take because it died first, must be ended with
 * a PADT, or the AC keeps it until its own timeout (and an AC that allows one
 * session per line refuses the next).  Sans-IO: frames in, sessions out.
 */
#ifndef PPPOE_MSS_PADS_WATCH_H
#define PPPOE_MSS_PADS_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "discovery.h"
#include "pppoe.h"

/* PADSs remembered: a retried PADR may be answered more than once, a forger
 * may send more -- what does not fit is not ours to end. */
#define PADS_WATCH_MAX 4

struct pads_session {
	uint16_t session_id;
	uint8_t ac_mac[PPPOE_MAC_LEN];
};

struct pads_watch {
	const struct discovery_config *config;  /* borrowed: our MAC, Host-Uniq, ethertypes */
	struct pads_session seen[PADS_WATCH_MAX];  /* not taken, not ended by the AC */
	size_t seen_count;
	bool taken;                             /* the client took this one */
	struct pads_session taken_session;
	bool taken_ended;                       /* and the AC ended it (PADT) */
	bool offered;                           /* a PADO for us: a PADR may have gone out */
};

enum pads_watch_news {
	PADS_WATCH_NOTHING,
	PADS_WATCH_NEW_SESSION,  /* a PADS set up a session for us that we did not know */
	PADS_WATCH_ENDED_BY_AC,  /* the AC's PADT ended one we knew: no PADT of ours for it */
};

void pads_watch_init(struct pads_watch *watch, const struct discovery_config *config);

/* A frame from the discovery socket; the session it concerns in *session. */
enum pads_watch_news pads_watch_frame(struct pads_watch *watch, const uint8_t *frame, size_t len,
				      struct pads_session *session);

/* The client took this session: it is no longer ours to end here. */
void pads_watch_take(struct pads_watch *watch, const struct pads_session *session);

/*
 * The sessions to end now that the client is gone or stopped without a
 * session: every one seen that it did not take and the AC did not end, into
 * out (up to capacity).
 */
size_t pads_watch_untaken(const struct pads_watch *watch, struct pads_session *out,
			  size_t capacity);

#endif
