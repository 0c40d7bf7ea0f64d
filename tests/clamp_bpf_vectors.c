/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The wrappers of tests/clamp_bpf_vectors.h.  Successive calls take turns
 * through both directions, three kinds of Ethernet padding behind the PPPoE
 * payload (none; up to the 60-byte minimum frame; 13 bytes), and for a bare
 * IP packet both forms of the PPP protocol field, so that between them the
 * vectors reach every entry point, every alignment of the TCP checksum
 * field, and padding that looks like an MSS option.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "clamp_bpf_run.h"
#include "clamp_bpf_vectors.h"

#undef clamp_ppp
#undef clamp_ipv4
#undef clamp_ipv6

static struct clamp_bpf_run run;
static bool run_open;
static unsigned calls;

/* MSS options, NOPs and a malformed length: what the program must not read. */
static const uint8_t padding_pattern[40] = {
	2, 4, 0xff, 0xff, 1, 2, 4, 0xff, 0xff, 8, 10, 0xff, 0xff, 2, 4, 0x7f, 0xff, 0, 0, 0,
	2, 4, 0xff, 0xff, 1, 2, 4, 0xff, 0xff, 8, 10, 0xff, 0xff, 2, 4, 0x7f, 0xff, 0, 0, 0,
};

static void check_program(const struct mss_limit *limit, const uint8_t *before,
			  const uint8_t *after, size_t len, enum clamp_result want)
{
	enum ppp_direction dir = calls % 2 ? PPP_INBOUND : PPP_OUTBOUND;
	size_t padding = 0;
	const char *why;

	if (!run_open) {
		char error[256];

		if (!clamp_bpf_run_open(&run, error, sizeof(error)))
			ck_abort_msg("the tc clamp program cannot run (root and the BPF system call needed): %s",
				     error);
		run_open = true;
	}
	switch (calls / 2 % 3) {
	case 1:
		if (CLAMP_BPF_RUN_HEADER_LEN + len < 60)
			padding = 60 - CLAMP_BPF_RUN_HEADER_LEN - len;
		break;
	case 2:
		padding = 13;
		break;
	}
	calls++;
	/* A frame without a protocol field is no PPP frame: tests/test_tc_clamp.c. */
	if (len == 0)
		return;
	why = clamp_bpf_run_check(&run, dir, limit, before, after, len, want, padding_pattern,
				  padding);
	if (why)
		ck_abort_msg("the tc clamp program disagrees with clamp.c: %s", why);
}

static uint8_t *copy_of(const uint8_t *data, size_t len, size_t headroom)
{
	uint8_t *copy = malloc(headroom + len + 1);

	ck_assert_ptr_nonnull(copy);
	if (len)
		memcpy(copy + headroom, data, len);
	return copy;
}

enum clamp_result clamp_bpf_vectors_ppp(uint8_t *ppp, size_t len,
					const struct mss_limit *limit,
					enum mss_family *family)
{
	uint8_t *before = copy_of(ppp, len, 0);
	enum clamp_result result = clamp_ppp(ppp, len, limit, family);

	check_program(limit, before, ppp, len, result);
	free(before);
	return result;
}

/* A bare packet is what the PPP frame of its protocol carries, in either form of the field. */
static enum clamp_result bare_packet(uint8_t *packet, size_t len, uint16_t limit,
				     enum mss_family family)
{
	uint8_t protocol = family == MSS_FAMILY_IPV4 ? PPP_PROTOCOL_IPV4 : PPP_PROTOCOL_IPV6;
	size_t header = calls / 6 % 2 ? 1 : 2;
	uint8_t *before = copy_of(packet, len, header), *after;
	/* The other family's limit at 1: taking the wrong one shows. */
	struct mss_limit limits = { 1, 1 };
	enum clamp_result result;

	if (family == MSS_FAMILY_IPV4) {
		limits.ipv4 = limit;
		result = clamp_ipv4(packet, len, limit);
	} else {
		limits.ipv6 = limit;
		result = clamp_ipv6(packet, len, limit);
	}
	before[0] = 0x00;
	before[header - 1] = protocol;
	after = copy_of(packet, len, header);
	memcpy(after, before, header);
	check_program(&limits, before, after, header + len, result);
	free(before);
	free(after);
	return result;
}

enum clamp_result clamp_bpf_vectors_ipv4(uint8_t *packet, size_t len, uint16_t limit)
{
	return bare_packet(packet, len, limit, MSS_FAMILY_IPV4);
}

enum clamp_result clamp_bpf_vectors_ipv6(uint8_t *packet, size_t len, uint16_t limit)
{
	return bare_packet(packet, len, limit, MSS_FAMILY_IPV6);
}
