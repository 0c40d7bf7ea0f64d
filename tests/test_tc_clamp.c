/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tests for src/tc_clamp.c and what only the tc program of src/clamp.bpf.c
 * does (tests/test_clamp_bpf holds its clamp to src/clamp.c vector for
 * vector): picking our session's frames out of everything a NIC carries,
 * bounding the PPP frame by the PPPoE length, limits and counters per
 * direction; then attaching to real veth devices in a network namespace of
 * the test's own, next to other instances and the user's filters, and real
 * frames through them, checksum offload (CHECKSUM_PARTIAL) included.
 * Needs root and the BPF system call; frames and checksums are built and
 * checked here, independently of the code under test.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/pkt_cls.h>
#include <linux/virtio_net.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "byte_order.h"
#include "check_main.h"
#include "checksum.h"
#include "clamp_bpf_run.h"
#include "tc_clamp.h"

#define FRAME_MAX 256
#define PPP_AT CLAMP_BPF_RUN_HEADER_LEN

/* ---- frames: a SYN with one MSS option, its checksum from scratch ---- */

struct syn {
	uint8_t ppp[FRAME_MAX];
	size_t len;      /* PPP frame */
	size_t ip, tcp;  /* offsets in ppp */
	enum mss_family family;
};

/* One's complement sum of the pseudo-header alone. */
static uint32_t pseudo_header_sum(const struct syn *s)
{
	const uint8_t *ip = s->ppp + s->ip;
	size_t tcp_len = s->len - s->tcp;

	if (s->family == MSS_FAMILY_IPV4)
		return sum_bytes(0, ip + 12, 8) + 6 + (uint32_t)tcp_len;
	return sum_bytes(0, ip + 8, 32) + 6 + (uint32_t)tcp_len;
}

static bool tcp_checksum_ok(const struct syn *s)
{
	return fold(sum_bytes(pseudo_header_sum(s), s->ppp + s->tcp, s->len - s->tcp)) == 0xffff;
}

static uint16_t mss_of(const struct syn *s)
{
	return get_be16(s->ppp + s->tcp + 22);
}

/*
 * An IPv4 or IPv6 SYN with an MSS option (and a window scale), PPP protocol
 * field compressed or not.  partial: the checksum field holds the
 * pseudo-header sum, as a host that leaves the rest to the device has it.
 */
static void syn_build(struct syn *s, enum mss_family family, bool compressed, uint16_t mss,
		      bool partial)
{
	static const uint8_t options[8] = { 2, 4, 0, 0, 1, 3, 3, 7 };
	uint8_t *ip, *tcp;

	memset(s, 0, sizeof(*s));
	s->family = family;
	s->ip = compressed ? 1 : 2;
	s->ppp[s->ip - 1] = family == MSS_FAMILY_IPV4 ? PPP_PROTOCOL_IPV4 : PPP_PROTOCOL_IPV6;
	ip = s->ppp + s->ip;
	s->tcp = s->ip + (family == MSS_FAMILY_IPV4 ? 20 : 40);
	s->len = s->tcp + 20 + sizeof(options);
	if (family == MSS_FAMILY_IPV4) {
		ip[0] = 0x45;
		put_be16(ip + 2, (uint16_t)(s->len - s->ip));
		ip[6] = 0x40;
		ip[8] = 64;
		ip[9] = 6;
		put_be32(ip + 12, 0xc0000201);
		put_be32(ip + 16, 0xc6336407);
		put_be16(ip + 10, (uint16_t)~fold(sum_bytes(0, ip, 20)));
	} else {
		ip[0] = 0x60;
		put_be16(ip + 4, (uint16_t)(s->len - s->tcp));
		ip[6] = 6;
		ip[7] = 64;
		put_be32(ip + 8, 0x20010db8);
		put_be32(ip + 20, 1);
		put_be32(ip + 24, 0x20010db8);
		put_be32(ip + 36, 0x77);
	}
	tcp = s->ppp + s->tcp;
	put_be16(tcp, 49152);
	put_be16(tcp + 2, 443);
	put_be32(tcp + 4, 0x01020304);
	tcp[12] = (20 + sizeof(options)) / 4 << 4;
	tcp[13] = 0x02;
	put_be16(tcp + 14, 64240);
	memcpy(tcp + 20, options, sizeof(options));
	put_be16(tcp + 22, mss);
	if (partial)
		put_be16(tcp + 16, fold(pseudo_header_sum(s)));
	else
		put_be16(tcp + 16, (uint16_t)~fold(sum_bytes(pseudo_header_sum(s), tcp, s->len - s->tcp)));
}

/* ---- the program through BPF_PROG_TEST_RUN ---- */

static struct clamp_bpf_run run;

static void run_setup(void)
{
	char error[256];

	if (!clamp_bpf_run_open(&run, error, sizeof(error)))
		ck_abort_msg("the tc clamp program cannot run (root and the BPF system call needed): %s",
			     error);
}

static void run_teardown(void)
{
	clamp_bpf_run_close(&run);
}

