/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * make bench: the relay's data path under load, pppoe-mss next to rp-pppoe's
 * pppoe in the same run.  We play both ends: pppd on a pty (async HDLC, as
 * pppd speaks it with default-asyncmap) and the access concentrator on one
 * end of a veth pair, the relay under test on the other end (-e: an existing
 * session, no discovery).  Frames are IPv4 TCP segments of a fixed size with
 * one SYN in SYN_EVERY; every SYN and one frame in SAMPLE_EVERY is compared
 * byte for byte with what should arrive (SYNs with their MSS clamped).
 *
 * Each direction keeps a fixed window of frames in flight, so the offered
 * load is the same for every program however it reads: as fast as the relay
 * takes frames, never faster than its socket and pty can queue them.  The
 * flood cases are the exception: the AC sends without a window, more than
 * pppd's side of the pty takes, as TCP's window arriving at once does; what
 * counts there is how much of its CPU the relay spends on frames it then
 * delivers, next to the same frames in a window.  Every loop is bounded by a
 * frame count and a time limit.  This prints figures; it passes or fails
 * nothing on speed.
 *
 * Run by tests/bench/relay_bench.sh inside a network namespace of its own:
 *   relay_bench CLIENT_IF AC_IF NAME=PROGRAM...
 *
 * This file drives the runs: both ends and the loop between them.  The
 * frames come from relay_traffic.c, the relay's process and its CPU and
 * memory figures from relay_process.c, the table from relay_table.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "byte_order.h"
#include "hdlc.h"
#include "ppp.h"
#include "pppoe.h"
#include "relay_bench.h"
#include "relay_process.h"
#include "relay_table.h"
#include "relay_traffic.h"

#define WINDOW_OUTBOUND 128       /* frames in flight pppd -> AC */
#define WINDOW_INBOUND 32         /* AC -> pppd: fits the relay's socket buffer and pty queue */
#define FLOOD_BURST 32            /* frames the AC floods between two reads of pppd's side */
#define RUN_LIMIT_MS 20000        /* one run, whatever happens */
#define STALL_MS 300              /* frames not seen this long after the last progress are lost */
#define READY_LIMIT_MS 5000       /* for the relay to relay its first frame each way */
#define PROBE_INDEX 0xfffffff0u   /* TCP sequence number of readiness probes */

#define PPP_HEADER_LEN 4          /* ff 03 00 21, as pppd writes it */
#define ETH_SESSION_HEADER (PPPOE_FRAME_HEADER_LEN + 2)   /* + PPP protocol */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t now_ms(void)
{
	return now_ns() / 1000000u;
}

/* ---- one run: counting, checking ---- */

struct flow {
	uint32_t next;            /* index of the next frame to send */
	uint32_t delivered;
	uint32_t written_off;     /* given up as lost after a stall */
	uint64_t ip_bytes;
	uint8_t *seen;            /* one byte per frame: duplicates and late arrivals */
	bool probe_seen;
};

struct run {
	const struct bench_case *bench_case;
	struct flow flow[DIRECTIONS];
	struct run_result *result;
	uint64_t last_progress_ms;
	uint64_t last_delivery_ns;
};

static uint32_t in_flight(const struct flow *flow)
{
	return flow->next - flow->delivered - flow->written_off;
}

/* An IP packet of len bytes arrived in direction dir: count it, check it if sampled. */
static void arrived(struct run *run, enum direction dir, const uint8_t *ip, size_t len)
{
	struct flow *flow = &run->flow[dir];
	uint8_t expected[FRAME_BUFFER];
	uint32_t index;

	if (len < IPV4_HEADER_LEN + TCP_HEADER_LEN || ip[0] != 0x45) {
		run->result->mismatched++;
		return;
	}
	index = get_be32(ip + IPV4_HEADER_LEN + 4);
	if (index >= PROBE_INDEX) {
		flow->probe_seen = true;
		return;
	}
	if (run->bench_case == NULL || index >= flow->next) {
		run->result->mismatched++;
		return;
	}
	if (flow->seen[index]) {
		run->result->duplicates++;
		return;
	}
	flow->seen[index] = 1;
	flow->delivered++;
	if (flow->written_off > 0 && flow->next - flow->delivered < flow->written_off)
		flow->written_off--;  /* late, not lost */
	flow->ip_bytes += len;
	run->last_delivery_ns = now_ns();
	if (is_sampled(index)) {
		size_t expected_len = segment_expected(dir, index, run->bench_case->ip_len, expected);

		run->result->checked++;
		if (len != expected_len || memcmp(ip, expected, len) != 0) {
			if (run->result->mismatched++ == 0)
				fprintf(stderr, "# %s frame %u arrived changed (%zu bytes, expected %zu)\n",
					dir == OUTBOUND ? "outbound" : "inbound", index, len, expected_len);
		}
	}
}

