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
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "byte_order.h"
#include "hdlc.h"
#include "ppp.h"
#include "pppoe.h"
#include "../process_tree.h"

#define SESSION_ID 0x2a2a
#define MSS_OFFERED 1460
#define MSS_CLAMP 1452            /* what -m 1452 must leave in every SYN */
#define SYN_EVERY 100             /* 1% of the frames open a connection */
#define SAMPLE_EVERY 64           /* besides every SYN */
#define SYN_IP_LEN 60             /* IPv4 + TCP with Linux's 20 bytes of SYN options */

#define WINDOW_OUTBOUND 128       /* frames in flight pppd -> AC */
#define WINDOW_INBOUND 32         /* AC -> pppd: fits the relay's socket buffer and pty queue */
#define FLOOD_BURST 32            /* frames the AC floods between two reads of pppd's side */
#define RUN_LIMIT_MS 20000        /* one run, whatever happens */
#define STALL_MS 300              /* frames not seen this long after the last progress are lost */
#define READY_LIMIT_MS 5000       /* for the relay to relay its first frame each way */
#define PROBE_INDEX 0xfffffff0u   /* TCP sequence number of readiness probes */
#define MAX_PROGRAMS 4
#define MAX_REPEATS 25

#define IPV4_HEADER_LEN 20
#define TCP_HEADER_LEN 20
#define PPP_HEADER_LEN 4          /* ff 03 00 21, as pppd writes it */
#define ETH_SESSION_HEADER (PPPOE_FRAME_HEADER_LEN + 2)   /* + PPP protocol */
#define FRAME_BUFFER 2048
#define RANDOM_POOL 65536

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

struct env {
	const char *client_if;
	uint8_t client_mac[PPPOE_MAC_LEN];
	uint8_t ac_mac[PPPOE_MAC_LEN];
	int ac_fd;                /* AF_PACKET on the AC's veth end, session ethertype */
	char tmpdir[64];
};

static uint8_t random_pool[RANDOM_POOL + FRAME_BUFFER];
static const uint8_t host_ip[4] = { 100, 64, 0, 2 };
static const uint8_t server_ip[4] = { 198, 51, 100, 7 };

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

/* ---- the traffic: IPv4 TCP segments numbered by their sequence number ---- */

static uint32_t sum_words(uint32_t sum, const uint8_t *p, size_t len)
{
	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)(p[0] << 8 | p[1]);
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void tcp_checksum_set(uint8_t *ip, size_t ip_len)
{
	uint8_t *tcp = ip + IPV4_HEADER_LEN;
	size_t tcp_len = ip_len - IPV4_HEADER_LEN;
	uint32_t sum = sum_words(0, ip + 12, 8) + 6 + (uint32_t)tcp_len;

	put_be16(tcp + 16, 0);
	put_be16(tcp + 16, fold(sum_words(sum, tcp, tcp_len)));
}

static bool is_syn(uint32_t index)
{
	return index % SYN_EVERY == SYN_EVERY / 2;
}

static bool is_sampled(uint32_t index)
{
	return is_syn(index) || index % SAMPLE_EVERY == 0;
}

/*
 * Segment number index of a flow, as a host behind pppd (outbound) or a
 * server (inbound) sends it.  A SYN carries MSS mss; the others carry
 * payload from the random pool, a different slice per segment.
 */