static const struct clamp_limits test_limits = {
	.outbound = { 1452, 1432 },
	.inbound = { 1400, 1380 },
};

/* Run frame through dir into out; the program must return TC_ACT_UNSPEC whatever it is. */
static void run_into(enum ppp_direction dir, const uint8_t *frame, size_t len, uint8_t *out)
{
	uint32_t retval;

	ck_assert_int_eq(clamp_bpf_run_frame(&run, dir, frame, len, out, 1, &retval, NULL), 0);
	ck_assert_int_eq((int)retval, TC_ACT_UNSPEC);
}

/* frame must come out as it went in and be counted nowhere. */
static void check_untouched(enum ppp_direction dir, const uint8_t *frame, size_t len)
{
	uint8_t out[FRAME_MAX + 64];
	enum clamp_result result;
	enum ppp_direction counted_dir;

	run_into(dir, frame, len, out);
	ck_assert_mem_eq(out, frame, len);
	ck_assert_uint_eq(clamp_bpf_run_counted(&run, &counted_dir, &result), 0);
}

/* frame must be counted once under want; the PPP frame after it goes to s when given. */
static void check_counted(enum ppp_direction dir, const uint8_t *frame, size_t len,
			  enum clamp_result want, struct syn *s)
{
	uint8_t out[FRAME_MAX + 64];
	enum clamp_result result = MSS_RESULT_COUNT;
	enum ppp_direction counted_dir = PPP_DIRECTION_COUNT;

	run_into(dir, frame, len, out);
	ck_assert_uint_eq(clamp_bpf_run_counted(&run, &counted_dir, &result), 1);
	ck_assert_int_eq(counted_dir, dir);
	ck_assert_str_eq(clamp_result_name(result), clamp_result_name(want));
	if (want != MSS_CLAMPED)
		ck_assert_mem_eq(out, frame, len);
	if (s)
		memcpy(s->ppp, out + PPP_AT, s->len);
}

START_TEST(other_frames_untouched)
{
	uint8_t frame[FRAME_MAX];
	struct syn s;
	size_t len;

	ck_assert_int_eq(clamp_bpf_run_limits(&run, &test_limits), 0);
	syn_build(&s, MSS_FAMILY_IPV4, false, 1460, false);
	for (int d = 0; d < PPP_DIRECTION_COUNT; d++) {
		enum ppp_direction dir = (enum ppp_direction)d;
		size_t ac_at = dir == PPP_OUTBOUND ? 0 : 6, peer_at = dir == PPP_OUTBOUND ? 6 : 0;

		len = clamp_bpf_frame_build(frame, dir, (uint16_t)s.len, s.ppp, s.len, NULL, 0);
		/* The control: as it is, the frame is ours. */
		check_counted(dir, frame, len, MSS_CLAMPED, NULL);

		put_be16(frame + 16, CLAMP_BPF_RUN_SESSION_ID + 1);  /* another session */
		check_untouched(dir, frame, len);
		put_be16(frame + 16, CLAMP_BPF_RUN_SESSION_ID);
		frame[ac_at + 5] ^= 1;  /* our session id from another station */
		check_untouched(dir, frame, len);
		/* ... with the AC's MAC on the wrong side */
		memcpy(frame + peer_at, clamp_bpf_run_ac_mac, 6);
		check_untouched(dir, frame, len);
		clamp_bpf_frame_build(frame, dir, (uint16_t)s.len, s.ppp, s.len, NULL, 0);

		put_be16(frame + 12, 0x8863);  /* discovery, session code */
		check_untouched(dir, frame, len);
		frame[15] = 0x09;  /* PADI */
		check_untouched(dir, frame, len);
		put_be16(frame + 12, 0x8864);  /* a discovery code on the session ethertype */
		check_untouched(dir, frame, len);
		frame[15] = 0x00;
		frame[14] = 0x12;  /* version/type other than 1/1 */
		check_untouched(dir, frame, len);
		frame[14] = 0x21;
		check_untouched(dir, frame, len);
		frame[14] = 0x11;

		/* Plain IPv4 carrying the SYN, and the PPPoE frame in an 802.1Q tag. */
		put_be16(frame + 12, 0x0800);
		memcpy(frame + 14, s.ppp + s.ip, s.len - s.ip);
		check_untouched(dir, frame, 14 + s.len - s.ip);
		clamp_bpf_frame_build(frame + 4, dir, (uint16_t)s.len, s.ppp, s.len, NULL, 0);
		memmove(frame, frame + 4, 12);
		put_be16(frame + 12, 0x8100);
		put_be16(frame + 14, 7);
		check_untouched(dir, frame, len + 4);

		/* Too short for the headers. */
		len = clamp_bpf_frame_build(frame, dir, 0, NULL, 0, NULL, 0);
		check_untouched(dir, frame, len - 1);
	}
}
END_TEST

