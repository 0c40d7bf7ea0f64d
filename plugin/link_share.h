/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The MTU and MRU pppd negotiated, handed from pppd (which learns them in the
 * channel's send_config/recv_config) to the relay child (which clamps with
 * them), through one shared anonymous page.  pppd is the only writer; the
 * generation counter tells the relay when to look again.
 */
#ifndef PPPOE_MSS_LINK_SHARE_H
#define PPPOE_MSS_LINK_SHARE_H

#include <stdint.h>

struct link_share {
	uint32_t generation;
	uint32_t mtu;
	uint32_t mru;
};

/* A page shared with children forked later; NULL on failure (errno set). */
struct link_share *link_share_create(void);
void link_share_destroy(struct link_share *share);

/* pppd side: a new value for one direction (0 leaves it as it is). */
void link_share_publish(struct link_share *share, unsigned mtu, unsigned mru);

/* Relay side: true, with the values, when they changed since *seen. */
int link_share_poll(const struct link_share *share, uint32_t *seen, unsigned *mtu, unsigned *mru);

#endif
