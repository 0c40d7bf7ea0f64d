/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Included ahead of each file of tests/test_clamp (gcc -include) to build
 * them a second time as tests/test_clamp_bpf: every call they make to the
 * clamp goes to a wrapper that runs src/clamp.c as before and then the same
 * frame through the tc clamp program (tests/clamp_bpf_run.h), which must
 * leave the same bytes and give the same result.  So the program meets every
 * vector of test_clamp, with clamp.c as its oracle, while test_clamp's own
 * checks still hold clamp.c to the RFCs.
 */
#ifndef PPPOE_MSS_TESTS_CLAMP_BPF_VECTORS_H
#define PPPOE_MSS_TESTS_CLAMP_BPF_VECTORS_H

#include "clamp.h"

enum clamp_result clamp_bpf_vectors_ppp(uint8_t *ppp, size_t len,
					const struct mss_limit *limit,
					enum mss_family *family);
enum clamp_result clamp_bpf_vectors_ipv4(uint8_t *packet, size_t len, uint16_t limit);
enum clamp_result clamp_bpf_vectors_ipv6(uint8_t *packet, size_t len, uint16_t limit);

#define clamp_ppp clamp_bpf_vectors_ppp
#define clamp_ipv4 clamp_bpf_vectors_ipv4
#define clamp_ipv6 clamp_bpf_vectors_ipv6

#endif