START_TEST(pppoe_length_bounds_the_frame)
{
	static const uint8_t mss_padding[18] = { 2, 4, 0xff, 0xff, 1, 1, 2, 4, 0xff, 0xff };
	uint8_t frame[FRAME_MAX];
	struct syn s, bare, out;
	size_t len;

	ck_assert_int_eq(clamp_bpf_run_limits(&run, &test_limits), 0);
	syn_build(&s, MSS_FAMILY_IPV4, false, 1460, false);
	for (int d = 0; d < PPP_DIRECTION_COUNT; d++) {
		enum ppp_direction dir = (enum ppp_direction)d;

		/* A length past the frame's end, or none: not a frame pppoe_rcv() takes. */
		len = clamp_bpf_frame_build(frame, dir, (uint16_t)(s.len + 1), s.ppp, s.len, NULL, 0);
		check_untouched(dir, frame, len);
		len = clamp_bpf_frame_build(frame, dir, 0xffff, s.ppp, s.len, NULL, 0);
		check_untouched(dir, frame, len);
		len = clamp_bpf_frame_build(frame, dir, 0, s.ppp, s.len, NULL, 0);
		check_untouched(dir, frame, len);

		/* Exactly the frame, with Ethernet padding behind it: clamped, padding kept. */
		out = s;
		len = clamp_bpf_frame_build(frame, dir, (uint16_t)s.len, s.ppp, s.len, mss_padding,
					    sizeof(mss_padding));
		check_counted(dir, frame, len, MSS_CLAMPED, &out);
		ck_assert_uint_eq(mss_of(&out), dir == PPP_OUTBOUND ? 1452 : 1400);
		ck_assert(tcp_checksum_ok(&out));

		/*
		 * The PPPoE length ends the frame inside the TCP options, the
		 * skb goes on with the rest of them: they are not there.
		 */
		len = clamp_bpf_frame_build(frame, dir, (uint16_t)(s.len - 6), s.ppp, s.len, NULL, 0);
		check_counted(dir, frame, len, MSS_PASS_MALFORMED, NULL);

		/* A SYN without options followed by padding shaped like one. */
		bare = s;
		bare.len = s.tcp + 20;
		bare.ppp[bare.tcp + 12] = 5 << 4;
		put_be16(bare.ppp + bare.ip + 2, (uint16_t)(bare.len - bare.ip));
		len = clamp_bpf_frame_build(frame, dir, (uint16_t)bare.len, bare.ppp, bare.len,
					    mss_padding, sizeof(mss_padding));
		check_counted(dir, frame, len, MSS_PASS_NO_MSS, NULL);
		/* ... whose data offset claims the padding. */
		frame[PPP_AT + bare.tcp + 12] = 6 << 4;
		check_counted(dir, frame, len, MSS_PASS_MALFORMED, NULL);

		/* The protocol field alone, each form. */
		len = clamp_bpf_frame_build(frame, dir, 1, s.ppp + 1, 1, mss_padding,
					    sizeof(mss_padding));
		check_counted(dir, frame, len, MSS_PASS_MALFORMED, NULL);
		len = clamp_bpf_frame_build(frame, dir, 1, s.ppp, 1, mss_padding, sizeof(mss_padding));
		check_counted(dir, frame, len, MSS_PASS_NOT_IP, NULL);
	}
}
END_TEST

/* A SYN through dir: its MSS afterwards, or 0 when counted as not clamped (want). */
static uint16_t clamp_syn(enum ppp_direction dir, enum mss_family family, bool compressed,
			  uint16_t mss, enum clamp_result want)
{
	uint8_t frame[FRAME_MAX];
	struct syn s;
	size_t len;

	syn_build(&s, family, compressed, mss, false);
	len = clamp_bpf_frame_build(frame, dir, (uint16_t)s.len, s.ppp, s.len, NULL, 0);
	check_counted(dir, frame, len, want, &s);
	ck_assert(tcp_checksum_ok(&s));
	return want == MSS_CLAMPED ? mss_of(&s) : 0;
}

START_TEST(limits_per_direction)
{
	const struct clamp_limits renegotiated = {
		.outbound = { 1300, 0 },
		.inbound = { 0, 1200 },
	};

	ck_assert_int_eq(clamp_bpf_run_limits(&run, &test_limits), 0);
	for (int compressed = 0; compressed < 2; compressed++) {
		ck_assert_uint_eq(clamp_syn(PPP_OUTBOUND, MSS_FAMILY_IPV4, compressed, 1460,
					    MSS_CLAMPED), 1452);
		ck_assert_uint_eq(clamp_syn(PPP_INBOUND, MSS_FAMILY_IPV4, compressed, 1460,
					    MSS_CLAMPED), 1400);
		ck_assert_uint_eq(clamp_syn(PPP_OUTBOUND, MSS_FAMILY_IPV6, compressed, 1440,
					    MSS_CLAMPED), 1432);
		ck_assert_uint_eq(clamp_syn(PPP_INBOUND, MSS_FAMILY_IPV6, compressed, 1440,
					    MSS_CLAMPED), 1380);
		clamp_syn(PPP_INBOUND, MSS_FAMILY_IPV4, compressed, 1400, MSS_PASS_WITHIN_LIMIT);
	}

	/* LCP renegotiated: the next frame has the new limits; 0 leaves a family alone. */
	ck_assert_int_eq(tc_clamp_set_limits(run.clamp, &renegotiated), 0);
	run.limits = renegotiated;
	ck_assert_uint_eq(clamp_syn(PPP_OUTBOUND, MSS_FAMILY_IPV4, false, 1460, MSS_CLAMPED), 1300);
	clamp_syn(PPP_OUTBOUND, MSS_FAMILY_IPV6, false, 1440, MSS_PASS_DISABLED);
	clamp_syn(PPP_INBOUND, MSS_FAMILY_IPV4, false, 1460, MSS_PASS_DISABLED);
	ck_assert_uint_eq(clamp_syn(PPP_INBOUND, MSS_FAMILY_IPV6, false, 1440, MSS_CLAMPED), 1200);
}
END_TEST

