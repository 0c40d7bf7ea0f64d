/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PPPoE discovery state machine (RFC 2516 section 5): PADI -> PADO -> PADR ->
 * PADS, then watching for PADT/PADM/PADN while the session lives.  Sans-IO:
 * the caller passes frames and the current time in; every call fills an
 * event that says what happened and, when send_len > 0, which frame to
 * transmit.
 */
#ifndef PPPOE_MSS_DISCOVERY_H
#define PPPOE_MSS_DISCOVERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pppoe.h"

#define DISCOVERY_TAG_VALUE_MAX PPPOE_STANDARD_MAX_PAYLOAD
#define DISCOVERY_DEFAULT_TIMEOUT_MS 5000u
#define DISCOVERY_DEFAULT_ATTEMPTS 3u
/* Back-off doubles the wait per retry, up to this. */
#define DISCOVERY_MAX_TIMEOUT_MS 60000u
#define DISCOVERY_NO_DEADLINE UINT64_MAX

/*
 * What to ask for and whom to accept.  Pointers are borrowed: they must stay
 * valid for the life of the state machine.
 */
struct discovery_config {
	uint8_t our_mac[PPPOE_MAC_LEN];
	struct pppoe_ethertypes ethertypes;
	const uint8_t *service_name;  /* requested service; NULL or length 0 = any */
	size_t service_name_len;
	const uint8_t *ac_name;       /* accept only this AC-Name; NULL = any */
	size_t ac_name_len;
	const uint8_t *ac_mac;        /* accept only this AC MAC; NULL = any */
	const uint8_t *host_uniq;     /* sent in PADI/PADR and required in replies; NULL = none */
	size_t host_uniq_len;
	uint16_t ppp_max_payload;     /* RFC 4638: > 1492 to ask for it, 0 = don't */
	unsigned padi_attempts;       /* >= 1 */
	unsigned padr_attempts;       /* >= 1 */
	uint32_t timeout_ms;          /* first wait for PADO / PADS; doubles per retry */
	bool list_only;               /* collect PADOs until the first timeout, never send PADR */
};

/* Fill cfg with the defaults above (3 attempts, 5 s, standard ethertypes). */
void discovery_config_defaults(struct discovery_config *cfg);

enum discovery_state {
	DISCOVERY_IDLE,
	DISCOVERY_WAIT_PADO,
	DISCOVERY_WAIT_PADS,
	DISCOVERY_SESSION,
	DISCOVERY_DONE,    /* failed, terminated by PADT, or list complete */
};

enum discovery_event_type {
	DISCOVERY_EVENT_NONE,
	DISCOVERY_EVENT_SENT,          /* a PADI or PADR (re)sent: see attempt */
	DISCOVERY_EVENT_IGNORED,       /* a frame that is not for us: see ignored */
	DISCOVERY_EVENT_PADO,          /* an offer: accepted (PADR in send) or rejected */
	DISCOVERY_EVENT_SESSION_UP,    /* PADS accepted: session_id and ac_mac are set */
	DISCOVERY_EVENT_FAILED,        /* see failure */
	DISCOVERY_EVENT_TERMINATED,    /* PADT from our AC for our session */
	DISCOVERY_EVENT_MESSAGE,       /* PADM (message.motm / message.hurl) or PADN from our AC:
					* message.frame.code says which */
	DISCOVERY_EVENT_LIST_COMPLETE, /* list_only: the wait is over */
};

enum discovery_ignore_reason {
	DISCOVERY_IGNORE_NONE,
	DISCOVERY_IGNORE_MALFORMED,        /* bad headers or tag list */
	DISCOVERY_IGNORE_NOT_TO_US,        /* destination is not our MAC */
	DISCOVERY_IGNORE_UNEXPECTED_CODE,  /* e.g. a PADI from another client, a PADO while waiting for PADS */
	DISCOVERY_IGNORE_WRONG_HOST_UNIQ,  /* Host-Uniq missing, or not the one we sent */
	DISCOVERY_IGNORE_WRONG_AC,         /* not from the AC we chose */
	DISCOVERY_IGNORE_WRONG_SESSION,    /* PADT/PADM for another session id */
	DISCOVERY_IGNORE_COUNT,
};

enum discovery_reject_reason {
	DISCOVERY_REJECT_NONE,
	DISCOVERY_REJECT_AC_NAME,       /* AC-Name is not the one asked for */
	DISCOVERY_REJECT_AC_MAC,        /* source MAC is not the one asked for */
	DISCOVERY_REJECT_SERVICE,       /* the requested Service-Name is not offered */
	DISCOVERY_REJECT_ERROR_TAG,     /* the PADO carries an error tag: message.error */
	DISCOVERY_REJECT_BAD_SOURCE,    /* multicast/broadcast/zero source MAC */
	DISCOVERY_REJECT_TOO_LONG,      /* its tags are too long to keep or to echo in a PADR */
};

