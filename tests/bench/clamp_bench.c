/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * make bench, clamp part: calls clamp_ppp() N times on one kind of
 * frame, for tests/bench/clamp_bench.sh to count instructions with
 * callgrind.  Running it with N and with 0 and dividing the difference by N
 * leaves the instructions per frame: start-up and set-up cancel out.  A
 * rewritten SYN gets its MSS and checksum back before every call, outside
 * the clamp, so that every call rewrites.
 *
 * With "ns" it times instead, in nanoseconds per frame, clamp.c here and
 * the tc clamp program (src/clamp.bpf.c) by the kernel with
 * BPF_PROG_TEST_RUN (root), the same frames in the same PPPoE session
 * frame: for each case a line "CASE clamp.c-ns eBPF-ns eBPF-ns-one-by-one".
 * A repeated test run works on one skb, so a rewritten SYN is within the
 * limit from the second run on: rewrites are only timed one run per call,
 * which adds the kernel's timer reads to each figure.
 *
 *   clamp_bench CASE N      CASE: see the table below; "list" prints them
 *   clamp_bench ns N
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "byte_order.h"
#include "../clamp_bpf_run.h"
#include "clamp.h"

#define FRAME_MAX 256

struct clamp_case {
	const char *name;
	int ip_version;
	bool syn;
	uint16_t mss;             /* of a SYN */
	enum clamp_result expect;
};

/* -m 1452: 1452 for IPv4 and 1432 for IPv6. */
static const struct mss_limit limit = { 1452, 1432 };

static const struct clamp_case cases[] = {
	{ "ipv4-non-syn", 4, false, 0, MSS_PASS_NOT_SYN },
	{ "ipv4-syn-within", 4, true, 1400, MSS_PASS_WITHIN_LIMIT },
	{ "ipv4-syn-rewrite", 4, true, 1460, MSS_CLAMPED },
	{ "ipv6-non-syn", 6, false, 0, MSS_PASS_NOT_SYN },
	{ "ipv6-syn-within", 6, true, 1400, MSS_PASS_WITHIN_LIMIT },
	{ "ipv6-syn-rewrite", 6, true, 1440, MSS_CLAMPED },
};

/*
 * A PPP frame (protocol field first, as the relay hands it to the clamp):
 * a SYN with Linux's options (MSS, SACK permitted, timestamps, NOP, window
 * scale), or an ACK with 100 bytes of data.
 */
static size_t frame_build(const struct clamp_case *c, uint8_t *frame)
{
	static const uint8_t syn_options[20] = {
		2, 4, 0, 0, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7,
	};
	size_t ip_header = c->ip_version == 4 ? 20 : 40;
	size_t tcp_len = c->syn ? 40 : 20 + 100;
	uint8_t *ip = frame + 2;
	uint8_t *tcp = ip + ip_header;

	memset(frame, 0, FRAME_MAX);
	put_be16(frame, c->ip_version == 4 ? PPP_PROTOCOL_IPV4 : PPP_PROTOCOL_IPV6);
	if (c->ip_version == 4) {
		ip[0] = 0x45;
		put_be16(ip + 2, (uint16_t)(ip_header + tcp_len));
		ip[6] = 0x40;
		ip[8] = 64;
		ip[9] = 6;
	} else {
		ip[0] = 0x60;
		put_be16(ip + 4, (uint16_t)tcp_len);
		ip[6] = 6;
		ip[7] = 64;
	}
	put_be16(tcp, 40000);
	put_be16(tcp + 2, 443);
	tcp[12] = (uint8_t)((tcp_len > 40 ? 20 : tcp_len) / 4 << 4);
	tcp[13] = c->syn ? 0x02 : 0x10;
	put_be16(tcp + 16, 0x1234);  /* any checksum: the clamp patches it, never checks it */
	if (c->syn) {
		memcpy(tcp + 20, syn_options, sizeof(syn_options));
		put_be16(tcp + 22, c->mss);
	}
	return 2 + ip_header + tcp_len;
}

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* The tc program's mean ns per run over iterations runs, one by one or repeated. */
static double bpf_ns(struct clamp_bpf_run *run, const uint8_t *ppp, size_t len, long iterations,
		     bool one_by_one)
{
	uint8_t frame[CLAMP_BPF_RUN_HEADER_LEN + FRAME_MAX], out[sizeof(frame)];
	size_t frame_len = clamp_bpf_frame_build(frame, PPP_OUTBOUND, (uint16_t)len, ppp, len,
						 NULL, 0);
	uint32_t retval, ns;
	double total = 0;

	if (!one_by_one)
		return clamp_bpf_run_frame(run, PPP_OUTBOUND, frame, frame_len, out,
					   (uint32_t)iterations, &retval, &ns) == 0 ? (double)ns : -1;
	for (long i = 0; i < iterations; i++) {
		if (clamp_bpf_run_frame(run, PPP_OUTBOUND, frame, frame_len, out, 1, &retval, &ns))
			return -1;
		total += ns;
	}
	return total / (double)iterations;
}

