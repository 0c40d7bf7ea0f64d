/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Differential fuzz target for the tc clamp program (src/clamp.bpf.c)
 * against src/clamp.c: any PPP frame, wrapped in our session's Ethernet and
 * PPPoE headers, through the program with BPF_PROG_TEST_RUN and through
 * clamp_ppp(): the same bytes, the same result (the frame counted once,
 * under it), nothing outside the PPP frame touched, TC_ACT_UNSPEC
 * (tests/clamp_bpf_run.h checks it all).  The kernel runs the program, so
 * this needs root and the BPF system call; clamp.c's own fuzz target
 * (fuzz_clamp.c) holds clamp.c to the RFCs.
 *
 * Input, as fuzz_clamp.c's so that the two share seeds: a byte whose value
 * mod 3 is the entry point (a PPP frame, or a bare IPv4 or IPv6 packet that
 * gets the protocol field) and whose higher digits pick the direction and
 * how many of the frame's last bytes become Ethernet padding behind the
 * PPPoE length; the IPv4 limit (2), the IPv6 limit (2); the frame.
 */
#include "fuzz_input.h"

#include "clamp.h"
#include "clamp_bpf_run.h"

/* Ethernet's 1500 bytes less the PPPoE header: what the test run is given at most. */
#define PPP_FRAME_MAX 1494
#define PADDING_MAX 42

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct clamp_bpf_run run;
	static bool run_open;
	struct fuzz_input in = { data, size };
	uint8_t choice = fuzz_u8(&in);
	enum ppp_direction dir = choice / 3 % 2 ? PPP_INBOUND : PPP_OUTBOUND;
	size_t padding = choice / 6 % (PADDING_MAX + 1), header = 0, len, got;
	struct mss_limit limit;
	enum clamp_result result;
	const uint8_t *bytes;
	uint8_t *before, *after;
	const char *why;

	if (!run_open) {
		char error[256];

		if (!clamp_bpf_run_open(&run, error, sizeof(error))) {
			fprintf(stderr, "fuzz_clamp_bpf: needs root and the BPF system call: %s\n",
				error);
			abort();
		}
		run_open = true;
	}
	limit.ipv4 = fuzz_u16(&in);
	limit.ipv6 = fuzz_u16(&in);
	bytes = fuzz_bytes(&in, PPP_FRAME_MAX - 2, &got);
	if (choice % 3 != 0)
		header = 2;
	len = header + got;
	/* A frame without a protocol field is not counted: tests/test_tc_clamp.c. */
	if (len == 0)
		return 0;
	before = fuzz_copy(bytes, got, header);
	if (header) {
		before[0] = 0x00;
		before[1] = choice % 3 == 1 ? PPP_PROTOCOL_IPV4 : PPP_PROTOCOL_IPV6;
	}
	if (padding >= len)
		padding = len - 1;
	len -= padding;
	after = fuzz_copy(before, len, 0);
	result = clamp_ppp(after, len, &limit, NULL);
	why = clamp_bpf_run_check(&run, dir, &limit, before, after, len, result, before + len,
				  padding);
	if (why) {
		fprintf(stderr, "fuzz_clamp_bpf: the program disagrees with clamp.c: %s\n", why);
		abort();
	}
	free(before);
	free(after);
	return 0;
}