START_TEST(counters_per_direction)
{
	static const struct {
		enum ppp_direction dir;
		enum mss_family family;
		uint16_t mss;
		unsigned times;
	} sent[] = {
		{ PPP_OUTBOUND, MSS_FAMILY_IPV4, 1460, 3 }, { PPP_OUTBOUND, MSS_FAMILY_IPV6, 1000, 2 },
		{ PPP_INBOUND, MSS_FAMILY_IPV4, 1460, 5 }, { PPP_INBOUND, MSS_FAMILY_IPV6, 1440, 1 },
		{ PPP_INBOUND, MSS_FAMILY_IPV4, 536, 4 },
	};
	struct tc_clamp_counts counts, want;
	uint8_t frame[FRAME_MAX], out[FRAME_MAX], lcp[8] = { 0xc0, 0x21, 1, 1, 0, 4 };
	uint32_t retval;
	struct syn s;
	size_t len;

	ck_assert_int_eq(clamp_bpf_run_limits(&run, &test_limits), 0);
	memset(&want, 0, sizeof(want));
	for (size_t i = 0; i < sizeof(sent) / sizeof(sent[0]); i++) {
		uint16_t limit = sent[i].dir == PPP_OUTBOUND ? 1452 : 1400;

		if (sent[i].family == MSS_FAMILY_IPV6)
			limit -= 20;
		syn_build(&s, sent[i].family, false, sent[i].mss, false);
		len = clamp_bpf_frame_build(frame, sent[i].dir, (uint16_t)s.len, s.ppp, s.len, NULL, 0);
		for (unsigned n = 0; n < sent[i].times; n++)
			ck_assert_int_eq(clamp_bpf_run_frame(&run, sent[i].dir, frame, len, out, 1,
							     &retval, NULL), 0);
		want.result[sent[i].dir][sent[i].mss > limit ? MSS_CLAMPED : MSS_PASS_WITHIN_LIMIT] +=
			sent[i].times;
		if (sent[i].mss > limit)
			want.clamped[sent[i].dir][sent[i].family] += sent[i].times;
	}
	len = clamp_bpf_frame_build(frame, PPP_OUTBOUND, sizeof(lcp), lcp, sizeof(lcp), NULL, 0);
	ck_assert_int_eq(clamp_bpf_run_frame(&run, PPP_OUTBOUND, frame, len, out, 7, &retval, NULL),
			 0);
	want.result[PPP_OUTBOUND][MSS_PASS_NOT_IP] += 7;
	ck_assert_int_eq(tc_clamp_read_counts(run.clamp, &counts), 0);
	for (int d = 0; d < PPP_DIRECTION_COUNT; d++)
		for (int r = 0; r < MSS_RESULT_COUNT; r++)
			ck_assert_msg(counts.result[d][r] == want.result[d][r],
				      "%s \"%s\": counted %llu, want %llu",
				      d == PPP_OUTBOUND ? "outbound" : "inbound",
				      clamp_result_name(r), (unsigned long long)counts.result[d][r],
				      (unsigned long long)want.result[d][r]);
	for (int d = 0; d < PPP_DIRECTION_COUNT; d++)
		for (int f = 0; f < MSS_FAMILY_COUNT; f++)
			ck_assert_msg(counts.clamped[d][f] == want.clamped[d][f],
				      "%s IPv%d clamped: counted %llu, want %llu",
				      d == PPP_OUTBOUND ? "outbound" : "inbound",
				      f == MSS_FAMILY_IPV4 ? 4 : 6, (unsigned long long)counts.clamped[d][f],
				      (unsigned long long)want.clamped[d][f]);
}
END_TEST

/* ---- attached to veth devices, in a network namespace of our own ---- */

static int original_netns = -1;

