/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The MTU and MRU pppd negotiated, handed from pppd (which learns them in the
 * channel's send_config/recv_config) to the relay child (which clamps with
 * them), through one shared anonymous page.  pppd is the only writer; the
 * generation counter tells the relay when to look again.
 */
#ifndef PPPOE_MSS_NEGOTIATED_MTU_MRU_H
#define PPPOE_MSS_NEGOTIATED_MTU_MRU_H

#include <stdint.h>

struct negotiated_mtu_mru {
	uint32_t generation;
	uint32_t mtu;
	uint32_t mru;
};

/* A page shared with children forked later; NULL on failure (errno set). */
struct negotiated_mtu_mru *negotiated_mtu_mru_create(void);
void negotiated_mtu_mru_destroy(struct negotiated_mtu_mru *share);

/* pppd side: a new value for one direction (0 leaves it as it is). */
void negotiated_mtu_mru_publish(struct negotiated_mtu_mru *share, unsigned mtu, unsigned mru);

/* Relay side: true, with the values, when they changed since *seen. */
int negotiated_mtu_mru_poll(const struct negotiated_mtu_mru *share, uint32_t *seen, unsigned *mtu,
			    unsigned *mru);

#endif