static size_t segment_build(enum direction dir, uint32_t index, unsigned ip_len, uint16_t mss,
			    uint8_t *ip)
{
	static const uint8_t syn_options[20] = {
		2, 4, MSS_OFFERED >> 8, MSS_OFFERED & 0xff,  /* MSS, patched below */
		4, 2,                                        /* SACK permitted */
		8, 10, 0, 1, 0x2c, 0x9a, 0, 0, 0, 0,         /* timestamps */
		1, 3, 3, 7,                                  /* NOP, window scale 7 */
	};
	bool syn = is_syn(index);
	size_t len = syn ? SYN_IP_LEN : ip_len;
	uint8_t *tcp = ip + IPV4_HEADER_LEN;

	memset(ip, 0, IPV4_HEADER_LEN + TCP_HEADER_LEN);
	ip[0] = 0x45;
	put_be16(ip + 2, (uint16_t)len);
	put_be16(ip + 4, (uint16_t)index);
	ip[6] = 0x40;  /* DF */
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, dir == OUTBOUND ? host_ip : server_ip, 4);
	memcpy(ip + 16, dir == OUTBOUND ? server_ip : host_ip, 4);
	put_be16(ip + 10, fold(sum_words(0, ip, IPV4_HEADER_LEN)));

	put_be16(tcp, dir == OUTBOUND ? 40000 : 443);
	put_be16(tcp + 2, dir == OUTBOUND ? 443 : 40000);
	put_be32(tcp + 4, index);
	put_be32(tcp + 8, 1);
	put_be16(tcp + 14, 0xffff);
	if (syn) {
		tcp[12] = 0xa0;
		tcp[13] = dir == OUTBOUND ? 0x02 : 0x12;  /* SYN, SYN-ACK */
		memcpy(tcp + TCP_HEADER_LEN, syn_options, sizeof(syn_options));
		put_be16(tcp + TCP_HEADER_LEN + 2, mss);
	} else {
		tcp[12] = 0x50;
		tcp[13] = 0x18;  /* PSH, ACK */
		memcpy(tcp + TCP_HEADER_LEN, random_pool + (index * 131u) % RANDOM_POOL,
		       len - IPV4_HEADER_LEN - TCP_HEADER_LEN);
	}
	tcp_checksum_set(ip, len);
	return len;
}

/* The segment as it must arrive: the clamp recomputed here, independently of src/clamp.c. */
static size_t segment_expected(enum direction dir, uint32_t index, unsigned ip_len, uint8_t *ip)
{
	return segment_build(dir, index, ip_len, is_syn(index) ? MSS_CLAMP : MSS_OFFERED, ip);
}

static void random_pool_fill(void)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;

	for (size_t i = 0; i < sizeof(random_pool); i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		random_pool[i] = (uint8_t)(x >> 24);
	}
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

/* ---- the relay under test ---- */

struct relay_process {
	pid_t pid;
	char log_path[128];
};

static bool relay_start(const struct env *env, const struct program *program,
			struct relay_process *relay)
{
	char session[64];
	const char *argv[16];
	struct termios raw;
	int master, slave, log_fd;
	const uint8_t *m = env->ac_mac;

	snprintf(session, sizeof(session), "%u:%02x:%02x:%02x:%02x:%02x:%02x", SESSION_ID, m[0], m[1],
		 m[2], m[3], m[4], m[5]);
	argv[0] = program->path;
	argv[1] = "-I";
	argv[2] = env->client_if;
	argv[3] = "-e";
	argv[4] = session;
	argv[5] = "-m";
	argv[6] = "1452";
	argv[7] = NULL;

