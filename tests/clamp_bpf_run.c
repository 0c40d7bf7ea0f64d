/* SPDX-License-Identifier: GPL-2.0-or-later */
/* See clamp_bpf_run.h. */
#include "clamp_bpf_run.h"

#include <errno.h>
#include <linux/pkt_cls.h>
#include <stdio.h>
#include <string.h>

#include <bpf/bpf.h>

#include "byte_order.h"

/* Locally administered, never a real station's. */
const uint8_t clamp_bpf_run_ac_mac[6] = { 0x02, 0xac, 0x00, 0x00, 0x10, 0x01 };
const uint8_t clamp_bpf_run_our_mac[6] = { 0x02, 0xc1, 0x1e, 0x00, 0x20, 0x02 };

bool clamp_bpf_run_open(struct clamp_bpf_run *run, char *error, size_t error_len)
{
	struct tc_clamp_target target = { .ifindex = 1, .session_id = CLAMP_BPF_RUN_SESSION_ID };

	memset(run, 0, sizeof(*run));
	memcpy(target.ac_mac, clamp_bpf_run_ac_mac, sizeof(target.ac_mac));
	run->clamp = tc_clamp_load(&target, &run->limits, error, error_len);
	return run->clamp != NULL;
}

void clamp_bpf_run_close(struct clamp_bpf_run *run)
{
	tc_clamp_detach(run->clamp);
	run->clamp = NULL;
}

int clamp_bpf_run_limits(struct clamp_bpf_run *run, const struct clamp_limits *limits)
{
	int err;

	if (memcmp(limits, &run->limits, sizeof(*limits)) == 0)
		return 0;
	err = tc_clamp_set_limits(run->clamp, limits);
	if (err == 0)
		run->limits = *limits;
	return err;
}

size_t clamp_bpf_frame_build(uint8_t *frame, enum ppp_direction dir, uint16_t pppoe_length,
			     const uint8_t *ppp, size_t ppp_len, const uint8_t *padding,
			     size_t padding_len)
{
	bool outbound = dir == PPP_OUTBOUND;

	memcpy(frame, outbound ? clamp_bpf_run_ac_mac : clamp_bpf_run_our_mac, 6);
	memcpy(frame + 6, outbound ? clamp_bpf_run_our_mac : clamp_bpf_run_ac_mac, 6);
	put_be16(frame + 12, 0x8864);
	frame[14] = 0x11;
	frame[15] = 0x00;
	put_be16(frame + 16, CLAMP_BPF_RUN_SESSION_ID);
	put_be16(frame + 18, pppoe_length);
	if (ppp_len)
		memcpy(frame + CLAMP_BPF_RUN_HEADER_LEN, ppp, ppp_len);
	if (padding_len)
		memcpy(frame + CLAMP_BPF_RUN_HEADER_LEN + ppp_len, padding, padding_len);
	return CLAMP_BPF_RUN_HEADER_LEN + ppp_len + padding_len;
}

int clamp_bpf_run_frame(struct clamp_bpf_run *run, enum ppp_direction dir, const uint8_t *frame,
			size_t len, uint8_t *out, uint32_t repeat, uint32_t *retval, uint32_t *ns)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = (uint32_t)len,
		    .data_out = out, .data_size_out = (uint32_t)len, .repeat = repeat);
	int err = bpf_prog_test_run_opts(tc_clamp_program_fd(run->clamp, dir), &opts);

	if (err)
		return err;
	if (opts.data_size_out != len)
		return -EMSGSIZE;
	*retval = opts.retval;
	if (ns)
		*ns = opts.duration;
	return 0;
}

uint64_t clamp_bpf_run_counted(struct clamp_bpf_run *run, enum ppp_direction *dir,
			       enum clamp_result *result)
{
	struct tc_clamp_counts now;
	uint64_t counted = 0;