/* ---- the AC's end of the veth ---- */

static int interface_read(const char *name, uint8_t mac[PPPOE_MAC_LEN], int *ifindex)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int result = -1;

	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, SIOCGIFINDEX, &ifr) == 0) {
		*ifindex = ifr.ifr_ifindex;
		if (ioctl(fd, SIOCGIFHWADDR, &ifr) == 0) {
			memcpy(mac, ifr.ifr_hwaddr.sa_data, PPPOE_MAC_LEN);
			result = 0;
		}
	}
	close(fd);
	return result;
}

static int ac_open(struct env *env, const char *ac_if)
{
	struct sockaddr_ll address;
	int ifindex, one = 1, buffer = 8 << 20;
	int fd;

	if (interface_read(ac_if, env->ac_mac, &ifindex) < 0)
		return -1;
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	/* Frames the relay sends must not be lost on our side of the veth. */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buffer, sizeof(buffer));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &buffer, sizeof(buffer));
	(void)setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	memset(&address, 0, sizeof(address));
	address.sll_family = AF_PACKET;
	address.sll_protocol = htons(PPPOE_ETHERTYPE_SESSION);
	address.sll_ifindex = ifindex;
	if (bind(fd, (struct sockaddr *)&address, sizeof(address)) < 0) {
		close(fd);
		return -1;
	}
	env->ac_fd = fd;
	return 0;
}

static size_t session_frame_build(const struct env *env, uint32_t index, const struct bench_case *c,
				  uint8_t *frame)
{
	size_t ip_len = segment_build(INBOUND, index, c ? c->ip_len : 64, MSS_OFFERED,
				      frame + ETH_SESSION_HEADER);

	memcpy(frame, env->client_mac, PPPOE_MAC_LEN);
	memcpy(frame + 6, env->ac_mac, PPPOE_MAC_LEN);
	put_be16(frame + 12, PPPOE_ETHERTYPE_SESSION);
	frame[14] = 0x11;
	frame[15] = 0;
	put_be16(frame + 16, SESSION_ID);
	put_be16(frame + 18, (uint16_t)(ip_len + 2));
	put_be16(frame + 20, PPP_PROTOCOL_IPV4);
	return ETH_SESSION_HEADER + ip_len;
}

/* What the relay sent to the AC, as far as the socket has it now. */
static bool ac_receive(const struct env *env, struct run *run)
{
	bool progress = false;

	for (int i = 0; i < 1024; i++) {
		uint8_t frame[FRAME_BUFFER];
		ssize_t got = recv(env->ac_fd, frame, sizeof(frame), MSG_DONTWAIT);
		size_t payload;

		if (got <= 0)
			break;
		progress = true;
		if ((size_t)got < ETH_SESSION_HEADER || memcmp(frame, env->ac_mac, PPPOE_MAC_LEN) != 0 ||
		    memcmp(frame + 6, env->client_mac, PPPOE_MAC_LEN) != 0 || frame[14] != 0x11 ||
		    frame[15] != 0 || get_be16(frame + 16) != SESSION_ID ||
		    get_be16(frame + 20) != PPP_PROTOCOL_IPV4) {
			run->result->mismatched++;
			continue;
		}
		payload = get_be16(frame + 18);
		if (payload < 2 || PPPOE_FRAME_HEADER_LEN + payload > (size_t)got) {
			run->result->mismatched++;
			continue;
		}
		arrived(run, OUTBOUND, frame + ETH_SESSION_HEADER, payload - 2);
	}
	return progress;
}

/* ---- pppd's end of the pty ---- */

struct pppd_side {
	int fd;                           /* pty slave */
	struct hdlc_encoder encoder;
	struct hdlc_decoder decoder;
	uint8_t frame[FRAME_BUFFER];
	uint8_t pending[256 * 1024];      /* encoded, not yet written */
	size_t pending_start, pending_end;
	uint8_t raw[65536];
};

static struct pppd_side pppd;