	snprintf(relay->log_path, sizeof(relay->log_path), "%s/%s.log", env->tmpdir, program->name);
	log_fd = open(relay->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (log_fd < 0)
		return false;
	if (openpty(&master, &slave, NULL, NULL, NULL) < 0) {
		close(log_fd);
		return false;
	}
	fcntl(master, F_SETFD, FD_CLOEXEC);
	fcntl(slave, F_SETFD, FD_CLOEXEC);
	/* As pppd does: raw mode, so HDLC bytes pass untouched. */
	tcgetattr(slave, &raw);
	cfmakeraw(&raw);
	tcsetattr(slave, TCSANOW, &raw);
	fcntl(slave, F_SETFL, fcntl(slave, F_GETFL) | O_NONBLOCK);

	relay->pid = fork();
	if (relay->pid == 0) {
		dup2(master, STDIN_FILENO);
		dup2(master, STDOUT_FILENO);
		dup2(log_fd, STDERR_FILENO);
		execv(argv[0], (char *const *)argv);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(master);
	close(log_fd);
	pppd.fd = slave;
	if (relay->pid < 0) {
		close(slave);
		return false;
	}
	return true;
}

static void relay_stop(struct relay_process *relay)
{
	if (relay->pid > 0) {
		kill(relay->pid, SIGKILL);
		(void)waitpid(relay->pid, NULL, 0);
	}
	relay->pid = -1;
	close(pppd.fd);
	pppd.fd = -1;
}

/* CPU time one process has run so far, user and system, in seconds. */
static double one_process_cpu_seconds(pid_t pid)
{
	char path[64];
	unsigned long long ns = 0, utime = 0, stime = 0;
	FILE *f;

	/* schedstat counts nanoseconds; stat only clock ticks. */
	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
	f = fopen(path, "r");
	if (f != NULL) {
		int fields = fscanf(f, "%llu", &ns);

		fclose(f);
		if (fields == 1)
			return (double)ns / 1e9;
	}
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	/* Fields 14 and 15; the command name in parentheses holds no spaces here. */
	if (fscanf(f, "%*d %*s %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime,
		   &stime) != 2)
		utime = stime = 0;
	fclose(f);
	return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

/* The relay's CPU time: the program's and its children's (pppoe-mss relays
 * in a confined worker of its own). */
static double process_cpu_seconds(pid_t program)
{
	pid_t pids[8];
	int count = process_and_children(program, pids, 8);
	double seconds = 0;

	for (int i = 0; i < count; i++)
		seconds += one_process_cpu_seconds(pids[i]);
	return seconds;
}

static long one_process_peak_rss_kib(pid_t pid)
{
	char value[64];
	long kib;

	if (!process_status_value(pid, "VmHWM:", value, sizeof(value)) ||
	    sscanf(value, "%ld kB", &kib) != 1)
		return -1;
	return kib;
}

/* The largest peak RSS of the program and its children. */
static long process_peak_rss_kib(pid_t program)
{
	pid_t pids[8];
	int count = process_and_children(program, pids, 8);
	long peak = -1;

	for (int i = 0; i < count; i++) {
		long kib = one_process_peak_rss_kib(pids[i]);
		peak = kib > peak ? kib : peak;
	}
	return peak;
}

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

static void show_log(const char *path)
{
	char line[512];
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return;
	for (int i = 0; i < 20 && fgets(line, sizeof(line), f) != NULL; i++)
		fprintf(stderr, "#   %s", line);
	fclose(f);
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
	if (!relay_wait_ready(env, &run)) {
		fprintf(stderr, "# %s relayed nothing within %d ms; its stderr:\n", program->name,
			READY_LIMIT_MS);
		show_log(relay.log_path);
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

/* ---- the table ---- */

struct summary {
	double median, min, max;
};

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static struct summary summarize(double *values, int n)
{
	struct summary s = { 0, 0, 0 };

	if (n == 0)
		return s;
	qsort(values, (size_t)n, sizeof(values[0]), compare_doubles);
	s.min = values[0];
	s.max = values[n - 1];
	s.median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
	return s;
}

struct case_figures {
	struct summary frames_per_s, mbit_per_s, cpu_per_mframe;
	long peak_rss_kib;
	uint64_t lost, checked, mismatched, duplicates;
	int runs;
};

static struct case_figures figures_of(const struct run_result *results, int repeats)
{
	double fps[MAX_REPEATS], mbit[MAX_REPEATS], cpu[MAX_REPEATS];
	struct case_figures f;
	int n = 0;

	memset(&f, 0, sizeof(f));
	for (int r = 0; r < repeats; r++) {
		const struct run_result *res = &results[r];

		if (!res->ok || res->delivered == 0 || res->seconds <= 0)
			continue;
		fps[n] = (double)res->delivered / res->seconds;
		mbit[n] = (double)res->ip_bytes * 8 / res->seconds / 1e6;
		cpu[n] = res->cpu_seconds * 1e6 / (double)res->delivered;
		if (res->peak_rss_kib > f.peak_rss_kib)
			f.peak_rss_kib = res->peak_rss_kib;
		f.lost += res->lost;
		f.checked += res->checked;
		f.mismatched += res->mismatched;
		f.duplicates += res->duplicates;
		n++;
	}
	f.runs = n;
	f.frames_per_s = summarize(fps, n);
	f.mbit_per_s = summarize(mbit, n);
	f.cpu_per_mframe = summarize(cpu, n);
	return f;
}

static void print_figures(const char *case_name, const char *program, const struct case_figures *f)
{
	char range[64];

	if (f->runs == 0) {
		printf("%-10s %-10s   no run completed\n", case_name, program);
		return;
	}
	snprintf(range, sizeof(range), "(%.0fk-%.0fk)", f->frames_per_s.min / 1e3,
		 f->frames_per_s.max / 1e3);
	printf("%-10s %-10s %7.0fk %-15s %7.1f %7.2f (%.2f-%.2f)%*s %6ld %6llu %6llu%s\n", case_name,
	       program, f->frames_per_s.median / 1e3, range, f->mbit_per_s.median,
	       f->cpu_per_mframe.median, f->cpu_per_mframe.min, f->cpu_per_mframe.max, 2, "",
	       f->peak_rss_kib, (unsigned long long)f->lost, (unsigned long long)f->checked,
	       f->mismatched || f->duplicates ? "  MISMATCHED" : "");
	if (f->mismatched || f->duplicates)
		printf("%-10s %-10s   %llu frames arrived changed or unexpected, %llu twice\n", "", "",
		       (unsigned long long)f->mismatched, (unsigned long long)f->duplicates);
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
	printf("%-10s %-10s %8s %-15s %7s %-22s %6s %6s %6s\n", "case (B)", "program", "frames/s",
	       "", "Mbit/s", "CPU s/Mframe", "RSS", "lost", "check");
	printf("%-10s %-10s %8s %-15s %7s %-22s %6s\n", "", "", "", "", "(IP)", "", "KiB");
	for (int i = 0; i < CASES; i++) {
		if (!selected[i])
			continue;
		struct case_figures reference = figures_of(results[i][0], repeats);

		print_figures(cases[i].name, programs[0].name, &reference);
		for (int p = 1; p < program_count; p++) {
			struct case_figures f = figures_of(results[i][p], repeats);

			print_figures("", programs[p].name, &f);
			if (f.runs > 0 && reference.runs > 0 && f.cpu_per_mframe.median > 0)
				printf("%-10s %-10s   x%.2f frames/s, x%.2f frames per CPU-second (%s/%s)\n",
				       "", "ratio", f.frames_per_s.median / reference.frames_per_s.median,
				       reference.cpu_per_mframe.median / f.cpu_per_mframe.median,
				       programs[p].name, programs[0].name);
		}
		for (int w = 0; cases[i].windowed != NULL && w < CASES; w++) {
			if (!selected[w] || strcmp(cases[w].name, cases[i].windowed) != 0)
				continue;
			for (int p = 0; p < program_count; p++) {
				struct case_figures flood = figures_of(results[i][p], repeats);
				struct case_figures window = figures_of(results[w][p], repeats);

				if (flood.runs > 0 && window.runs > 0 && flood.cpu_per_mframe.median > 0)
					printf("%-10s %-10s   x%.2f frames per CPU-second of its windowed "
					       "case (%s)\n", "", programs[p].name,
					       window.cpu_per_mframe.median / flood.cpu_per_mframe.median,
					       cases[w].name);
			}
		}
	}
	rmdir(env.tmpdir);
	return 0;
}
