/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The MSS clamp of a session carried by the kernel's PPPoE: the tc program
 * of src/clamp.bpf.c, loaded for one session and attached (clsact, ingress
 * and egress) to the Ethernet device the session runs on.  Several sessions
 * may share a device: each attaches its own instance at the same priority,
 * under a handle of its own, and removes only its own.
 */
#ifndef PPPOE_MSS_TC_CLAMP_H
#define PPPOE_MSS_TC_CLAMP_H

#include <stddef.h>
#include <stdint.h>

#include "clamp.h"
#include "clamp_policy.h"
#include "lcp_snoop.h"

/*
 * The tc priority of every instance's filters: low enough to run before
 * filters added without one (the kernel numbers those down from 49152), and
 * unusual enough not to meet a user's filter of another kind, which the
 * kernel refuses at the same priority.
 */
#define TC_CLAMP_PRIORITY 1492

struct tc_clamp;

struct tc_clamp_target {
	int ifindex;           /* the Ethernet device carrying the session */
	uint16_t session_id;
	uint8_t ac_mac[6];
	/*
	 * The handle both filters ask for, known before they exist so that a
	 * session record can name them first: unique among the live sessions
	 * on the device (the attaching process's pid).  0: the kernel picks
	 * one.
	 */
	uint32_t handle;
};

/* Frames of our session by clamp result, per direction (PPP_OUTBOUND: egress). */
struct tc_clamp_counts {
	uint64_t result[PPP_DIRECTION_COUNT][MSS_RESULT_COUNT];
	uint64_t clamped[PPP_DIRECTION_COUNT][MSS_FAMILY_COUNT];  /* MSS_CLAMPED by family */
};

/*
 * Load the program for target with limits, attached nowhere yet.  NULL on
 * failure, with one line in error saying why in terms a user can act on.
 */
struct tc_clamp *tc_clamp_load(const struct tc_clamp_target *target,
			       const struct clamp_limits *limits, char *error, size_t error_len);

/* The handle the next tc_clamp_attach_loaded() asks for (0: the kernel picks). */
void tc_clamp_set_handle(struct tc_clamp *clamp, uint32_t handle);

/*
 * Create a clsact qdisc on the device if it has none (never replacing or
 * deleting anything there), and attach the two filters.  0;
 * TC_CLAMP_HANDLE_TAKEN when a filter holds the handle asked for (nothing
 * attached: ask for another); or -1 with one line in error, nothing
 * attached.  The clamp stays loaded.
 */
#define TC_CLAMP_HANDLE_TAKEN 1
int tc_clamp_attach_loaded(struct tc_clamp *clamp, char *error, size_t error_len);

/* Both: the loaded clamp, attached (under a handle the kernel picks when the
 * one asked for is taken); NULL (and error) on failure. */
struct tc_clamp *tc_clamp_attach(const struct tc_clamp_target *target,
				 const struct clamp_limits *limits, char *error, size_t error_len);

/* New limits, in effect for the next frame (LCP renegotiated).  0 or -errno. */
int tc_clamp_set_limits(struct tc_clamp *clamp, const struct clamp_limits *limits);

/* The counters since the program was loaded, summed over CPUs.  0 or -errno. */
int tc_clamp_read_counts(const struct tc_clamp *clamp, struct tc_clamp_counts *counts);

/*
 * What names an instance's filters within one boot (program ids are not
 * reused before they wrap): enough to remove them after every process that
 * held the instance was killed (a session record keeps it).  Known once the
 * program is loaded, before the filters are attached.  A direction with
 * program id 0 has no filter.
 */
struct tc_clamp_filters {
	int ifindex;
	uint32_t handle[PPP_DIRECTION_COUNT];
	uint32_t program_id[PPP_DIRECTION_COUNT];
};

void tc_clamp_describe(const struct tc_clamp *clamp, struct tc_clamp_filters *filters);

/* Remove each filter that still runs the program it names (one already gone
 * is no error); how many were removed, or -errno. */
int tc_clamp_detach_filters(const struct tc_clamp_filters *filters);

/*
 * Remove exactly our two filters (by their handle and priority), close every
 * descriptor, free.  The qdisc stays: others may have filters on it.  Safe
 * in a forked child that inherited clamp (the guardian of a killed pppd).
 * NULL is a no-op.
 */
void tc_clamp_detach(struct tc_clamp *clamp);

/*
 * Close every descriptor and free, leaving the filters alone: for the
 * process whose forked child has detached them already.  Detaching a second
 * time could remove another session's filter, which may have been given the
 * handle ours had.  NULL is a no-op.
 */
void tc_clamp_release(struct tc_clamp *clamp);

/* For tests and benchmarks: the descriptor of the entry point for a
 * direction, to run with BPF_PROG_TEST_RUN. */
int tc_clamp_program_fd(const struct tc_clamp *clamp, enum ppp_direction direction);

#endif
