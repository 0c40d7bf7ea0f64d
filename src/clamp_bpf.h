/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the tc clamp program (src/clamp.bpf.c) and its loader
 * (src/tc_clamp.c) share: the layout of its maps and of its read-only
 * target.  Compiled by both clang -target bpf (freestanding: no libc) and
 * the host compiler, so it holds only fixed-width types; what it takes
 * from clamp.h and lcp_snoop.h (struct mss_limit, the enums that size its
 * arrays) needs nothing from libc either.
 */
#ifndef PPPOE_MSS_CLAMP_BPF_H
#define PPPOE_MSS_CLAMP_BPF_H

#include <linux/types.h>

#include "clamp.h"
#include "lcp_snoop.h"

/* The session whose frames are ours: fixed when the program is loaded. */
struct clamp_bpf_target {
	__u8 ac_mac[6];
	__u16 session_id;  /* host order */
};

/* Map clamp_limits, one entry: what clamp.c gets as limit, per direction. */
struct clamp_bpf_limits {
	struct mss_limit limit[PPP_DIRECTION_COUNT];
};

/* Map clamp_counts, one per-CPU entry: frames of our session by result,
 * and the clamped SYNs by family. */
struct clamp_bpf_counts {
	__u64 result[PPP_DIRECTION_COUNT][MSS_RESULT_COUNT];
	__u64 clamped[PPP_DIRECTION_COUNT][MSS_FAMILY_COUNT];
};

#endif
