/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the parts of relay_bench share: the directions, the workloads, the
 * programs compared, the test bed, and what one run of one program measured.
 */
#ifndef PPPOE_MSS_BENCH_RELAY_BENCH_H
#define PPPOE_MSS_BENCH_RELAY_BENCH_H

#include <stdbool.h>
#include <stdint.h>

#include "pppoe.h"

#define SESSION_ID 0x2a2a
#define MAX_PROGRAMS 4
#define MAX_REPEATS 25

enum direction { OUTBOUND, INBOUND, DIRECTIONS };

struct bench_case {
	const char *name;
	bool active[DIRECTIONS];
	unsigned ip_len;
	uint32_t frames;          /* per active direction */
	bool flood;               /* inbound without a window */
	const char *windowed;     /* the same frames in a window: the case to compare with */
};

struct program {
	const char *name;
	const char *path;
};

struct env {
	const char *client_if;
	uint8_t client_mac[PPPOE_MAC_LEN];
	uint8_t ac_mac[PPPOE_MAC_LEN];
	int ac_fd;                /* AF_PACKET on the AC's veth end, session ethertype */
	char tmpdir[64];
};

struct run_result {
	bool ok;
	double seconds;           /* first frame sent to last frame delivered */
	double cpu_seconds;       /* relay process, user + sys */
	long peak_rss_kib;        /* VmHWM */
	uint64_t delivered;       /* both directions */
	uint64_t ip_bytes;        /* IP bytes of the delivered frames */
	uint64_t lost;
	uint64_t checked;
	uint64_t mismatched;
	uint64_t duplicates;
};

#endif
