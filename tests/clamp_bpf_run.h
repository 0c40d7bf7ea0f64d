/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Frames through the tc clamp program (src/clamp.bpf.c) with
 * BPF_PROG_TEST_RUN, for the tests that hold it against src/clamp.c
 * (tests/test_clamp_bpf, tests/test_tc_clamp), its fuzz target and make
 * bench.  The program is loaded as tc_clamp_load() loads it, attached
 * nowhere; the kernel hands it each frame as a received one with
 * CHECKSUM_NONE, whichever entry point runs.  Needs root and the BPF system
 * call.
 */
#ifndef PPPOE_MSS_TESTS_CLAMP_BPF_RUN_H
#define PPPOE_MSS_TESTS_CLAMP_BPF_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clamp.h"
#include "clamp_policy.h"
#include "lcp_snoop.h"
#include "tc_clamp.h"

/* The session the program is loaded for. */
#define CLAMP_BPF_RUN_SESSION_ID 0x1c2b
extern const uint8_t clamp_bpf_run_ac_mac[6];
extern const uint8_t clamp_bpf_run_our_mac[6];

/* Ethernet + PPPoE session headers. */
#define CLAMP_BPF_RUN_HEADER_LEN 20
/* Largest frame a test run takes here (the kernel takes about a page). */
#define CLAMP_BPF_RUN_FRAME_MAX 3000

struct clamp_bpf_run {
	struct tc_clamp *clamp;
	struct clamp_limits limits;     /* what the program has */
	struct tc_clamp_counts counts;  /* as last read */
};

/* Load the program (limits 0: off).  False, with a line in error, when it cannot be. */
bool clamp_bpf_run_open(struct clamp_bpf_run *run, char *error, size_t error_len);
void clamp_bpf_run_close(struct clamp_bpf_run *run);

/* New limits for the program, unless it has them already.  0 or -errno. */
int clamp_bpf_run_limits(struct clamp_bpf_run *run, const struct clamp_limits *limits);

/*
 * A frame of our session as it travels in dir (the AC's MAC as destination
 * when outbound, as source when inbound): headers with the given PPPoE
 * length, the PPP frame, then padding.  Returns the frame's length.
 */
size_t clamp_bpf_frame_build(uint8_t *frame, enum ppp_direction dir, uint16_t pppoe_length,
			     const uint8_t *ppp, size_t ppp_len, const uint8_t *padding,
			     size_t padding_len);

/*
 * One frame through the entry point for dir, repeat times; out (len bytes)
 * gets the frame as the program left it.  0, or -errno (also when the
 * program changed the frame's length); *retval what the program returned,
 * *ns the kernel's mean time per run.
 */
int clamp_bpf_run_frame(struct clamp_bpf_run *run, enum ppp_direction dir, const uint8_t *frame,
			size_t len, uint8_t *out, uint32_t repeat, uint32_t *retval, uint32_t *ns);

/*
 * Read the counters: how many frames were counted since the last read
 * (sum over directions and results), and the direction and result of one
 * of them.
 */
uint64_t clamp_bpf_run_counted(struct clamp_bpf_run *run, enum ppp_direction *dir,
			       enum clamp_result *result);

/*
 * The PPP frame before (len bytes) through the program for dir, with limit
 * as that direction's limits and the other direction's at 1 (a mix-up
 * shows), wrapped in our session's headers and followed by padding, held
 * against what clamp_ppp() made of it: after and want.  NULL when they
 * agree -- the same bytes, nothing outside the PPP frame changed, the frame
 * counted once and under want, TC_ACT_UNSPEC returned -- else what differs
 * (a static buffer).
 */
const char *clamp_bpf_run_check(struct clamp_bpf_run *run, enum ppp_direction dir,
				const struct mss_limit *limit, const uint8_t *before,
				const uint8_t *after, size_t len, enum clamp_result want,
				const uint8_t *padding, size_t padding_len);

#endif