	if (tc_clamp_read_counts(run->clamp, &now) != 0)
		return UINT64_MAX;
	for (int d = 0; d < PPP_DIRECTION_COUNT; d++)
		for (int r = 0; r < MSS_RESULT_COUNT; r++) {
			uint64_t delta = now.result[d][r] - run->counts.result[d][r];

			if (delta) {
				*dir = (enum ppp_direction)d;
				*result = (enum clamp_result)r;
				counted += delta;
			}
		}
	run->counts = now;
	return counted;
}

static size_t first_difference(const uint8_t *a, const uint8_t *b, size_t len)
{
	size_t i = 0;

	while (i < len && a[i] == b[i])
		i++;
	return i;
}

const char *clamp_bpf_run_check(struct clamp_bpf_run *run, enum ppp_direction dir,
				const struct mss_limit *limit, const uint8_t *before,
				const uint8_t *after, size_t len, enum clamp_result want,
				const uint8_t *padding, size_t padding_len)
{
	static char why[256];
	static uint8_t frame[CLAMP_BPF_RUN_FRAME_MAX], out[CLAMP_BPF_RUN_FRAME_MAX],
		expected[CLAMP_BPF_RUN_FRAME_MAX];
	const struct mss_limit other = { 1, 1 };
	struct clamp_limits limits;
	enum clamp_result result = MSS_RESULT_COUNT;
	enum ppp_direction counted_dir = dir;
	size_t frame_len, at;
	uint64_t counted;
	uint32_t retval;
	int err;

	if (CLAMP_BPF_RUN_HEADER_LEN + len + padding_len > sizeof(frame) || len > UINT16_MAX)
		return "frame too long for a test run";
	limits.outbound = dir == PPP_OUTBOUND ? *limit : other;
	limits.inbound = dir == PPP_INBOUND ? *limit : other;
	err = clamp_bpf_run_limits(run, &limits);
	if (err) {
		snprintf(why, sizeof(why), "cannot set the limits: %s", strerror(-err));
		return why;
	}
	frame_len = clamp_bpf_frame_build(frame, dir, (uint16_t)len, before, len, padding,
					  padding_len);
	clamp_bpf_frame_build(expected, dir, (uint16_t)len, after, len, padding, padding_len);
	err = clamp_bpf_run_frame(run, dir, frame, frame_len, out, 1, &retval, NULL);
	if (err) {
		snprintf(why, sizeof(why), "BPF_PROG_TEST_RUN failed: %s", strerror(-err));
		return why;
	}
	counted = clamp_bpf_run_counted(run, &counted_dir, &result);
	at = first_difference(out, expected, frame_len);
	if (retval != (uint32_t)TC_ACT_UNSPEC)
		snprintf(why, sizeof(why), "the program returned %d, not TC_ACT_UNSPEC",
			 (int)retval);
	else if (counted != 1 || counted_dir != dir || result != want)
		snprintf(why, sizeof(why),
			 "%s frame of %zu bytes: clamp.c says \"%s\", the program counted %llu frames, the last as %s \"%s\"",
			 dir == PPP_OUTBOUND ? "outbound" : "inbound", len,
			 clamp_result_name(want), (unsigned long long)counted,
			 counted_dir == PPP_OUTBOUND ? "outbound" : "inbound",
			 counted ? clamp_result_name(result) : "-");
	else if (at < frame_len)
		snprintf(why, sizeof(why),
			 "%s frame of %zu bytes (%s): byte %zu of the %s is %#04x, clamp.c makes it %#04x",
			 dir == PPP_OUTBOUND ? "outbound" : "inbound", len,
			 clamp_result_name(want),
			 at < CLAMP_BPF_RUN_HEADER_LEN ? at
			 : at < CLAMP_BPF_RUN_HEADER_LEN + len ? at - CLAMP_BPF_RUN_HEADER_LEN
							       : at - CLAMP_BPF_RUN_HEADER_LEN - len,
			 at < CLAMP_BPF_RUN_HEADER_LEN ? "headers"
			 : at < CLAMP_BPF_RUN_HEADER_LEN + len ? "PPP frame"
							       : "padding",
			 out[at], expected[at]);
	else
		return NULL;
	return why;
}