static int shell(const char *format, ...)
{
	char command[512];
	va_list args;
	int status;

	va_start(args, format);
	vsnprintf(command, sizeof(command), format, args);
	va_end(args);
	status = system(command);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

#define must(...) ck_assert_msg(shell(__VA_ARGS__) == 0, "failed: %s", #__VA_ARGS__)

/* A fresh namespace with veth pairs v0-v1 and v2-v3, up; it goes when we leave it. */
static void netns_setup(void)
{
	original_netns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(original_netns, 0);
	ck_assert_msg(unshare(CLONE_NEWNET) == 0, "unshare(CLONE_NEWNET): %s", strerror(errno));
	must("ip link set lo up && ip link add v0 type veth peer name v1 && "
	     "ip link add v2 type veth peer name v3 && "
	     "for d in v0 v1 v2 v3; do ip link set $d up || exit 1; done");
}

static void netns_teardown(void)
{
	if (original_netns >= 0) {
		setns(original_netns, CLONE_NEWNET);
		close(original_netns);
		original_netns = -1;
	}
}

/* Lines of `command` output holding both needles. */
static unsigned count_lines(const char *command, const char *needle, const char *other)
{
	FILE *out = popen(command, "r");
	char line[1024];
	unsigned count = 0;

	ck_assert_ptr_nonnull(out);
	while (fgets(line, sizeof(line), out))
		count += strstr(line, needle) && (!other || strstr(line, other));
	pclose(out);
	return count;
}

static unsigned our_filters(const char *side, uint32_t program_id)
{
	char id[32];

	snprintf(id, sizeof(id), " id %u ", program_id);
	return count_lines(side[0] == 'i' ? "tc filter show dev v0 ingress"
					  : "tc filter show dev v0 egress",
			   "pref 1492 bpf", program_id ? id : "direct-action");
}

struct ids {
	uint32_t program[PPP_DIRECTION_COUNT];
	uint32_t map[8];
	uint32_t maps;
};

static void ids_of(const struct tc_clamp *clamp, struct ids *ids)
{
	memset(ids, 0, sizeof(*ids));
	for (int d = 0; d < PPP_DIRECTION_COUNT; d++) {
		struct bpf_prog_info info;
		uint32_t info_len = sizeof(info), maps[8];

		memset(&info, 0, sizeof(info));
		info.nr_map_ids = 8;
		info.map_ids = (uint64_t)(uintptr_t)maps;
		ck_assert_int_eq(bpf_obj_get_info_by_fd(
					 tc_clamp_program_fd(clamp, (enum ppp_direction)d), &info,
					 &info_len), 0);
		ids->program[d] = info.id;
		for (uint32_t i = 0; i < info.nr_map_ids && ids->maps < 8; i++)
			ids->map[ids->maps++] = maps[i];
	}
	ck_assert_uint_ge(ids->maps, 3);
}

/* After a detach the kernel frees programs and maps once in-flight frames are done. */
static void check_ids_gone(const struct ids *ids)
{
	for (int tries = 0; tries < 100; tries++) {
		bool any = false;

		for (int d = 0; d < PPP_DIRECTION_COUNT; d++) {
			int fd = bpf_prog_get_fd_by_id(ids->program[d]);

			any |= fd >= 0;
			if (fd >= 0)
				close(fd);
		}
		for (uint32_t i = 0; i < ids->maps; i++) {
			int fd = bpf_map_get_fd_by_id(ids->map[i]);

			any |= fd >= 0;
			if (fd >= 0)
				close(fd);
		}
		if (!any)
			return;
		usleep(50000);
	}
	ck_abort_msg("the clamp's programs or maps outlived its detach by 5 s");
}

static struct tc_clamp *attach_v0(uint16_t session_id, char *error, size_t error_len)
{
	struct tc_clamp_target target = { .ifindex = (int)if_nametoindex("v0"),
					  .session_id = session_id };

	memcpy(target.ac_mac, clamp_bpf_run_ac_mac, 6);
	return tc_clamp_attach(&target, &test_limits, error, error_len);
}

static struct tc_clamp *must_attach_v0(uint16_t session_id)
{
	char error[256];
	struct tc_clamp *clamp = attach_v0(session_id, error, sizeof(error));

	ck_assert_msg(clamp != NULL, "tc_clamp_attach: %s", error);
	return clamp;
}

START_TEST(attach_and_detach)
{
	struct tc_clamp *clamp = must_attach_v0(CLAMP_BPF_RUN_SESSION_ID);
	struct ids ids;

	ids_of(clamp, &ids);
	ck_assert_uint_eq(count_lines("tc qdisc show dev v0", "qdisc clsact", NULL), 1);
	ck_assert_uint_eq(our_filters("egress", ids.program[PPP_OUTBOUND]), 1);
	ck_assert_uint_eq(our_filters("ingress", ids.program[PPP_INBOUND]), 1);
	ck_assert_uint_eq(our_filters("egress", 0), 1);
	ck_assert_uint_eq(our_filters("ingress", 0), 1);

	tc_clamp_detach(clamp);
	ck_assert_uint_eq(our_filters("egress", 0), 0);
	ck_assert_uint_eq(our_filters("ingress", 0), 0);
	ck_assert_uint_eq(count_lines("tc qdisc show dev v0", "qdisc clsact", NULL), 1);
	check_ids_gone(&ids);
	tc_clamp_detach(NULL);
	tc_clamp_release(NULL);
}
END_TEST

START_TEST(instances_side_by_side)
{
	struct tc_clamp *first, *second;
	struct ids first_ids, second_ids;

	/* The user's clsact and filters, there before any session. */
	must("tc qdisc add dev v0 clsact && "
	     "tc filter add dev v0 ingress prio 100 protocol all u32 match u32 0 0 && "
	     "tc filter add dev v0 egress prio 60000 protocol ip u32 match u32 0 0");
	first = must_attach_v0(0x0101);
	second = must_attach_v0(0x0202);
	ids_of(first, &first_ids);
	ids_of(second, &second_ids);
	for (int d = 0; d < PPP_DIRECTION_COUNT; d++) {
		const char *side = d == PPP_OUTBOUND ? "egress" : "ingress";

		ck_assert_uint_eq(our_filters(side, 0), 2);
		ck_assert_uint_eq(our_filters(side, first_ids.program[d]), 1);
		ck_assert_uint_eq(our_filters(side, second_ids.program[d]), 1);
	}

	tc_clamp_detach(first);
	for (int d = 0; d < PPP_DIRECTION_COUNT; d++) {
		const char *side = d == PPP_OUTBOUND ? "egress" : "ingress";

		ck_assert_uint_eq(our_filters(side, 0), 1);
		ck_assert_uint_eq(our_filters(side, second_ids.program[d]), 1);
	}
	check_ids_gone(&first_ids);

	/* The guardian's way: a forked child detaches, the parent only lets go. */
	if (fork() == 0) {
		tc_clamp_detach(second);
		_exit(0);
	}
	ck_assert_int_gt(wait(NULL), 0);
	ck_assert_uint_eq(our_filters("egress", 0), 0);
	ck_assert_uint_eq(our_filters("ingress", 0), 0);
	tc_clamp_release(second);
	check_ids_gone(&second_ids);

	ck_assert_uint_eq(count_lines("tc filter show dev v0 ingress", "pref 100 u32", " order "), 1);
	ck_assert_uint_eq(count_lines("tc filter show dev v0 egress", "pref 60000 u32", " order "),
			  1);
	ck_assert_uint_eq(count_lines("tc qdisc show dev v0", "qdisc clsact", NULL), 1);
}
END_TEST

/*
 * The handle asked for, known with the program ids before the filters exist
 * (a session record names them first); taken, the kernel picks another.
 * Removing by what a record holds takes only filters that still run the
 * programs noted.
 */
START_TEST(handle_asked_for)
{
	struct tc_clamp_target target = { .ifindex = (int)if_nametoindex("v0"),
					  .session_id = CLAMP_BPF_RUN_SESSION_ID, .handle = 4242 };
	struct tc_clamp_filters planned, first_filters, second_filters;
	struct tc_clamp *first, *second;
	char error[256];

	memcpy(target.ac_mac, clamp_bpf_run_ac_mac, 6);
	first = tc_clamp_load(&target, &test_limits, error, sizeof(error));
	ck_assert_msg(first != NULL, "tc_clamp_load: %s", error);
	tc_clamp_describe(first, &planned);
	ck_assert_uint_eq(our_filters("egress", 0) + our_filters("ingress", 0), 0);
	for (int d = 0; d < PPP_DIRECTION_COUNT; d++) {
		ck_assert_uint_eq(planned.handle[d], 4242);
		ck_assert_uint_ne(planned.program_id[d], 0);
	}
	ck_assert_msg(tc_clamp_attach_loaded(first, error, sizeof(error)) == 0, "%s", error);
	tc_clamp_describe(first, &first_filters);
	ck_assert_mem_eq(&first_filters, &planned, sizeof(planned));
	ck_assert_uint_eq(count_lines("tc filter show dev v0 egress", "handle 0x1092", " id "), 1);

	/* Asked for a taken handle, nothing is attached: the caller asks again. */
	second = tc_clamp_load(&target, &test_limits, error, sizeof(error));
	ck_assert_msg(second != NULL, "tc_clamp_load: %s", error);
	ck_assert_int_eq(tc_clamp_attach_loaded(second, error, sizeof(error)), TC_CLAMP_HANDLE_TAKEN);
	ck_assert_uint_eq(our_filters("egress", 0) + our_filters("ingress", 0), 2);
	tc_clamp_set_handle(second, 4243);
	ck_assert_msg(tc_clamp_attach_loaded(second, error, sizeof(error)) == 0, "%s", error);
	ck_assert_uint_eq(count_lines("tc filter show dev v0 egress", "handle 0x1093", " id "), 1);
	tc_clamp_detach(second);

	/* tc_clamp_attach, which notes nothing, lets the kernel pick. */
	second = tc_clamp_attach(&target, &test_limits, error, sizeof(error));
	ck_assert_msg(second != NULL, "tc_clamp_attach: %s", error);
	tc_clamp_describe(second, &second_filters);
	for (int d = 0; d < PPP_DIRECTION_COUNT; d++) {
		const char *side = d == PPP_OUTBOUND ? "egress" : "ingress";

		ck_assert_uint_ne(second_filters.handle[d], 4242);
		ck_assert_uint_ne(second_filters.handle[d], 0);
		ck_assert_uint_eq(our_filters(side, first_filters.program_id[d]), 1);
		ck_assert_uint_eq(our_filters(side, second_filters.program_id[d]), 1);
	}

	ck_assert_int_eq(tc_clamp_detach_filters(&first_filters), 2);
	ck_assert_int_eq(tc_clamp_detach_filters(&first_filters), 0);
	ck_assert_uint_eq(our_filters("egress", 0) + our_filters("ingress", 0), 2);
	tc_clamp_detach(second);
	ck_assert_uint_eq(our_filters("egress", 0) + our_filters("ingress", 0), 0);
	/* Nothing left on the hooks at all: still no error. */
	ck_assert_int_eq(tc_clamp_detach_filters(&second_filters), 0);
	tc_clamp_release(first);
}
END_TEST

/* Programs named like ours, loaded anywhere in the system. */
static unsigned clamp_programs(void)
{
	uint32_t id = 0;
	unsigned count = 0;

	while (bpf_prog_get_next_id(id, &id) == 0) {
		struct bpf_prog_info info;
		uint32_t len = sizeof(info);
		int fd = bpf_prog_get_fd_by_id(id);

		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0 &&
		    strncmp(info.name, "clamp_", 6) == 0)
			count++;
		close(fd);
	}
	return count;
}

