/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the parts of tests/test_discovery share: the stations on the segment,
 * received frames written with tests/raw_frame.h, a tag walker of the tests'
 * own for sent frames (so the wire format is pinned down independently of
 * src/pppoe.c), and the checked fixture t, set up afresh for each test.
 */
#ifndef PPPOE_MSS_TEST_DISCOVERY_FIXTURE_H
#define PPPOE_MSS_TEST_DISCOVERY_FIXTURE_H

#include <check.h>
#include <stdint.h>

#include "discovery.h"
#include "raw_frame.h"

extern const uint8_t our_mac[PPPOE_MAC_LEN];
extern const uint8_t other_host[PPPOE_MAC_LEN];
extern const uint8_t ac1[PPPOE_MAC_LEN];
extern const uint8_t ac2[PPPOE_MAC_LEN];
extern const uint8_t host_uniq[4];

/* ---- writing received frames ---- */

/* A discovery frame from source to us. */
void frame_to_us(struct raw_frame *f, const uint8_t *source, uint8_t code, uint16_t session_id);
/* A PADO as an RFC 2516 AC sends it, answering our Host-Uniq (raw_finish() to come). */
void pado_begin(struct raw_frame *f, const uint8_t *source, const char *ac_name);
void make_pado(struct raw_frame *f, const uint8_t *source, const char *ac_name);
void make_pads(struct raw_frame *f, const uint8_t *source, uint16_t session_id);
void make_padt(struct raw_frame *f, const uint8_t *source, uint16_t session_id);

/* ---- checking sent frames ---- */

void check_sent_header(const struct discovery_event *ev, const uint8_t *dest,
		       uint16_t ethertype, uint8_t code, uint16_t session_id);
/* Exactly one tag of type, with this value. */
void check_sent_tag(const struct discovery_event *ev, uint16_t type,
		    const void *expected, size_t expected_len);
/* How many tags of type (0: all tags). */
unsigned sent_tag_count(const struct discovery_event *ev, uint16_t type);

/* ---- driving the state machine ---- */

/* discovery_config_defaults() with our MAC and Host-Uniq. */
void config_default(struct discovery_config *cfg);

/* What most tests start from (a checked fixture: set up afresh for each). */
struct discovery_fixture {
	struct discovery_config cfg;  /* config_default()'s */
	struct discovery disc;
	struct discovery_event ev;
	struct raw_frame f;
};
extern struct discovery_fixture t;

/* A test case whose tests each start from a fresh t (a checked fixture). */
TCase *fixture_tcase(const char *name);

void feed(struct discovery *disc, const struct raw_frame *f, uint64_t now,
	  struct discovery_event *ev);
/* Started at now: the PADI sent, waiting for a PADO. */
void start_at(struct discovery *disc, const struct discovery_config *cfg,
	      uint64_t now, struct discovery_event *ev);
/* ac1's PADO ("BRAS") accepted at 100, the PADR sent. */
void reach_wait_pads(struct discovery *disc, const struct discovery_config *cfg,
		     struct discovery_event *ev);
/* Then ac1's PADS for session_id at 200. */
void reach_session(struct discovery *disc, const struct discovery_config *cfg,
		   uint16_t session_id, struct discovery_event *ev);
void check_ignored(const struct discovery_event *ev, enum discovery_ignore_reason reason);
void check_rejected(const struct discovery_event *ev, enum discovery_reject_reason reason);

#endif