static void pppd_queue(uint32_t index, const struct bench_case *c)
{
	uint8_t ppp[FRAME_BUFFER];
	size_t len;

	ppp[0] = 0xff;
	ppp[1] = 0x03;
	put_be16(ppp + 2, PPP_PROTOCOL_IPV4);
	len = PPP_HEADER_LEN + segment_build(OUTBOUND, index, c ? c->ip_len : 64, MSS_OFFERED,
					     ppp + PPP_HEADER_LEN);
	pppd.pending_end += hdlc_encode(&pppd.encoder, ppp, len, pppd.pending + pppd.pending_end,
					sizeof(pppd.pending) - pppd.pending_end);
}

static bool pppd_has_room(void)
{
	if (pppd.pending_start == pppd.pending_end)
		pppd.pending_start = pppd.pending_end = 0;
	return sizeof(pppd.pending) - pppd.pending_end >= hdlc_encoded_max(FRAME_BUFFER);
}

static bool pppd_flush(void)
{
	bool progress = false;

	while (pppd.pending_start < pppd.pending_end) {
		ssize_t n = write(pppd.fd, pppd.pending + pppd.pending_start,
				  pppd.pending_end - pppd.pending_start);
		if (n <= 0)
			break;
		pppd.pending_start += (size_t)n;
		progress = true;
	}
	return progress;
}

static bool pppd_receive(struct run *run)
{
	bool progress = false;

	for (int i = 0; i < 64; i++) {
		ssize_t got = read(pppd.fd, pppd.raw, sizeof(pppd.raw));
		size_t used = 0;

		if (got <= 0)
			break;
		progress = true;
		while (used < (size_t)got) {
			const uint8_t *frame;
			size_t len;

			used += hdlc_decode(&pppd.decoder, pppd.raw + used, (size_t)got - used, &frame,
					    &len);
			if (len == 0)
				continue;
			/* Address and control are optional on the way to pppd (RFC 1662). */
			if (len >= 2 && frame[0] == 0xff && frame[1] == 0x03) {
				frame += 2;
				len -= 2;
			}
			if (len < 2 || get_be16(frame) != PPP_PROTOCOL_IPV4) {
				run->result->mismatched++;
				continue;
			}
			arrived(run, INBOUND, frame + 2, len - 2);
		}
	}
	return progress;
}

/* ---- one run: the relay between both ends ---- */

/* Wait until either end has something for us, at most timeout_ms. */
static void wait_for_traffic(const struct env *env, int timeout_ms)
{
	struct pollfd fds[2] = {
		{ .fd = pppd.fd,
		  .events = POLLIN | (pppd.pending_start < pppd.pending_end ? POLLOUT : 0) },
		{ .fd = env->ac_fd, .events = POLLIN },
	};

	(void)poll(fds, 2, timeout_ms);
}

/* One frame each way until both came through: the relay is up. */
static bool relay_wait_ready(const struct env *env, struct run *run)
{
	uint64_t deadline = now_ms() + READY_LIMIT_MS;

	while (now_ms() < deadline) {
		if (!run->flow[INBOUND].probe_seen) {
			uint8_t frame[FRAME_BUFFER];
			size_t len = session_frame_build(env, PROBE_INDEX, NULL, frame);

			(void)send(env->ac_fd, frame, len, 0);
		}
		if (!run->flow[OUTBOUND].probe_seen && pppd.pending_start == pppd.pending_end &&
		    pppd_has_room())
			pppd_queue(PROBE_INDEX, NULL);
		pppd_flush();
		wait_for_traffic(env, 20);
		ac_receive(env, run);
		pppd_receive(run);
		if (run->flow[INBOUND].probe_seen && run->flow[OUTBOUND].probe_seen)
			return true;
	}
	return false;
}

static void settle(const struct env *env, struct run *run, unsigned ms)
{
	uint64_t until = now_ms() + ms;

	while (now_ms() < until) {
		wait_for_traffic(env, 10);
		ac_receive(env, run);
		pppd_receive(run);
	}
}

static bool run_finished(const struct run *run)
{
	const struct bench_case *c = run->bench_case;

	for (int dir = 0; dir < DIRECTIONS; dir++)
		if (c->active[dir] && (run->flow[dir].next < c->frames || in_flight(&run->flow[dir]) > 0))
			return false;
	return true;
}