/* The count once programs of earlier tests are freed (the kernel does it
 * after they are released, in its own time). */
static unsigned clamp_programs_settled(void)
{
	unsigned count = clamp_programs();

	for (int tries = 0; tries < 50; tries++) {
		usleep(100000);
		unsigned again = clamp_programs();

		if (again == count)
			break;
		count = again;
	}
	return count;
}

START_TEST(refusals_leave_nothing)
{
	unsigned before = clamp_programs_settled();
	struct tc_clamp_target nowhere = { .ifindex = 999999 };
	char error[256];

	ck_assert_ptr_null(tc_clamp_attach(&nowhere, &test_limits, error, sizeof(error)));
	ck_assert_str_eq(error, "no network device with index 999999");

	/* A plain ingress qdisc (IFB shaping recipes) and clsact exclude each other. */
	must("tc qdisc add dev v0 handle ffff: ingress");
	ck_assert_ptr_null(attach_v0(CLAMP_BPF_RUN_SESSION_ID, error, sizeof(error)));
	ck_assert_msg(strstr(error, "v0 has an ingress qdisc, not clsact") != NULL, "%s", error);
	ck_assert_uint_eq(count_lines("tc qdisc show dev v0", "qdisc ingress ffff:", NULL), 1);
	ck_assert_uint_eq(count_lines("tc filter show dev v0 parent ffff:", "bpf", NULL), 0);

	/* Our priority taken by a filter of another kind. */
	must("tc qdisc del dev v0 ingress && tc qdisc add dev v0 clsact && "
	     "tc filter add dev v0 egress prio %d protocol all u32 match u32 0 0",
	     TC_CLAMP_PRIORITY);
	ck_assert_ptr_null(attach_v0(CLAMP_BPF_RUN_SESSION_ID, error, sizeof(error)));
	ck_assert_msg(strstr(error, "priority 1492 there is taken") != NULL, "%s", error);
	ck_assert_uint_eq(our_filters("ingress", 0) + our_filters("egress", 0), 0);

	for (int tries = 0; tries < 100 && clamp_programs() > before; tries++)
		usleep(50000);
	/* Fewer: another program of the system went meanwhile. */
	ck_assert_uint_le(clamp_programs(), before);
}
END_TEST