enum discovery_failure {
	DISCOVERY_FAILURE_NONE,
	DISCOVERY_FAILURE_NO_PADO,             /* every PADI unanswered (acceptably) */
	DISCOVERY_FAILURE_NO_PADS,             /* the chosen AC never confirmed */
	DISCOVERY_FAILURE_SERVICE_NAME_ERROR,  /* PADS with Service-Name-Error */
	DISCOVERY_FAILURE_AC_SYSTEM_ERROR,     /* PADS with AC-System-Error */
	DISCOVERY_FAILURE_GENERIC_ERROR,       /* PADS with Generic-Error */
	DISCOVERY_FAILURE_ZERO_SESSION,        /* PADS with session id 0 and no error tag */
	DISCOVERY_FAILURE_CONFIG_TOO_LONG,     /* Service-Name + Host-Uniq do not fit in a PADI */
};

struct discovery_event {
	enum discovery_event_type type;
	uint8_t send[PPPOE_DISCOVERY_FRAME_MAX];  /* frame to transmit now when send_len > 0 */
	size_t send_len;
	unsigned attempt;                         /* SENT: 1 for the first PADI/PADR */
	bool accepted;                            /* PADO */
	enum discovery_ignore_reason ignored;
	enum discovery_reject_reason rejected;
	enum discovery_failure failure;
	/* The parsed frame behind PADO/SESSION_UP/FAILED/TERMINATED/MESSAGE
	 * events (and IGNORED ones whose frame parsed); it points into the
	 * caller's frame buffer. */
	struct pppoe_discovery message;
	bool has_message;
};

struct discovery_counters {
	uint64_t ignored[DISCOVERY_IGNORE_COUNT];
	uint64_t pado_seen;
	uint64_t pado_rejected;
};

struct discovery {
	struct discovery_config config;
	enum discovery_state state;
	unsigned attempt;
	uint32_t current_timeout_ms;
	uint64_t deadline_ms;
	/* The chosen AC, and what we must echo to it. */
	uint8_t ac_mac[PPPOE_MAC_LEN];
	uint8_t ac_name[DISCOVERY_TAG_VALUE_MAX];
	size_t ac_name_len;
	uint8_t cookie[DISCOVERY_TAG_VALUE_MAX];
	size_t cookie_len;
	bool has_cookie;
	uint8_t relay_session_id[DISCOVERY_TAG_VALUE_MAX];
	size_t relay_session_id_len;
	bool has_relay_session_id;
	uint16_t session_id;
	uint16_t peer_max_payload;   /* PPP-Max-Payload confirmed in PADS; 0 if none */
	struct discovery_counters counters;
};

void discovery_init(struct discovery *disc, const struct discovery_config *config);

/* Send the first PADI (event SENT with the frame). */
void discovery_start(struct discovery *disc, uint64_t now_ms, struct discovery_event *ev);

/* Feed one received frame (any ethertype). */
void discovery_handle_frame(struct discovery *disc, const uint8_t *frame, size_t len,
			    uint64_t now_ms, struct discovery_event *ev);

/* Call once now_ms >= discovery_deadline(): retry with back-off, or fail. */
void discovery_handle_timeout(struct discovery *disc, uint64_t now_ms, struct discovery_event *ev);

/* When the next timeout is due; DISCOVERY_NO_DEADLINE when nothing is pending. */
uint64_t discovery_deadline(const struct discovery *disc);

/* Skip discovery for a session that already exists (rp-pppoe's -e sess:mac). */
void discovery_resume_session(struct discovery *disc, uint16_t session_id,
			      const uint8_t ac_mac[PPPOE_MAC_LEN]);

/*
 * Build a PADT for session_id to ac_mac (with our Host-Uniq, the AC's
 * Relay-Session-Id if we have one, and reason as Generic-Error when not NULL).
 * Returns the frame length, 0 if it does not fit.
 */
size_t discovery_build_padt(const struct discovery *disc, uint16_t session_id,
			    const uint8_t ac_mac[PPPOE_MAC_LEN], const char *reason,
			    uint8_t *buf, size_t capacity);

const char *discovery_ignore_reason_name(enum discovery_ignore_reason reason);
const char *discovery_reject_reason_name(enum discovery_reject_reason reason);
const char *discovery_failure_name(enum discovery_failure failure);

#endif