static void run_traffic(const struct env *env, struct run *run, pid_t relay_pid)
{
	const struct bench_case *c = run->bench_case;
	struct flow *out = &run->flow[OUTBOUND], *in = &run->flow[INBOUND];
	uint64_t start_ns = now_ns();
	uint64_t deadline = now_ms() + RUN_LIMIT_MS;
	double cpu_start = process_cpu_seconds(relay_pid);

	run->last_progress_ms = now_ms();
	run->last_delivery_ns = start_ns;
	while (!run_finished(run) && now_ms() < deadline) {
		bool progress = false;

		while (c->active[OUTBOUND] && out->next < c->frames &&
		       in_flight(out) < WINDOW_OUTBOUND && pppd_has_room())
			pppd_queue(out->next++, c);
		progress |= pppd_flush();
		unsigned flooded = 0;

		while (c->active[INBOUND] && in->next < c->frames &&
		       (c->flood ? flooded++ < FLOOD_BURST : in_flight(in) < WINDOW_INBOUND)) {
			uint8_t frame[FRAME_BUFFER];
			size_t len = session_frame_build(env, in->next, c, frame);

			if (send(env->ac_fd, frame, len, 0) != (ssize_t)len)
				break;
			in->next++;
			progress = true;
		}
		progress |= ac_receive(env, run);
		progress |= pppd_receive(run);
		if (progress) {
			run->last_progress_ms = now_ms();
			continue;
		}
		if (now_ms() - run->last_progress_ms > STALL_MS) {
			/* Whatever is still out there is not coming: keep the window moving. */
			out->written_off += in_flight(out);
			in->written_off += in_flight(in);
			run->last_progress_ms = now_ms();
			continue;
		}
		wait_for_traffic(env, 10);
	}
	run->result->cpu_seconds = process_cpu_seconds(relay_pid) - cpu_start;
	run->result->seconds = (double)(run->last_delivery_ns - start_ns) / 1e9;
	run->result->peak_rss_kib = process_peak_rss_kib(relay_pid);
	for (int dir = 0; dir < DIRECTIONS; dir++) {
		if (!c->active[dir])
			continue;
		run->result->delivered += run->flow[dir].delivered;
		run->result->ip_bytes += run->flow[dir].ip_bytes;
		run->result->lost += c->frames - run->flow[dir].delivered;
	}
}