/* ---- real frames through the devices ---- */

static int packet_socket(const char *device, bool vnet_header)
{
	struct sockaddr_ll address = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
				       .sll_ifindex = (int)if_nametoindex(device) };
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL)), one = 1;

	ck_assert_int_ge(fd, 0);
	if (vnet_header)
		ck_assert_int_eq(setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)), 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&address, sizeof(address)), 0);
	return fd;
}

/*
 * Send the SYN from one device as a frame of our session in dir, and take
 * it off another; with offload, as CHECKSUM_PARTIAL (a virtio-net header
 * asking for the checksum), and finish that checksum here the way a device
 * would.  Returns the PPP frame as it arrived.
 */
static void send_through(const char *from, const char *to, enum ppp_direction dir, struct syn *s,
			 bool offload, uint16_t vlan)
{
	uint8_t frame[sizeof(struct virtio_net_hdr) + FRAME_MAX];
	struct virtio_net_hdr header = { 0 };
	size_t vnet = offload ? sizeof(header) : 0, len;
	int out = packet_socket(from, offload), in = packet_socket(to, true);
	ssize_t got;

	if (offload) {
		header.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		header.csum_start = (uint16_t)(PPP_AT + s->tcp);
		header.csum_offset = 16;
		memcpy(frame, &header, sizeof(header));
	}
	len = clamp_bpf_frame_build(frame + vnet, dir, (uint16_t)s->len, s->ppp, s->len, NULL, 0);
	if (vlan) {
		/* An 802.1Q tag; the receiving device takes it into the skb's metadata. */
		memmove(frame + vnet + 16, frame + vnet + 12, len - 12);
		put_be16(frame + vnet + 12, 0x8100);
		put_be16(frame + vnet + 14, vlan);
		ck_assert_int_eq(send(out, frame, vnet + len + 4, 0), (ssize_t)(vnet + len + 4));
	} else {
		ck_assert_int_eq(send(out, frame, vnet + len, 0), (ssize_t)(vnet + len));
	}
	for (;;) {
		struct pollfd ready = { .fd = in, .events = POLLIN };
		struct virtio_net_hdr *arrived = (struct virtio_net_hdr *)frame;
		uint8_t *eth = frame + sizeof(*arrived);

		ck_assert_msg(poll(&ready, 1, 3000) == 1, "no frame from %s on %s", from, to);
		got = recv(in, frame, sizeof(frame), 0);
		ck_assert_int_ge(got, (ssize_t)sizeof(*arrived));
		if ((size_t)got != sizeof(*arrived) + len || get_be16(eth + 12) != 0x8864 ||
		    get_be16(eth + 16) != CLAMP_BPF_RUN_SESSION_ID)
			continue;
		if (arrived->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
			uint8_t *field = eth + arrived->csum_start + arrived->csum_offset;

			ck_assert(offload);
			ck_assert_uint_eq(arrived->csum_start, PPP_AT + s->tcp);
			put_be16(field, (uint16_t)~fold(sum_bytes(0, eth + arrived->csum_start,
							       len - arrived->csum_start)));
		}
		memcpy(s->ppp, eth + PPP_AT, s->len);
		break;
	}
	close(out);
	close(in);
}

