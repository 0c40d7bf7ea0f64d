/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * relay_bench's traffic: IPv4 TCP segments numbered by their sequence
 * number, one SYN in SYN_EVERY, and what each must look like on arrival.
 */
#ifndef PPPOE_MSS_BENCH_RELAY_TRAFFIC_H
#define PPPOE_MSS_BENCH_RELAY_TRAFFIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "relay_bench.h"

#define MSS_OFFERED 1460
#define MSS_CLAMP 1452            /* what -m 1452 must leave in every SYN */
#define SYN_EVERY 100             /* 1% of the frames open a connection */

#define IPV4_HEADER_LEN 20
#define TCP_HEADER_LEN 20
#define FRAME_BUFFER 2048

/* Once, before the first segment_build(). */
void random_pool_fill(void);

/* Every SYN and one frame in 64 (SAMPLE_EVERY): compared byte for byte on arrival. */
bool is_sampled(uint32_t index);

/*
 * Segment number index of a flow, as a host behind pppd (outbound) or a
 * server (inbound) sends it.  A SYN carries MSS mss; the others carry
 * payload from the random pool, a different slice per segment.
 */
size_t segment_build(enum direction dir, uint32_t index, unsigned ip_len, uint16_t mss,
		     uint8_t *ip);

/* The segment as it must arrive: the clamp recomputed here, independently of src/clamp.c. */
size_t segment_expected(enum direction dir, uint32_t index, unsigned ip_len, uint8_t *ip);

#endif