static int bench_ns(long iterations)
{
	const struct clamp_limits limits = { limit, limit };
	struct clamp_bpf_run run;
	char error[256];
	bool bpf = clamp_bpf_run_open(&run, error, sizeof(error));

	if (!bpf)
		fprintf(stderr, "clamp_bench: no eBPF figures: %s\n", error);
	else if (clamp_bpf_run_limits(&run, &limits) != 0)
		return 1;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct clamp_case *c = &cases[i];
		uint8_t frame[FRAME_MAX], original[FRAME_MAX];
		size_t len = frame_build(c, frame);
		size_t mss_at = 2 + (c->ip_version == 4 ? 20 : 40) + 22;
		double start, clamp_ns;

		memcpy(original, frame, len);
		start = now_ns();
		for (long n = 0; n < iterations; n++) {
			if (c->expect == MSS_CLAMPED)
				memcpy(frame + mss_at - 6, original + mss_at - 6, 8);
			if (clamp_ppp(frame, len, &limit, NULL) != c->expect)
				return 1;
		}
		clamp_ns = (now_ns() - start) / (double)iterations;
		printf("%s %.1f", c->name, clamp_ns);
		if (!bpf)
			printf(" - -\n");
		else if (c->expect == MSS_CLAMPED)
			printf(" - %.1f\n", bpf_ns(&run, original, len, iterations / 10, true));
		else
			printf(" %.1f %.1f\n", bpf_ns(&run, original, len, iterations, false),
			       bpf_ns(&run, original, len, iterations / 10, true));
	}
	if (bpf)
		clamp_bpf_run_close(&run);
	return 0;
}

int main(int argc, char **argv)
{
	const struct clamp_case *c = NULL;
	uint8_t frame[FRAME_MAX], original[FRAME_MAX];
	size_t len, mss_at;
	long iterations;

	if (argc == 2 && strcmp(argv[1], "list") == 0) {
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
			printf("%s\n", cases[i].name);
		return 0;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: clamp_bench CASE N | clamp_bench ns N | clamp_bench list\n");
		return 2;
	}
	if (strcmp(argv[1], "ns") == 0)
		return bench_ns(strtol(argv[2], NULL, 10) > 0 ? strtol(argv[2], NULL, 10) : 1);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (strcmp(argv[1], cases[i].name) == 0)
			c = &cases[i];
	iterations = strtol(argv[2], NULL, 10);
	if (c == NULL || iterations < 0) {
		fprintf(stderr, "clamp_bench: unknown case '%s' or bad count\n", argv[1]);
		return 2;
	}
	len = frame_build(c, frame);
	memcpy(original, frame, len);
	/* Where the MSS value and the TCP checksum sit, to put them back. */
	mss_at = 2 + (c->ip_version == 4 ? 20 : 40) + 22;
	if (clamp_ppp(frame, len, &limit, NULL) != c->expect) {
		fprintf(stderr, "clamp_bench: %s does not give the result it stands for\n", c->name);
		return 1;
	}
	for (long i = 0; i < iterations; i++) {
		if (c->expect == MSS_CLAMPED)
			memcpy(frame + mss_at - 6, original + mss_at - 6, 8);  /* checksum .. MSS */
		if (clamp_ppp(frame, len, &limit, NULL) != c->expect)
			return 1;
	}
	return 0;
}