START_TEST(frames_clamped_on_the_wire)
{
	struct tc_clamp *clamp = must_attach_v0(CLAMP_BPF_RUN_SESSION_ID);
	struct tc_clamp_counts counts;
	struct syn s;

	/* Inbound frames are seen after our filter by a user's, which sends them to v2. */
	must("tc filter add dev v0 ingress prio 2000 protocol all u32 match u32 0 0 "
	     "action mirred egress redirect dev v2");
	for (int offload = 0; offload < 2; offload++) {
		for (int f = 0; f < MSS_FAMILY_COUNT; f++) {
			enum mss_family family = (enum mss_family)f;
			uint16_t mss = family == MSS_FAMILY_IPV4 ? 1460 : 1440;

			/* Outbound: sent on v0, through its egress filter to v1. */
			syn_build(&s, family, false, mss, offload);
			send_through("v0", "v1", PPP_OUTBOUND, &s, offload, 0);
			ck_assert_uint_eq(mss_of(&s), test_limits.outbound.ipv4 -
							      (family == MSS_FAMILY_IPV6 ? 20 : 0));
			ck_assert(tcp_checksum_ok(&s));

			/* Inbound: sent on v1 to v0's ingress filter, and on to v3. */
			syn_build(&s, family, false, mss, offload);
			send_through("v1", "v3", PPP_INBOUND, &s, offload, 0);
			ck_assert_uint_eq(mss_of(&s), test_limits.inbound.ipv4 -
							      (family == MSS_FAMILY_IPV6 ? 20 : 0));
			ck_assert(tcp_checksum_ok(&s));
		}
	}
	/* A frame of a VLAN on top of v0 is another device's, whatever it carries. */
	syn_build(&s, MSS_FAMILY_IPV4, false, 1460, false);
	send_through("v1", "v3", PPP_INBOUND, &s, false, 7);
	ck_assert_uint_eq(mss_of(&s), 1460);

	ck_assert_int_eq(tc_clamp_read_counts(clamp, &counts), 0);
	for (int d = 0; d < PPP_DIRECTION_COUNT; d++)
		for (int r = 0; r < MSS_RESULT_COUNT; r++)
			ck_assert_uint_eq(counts.result[d][r], r == MSS_CLAMPED ? 4 : 0);
	tc_clamp_detach(clamp);
}
END_TEST

static Suite *tc_clamp_suite(void)
{
	Suite *suite = suite_create("tc_clamp");
	TCase *tc;

	tc = tcase_create("program");
	tcase_add_checked_fixture(tc, run_setup, run_teardown);
	tcase_add_test(tc, other_frames_untouched);
	tcase_add_test(tc, pppoe_length_bounds_the_frame);
	tcase_add_test(tc, limits_per_direction);
	tcase_add_test(tc, counters_per_direction);
	suite_add_tcase(suite, tc);

	tc = tcase_create("attached");
	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, netns_setup, netns_teardown);
	tcase_add_test(tc, attach_and_detach);
	tcase_add_test(tc, instances_side_by_side);
	tcase_add_test(tc, handle_asked_for);
	tcase_add_test(tc, refusals_leave_nothing);
	tcase_add_test(tc, frames_clamped_on_the_wire);
	suite_add_tcase(suite, tc);

	return suite;
}

int main(void)
{
	return check_main_run(tc_clamp_suite());
}