static void bench_run(const struct env *env, const struct program *program,
		      const struct bench_case *c, struct run_result *result)
{
	struct relay_process relay;
	struct run run;

	memset(result, 0, sizeof(*result));
	memset(&run, 0, sizeof(run));
	run.result = result;
	pppd.pending_start = pppd.pending_end = 0;
	hdlc_encoder_init(&pppd.encoder, HDLC_ACCM_ALL);
	hdlc_decoder_init(&pppd.decoder, pppd.frame, sizeof(pppd.frame));
	for (int dir = 0; dir < DIRECTIONS; dir++) {
		run.flow[dir].seen = calloc(c->frames, 1);
		if (run.flow[dir].seen == NULL) {
			fprintf(stderr, "# out of memory\n");
			exit(1);
		}
	}
	/* Nothing the last run left behind may count for this one. */
	while (recv(env->ac_fd, pppd.raw, sizeof(pppd.raw), MSG_DONTWAIT) > 0)
		;
	if (!relay_start(env, program, &relay)) {
		fprintf(stderr, "# cannot start %s: %s\n", program->path, strerror(errno));
		goto out;
	}
	pppd.fd = relay.pty;
	if (!relay_wait_ready(env, &run)) {
		fprintf(stderr, "# %s relayed nothing within %d ms; its stderr:\n", program->name,
			READY_LIMIT_MS);
		relay_show_log(&relay);
		relay_stop(&relay);
		goto out;
	}
	settle(env, &run, 50);
	pppd.pending_start = pppd.pending_end = 0;
	run.bench_case = c;
	run_traffic(env, &run, relay.pid);
	result->ok = true;
	relay_stop(&relay);
out:
	for (int dir = 0; dir < DIRECTIONS; dir++)
		free(run.flow[dir].seen);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: relay_bench [-c case]... [-r repeats] [-s scale] CLIENT_IF AC_IF NAME=PROGRAM...\n"
		"  The first program is the reference the others are compared with;\n"
		"  -c runs the cases named only (e.g. -c \"in 1400\" -c \"flood 1400\"),\n"
		"  -s scales the frame counts.\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static struct bench_case cases[] = {
		{ "out 64", { true, false }, 64, 200000, false, NULL },
		{ "out 576", { true, false }, 576, 100000, false, NULL },
		{ "out 1400", { true, false }, 1400, 60000, false, NULL },
		{ "in 64", { false, true }, 64, 200000, false, NULL },
		{ "in 576", { false, true }, 576, 100000, false, NULL },
		{ "in 1400", { false, true }, 1400, 60000, false, NULL },
		{ "both 64", { true, true }, 64, 100000, false, NULL },
		{ "both 576", { true, true }, 576, 50000, false, NULL },
		{ "both 1400", { true, true }, 1400, 30000, false, NULL },
		{ "flood 1400", { false, true }, 1400, 60000, true, "in 1400" },
	};
	enum { CASES = sizeof(cases) / sizeof(cases[0]) };
	static struct run_result results[CASES][MAX_PROGRAMS][MAX_REPEATS];
	struct program programs[MAX_PROGRAMS];
	int program_count = 0, repeats = 5, opt, ifindex;
	bool selected[CASES];
	int selected_count = 0;
	double scale = 1.0;
	struct env env;

	memset(selected, 0, sizeof(selected));
	while ((opt = getopt(argc, argv, "c:r:s:")) != -1) {
		switch (opt) {
		case 'c':
			for (int i = 0; i < CASES; i++)
				if (strcmp(optarg, cases[i].name) == 0 && !selected[i]) {
					selected[i] = true;
					selected_count++;
				}
			break;
		case 'r':
			repeats = atoi(optarg);
			break;
		case 's':
			scale = atof(optarg);
			break;
		default:
			usage();
		}
	}
	if (argc - optind < 3 || repeats < 1 || repeats > MAX_REPEATS || scale <= 0 || scale > 100)
		usage();
	for (int i = 0; i < CASES && selected_count == 0; i++)
		selected[i] = true;
	memset(&env, 0, sizeof(env));
	env.client_if = argv[optind];
	if (interface_read(env.client_if, env.client_mac, &ifindex) < 0 ||
	    ac_open(&env, argv[optind + 1]) < 0) {
		fprintf(stderr, "relay_bench: cannot use %s/%s: %s\n", argv[optind], argv[optind + 1],
			strerror(errno));
		return 1;
	}
	for (int i = optind + 2; i < argc && program_count < MAX_PROGRAMS; i++) {
		char *eq = strchr(argv[i], '=');

		if (eq == NULL)
			usage();
		*eq = '\0';
		programs[program_count].name = argv[i];
		programs[program_count].path = eq + 1;
		program_count++;
	}
	snprintf(env.tmpdir, sizeof(env.tmpdir), "/tmp/relay_bench.XXXXXX");
	if (mkdtemp(env.tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	random_pool_fill();
	for (int i = 0; i < CASES; i++) {
		cases[i].frames = (uint32_t)(cases[i].frames * scale);
		if (cases[i].frames < SYN_EVERY)
			cases[i].frames = SYN_EVERY;
	}

	/* Programs take turns within each repetition, so that load from
	 * elsewhere on the machine falls on all of them alike. */
	for (int r = 0; r < repeats; r++) {
		fprintf(stderr, "# repetition %d of %d\n", r + 1, repeats);
		for (int i = 0; i < CASES; i++)
			for (int p = 0; p < program_count; p++)
				if (selected[i])
					bench_run(&env, &programs[p], &cases[i], &results[i][p][r]);
	}

	printf("relay benchmark: IPv4 TCP, 1 SYN in %d (MSS %d -> %d), async HDLC on a pty, "
	       "veth;\n%u/%u/%u frames per direction per run (64/576/1400 B; both: half), windows of "
	       "%d frames out, %d in;\nflood: AC -> pppd without a window, %d frames between two "
	       "reads of pppd's side (lost: what\nthe relay or its socket dropped).  "
	       "%d repetitions, median (min-max).  CPU: user+sys of the\n"
	       "relay process (schedstat) per million frames delivered; RSS: peak (VmHWM).\n\n",
	       SYN_EVERY, MSS_OFFERED, MSS_CLAMP, cases[0].frames, cases[1].frames, cases[2].frames,
	       WINDOW_OUTBOUND, WINDOW_INBOUND, FLOOD_BURST, repeats);
	table_print(cases, CASES, selected, programs, program_count, results, repeats);
	rmdir(env.tmpdir);
	return 0;
}
