/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Host-level end-to-end test of the standalone pppoe-mss program.
 *
 * This process plays both neighbours of the program under test:
 *   - "pppd": a pty pair whose master is the program's stdin and stdout, as
 *     pppd's `pty` option sets it up; we speak async HDLC on the slave.
 *   - "access concentrator": an AF_PACKET socket on the far end of a veth
 *     pair, answering discovery and exchanging session frames.
 * tests/host_relay.sh creates the veth pair in a private network namespace,
 * so nothing here ever reaches a real network.
 *
 * The library is used only to *build* frames (PPPoE headers, HDLC framing).
 * Everything that *checks* what the program produced -- discovery tags,
 * session headers, the TCP checksum, the MSS option -- is read here with
 * code of its own, so that a bug shared by the program and the library
 * cannot make both sides agree on a wrong answer.
 *
 * Output is TAP; every wait is bounded, and an alarm kills everything if a
 * step we did not think of hangs anyway.
 *
 * Usage: host_relay PPPOE_MSS CLIENT_IF AC_IF
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <pwd.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "byte_order.h"
#include "confinement.h"
#include "hdlc.h"
#include "ppp.h"
#include "pppoe.h"
#include "process_tree.h"

/* ---- what the fake access concentrator offers ---- */

#define AC_NAME "lab-ac"
#define AC_SERVICE "lab-service"
#define AC_SESSION_ID 0x2a2a
/* For -e ... -k: any id but the one the fake AC hands out. */
#define KILLED_SESSION_ID 0x1234

/* Locally administered addresses for the forgeries: never either veth end. */
static const uint8_t intruder_mac[PPPOE_MAC_LEN] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x66 };
static const uint8_t bystander_mac[PPPOE_MAC_LEN] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x77 };

/* ---- limits on every wait ---- */

#define STEP_TIMEOUT_MS 3000      /* one frame to arrive */
#define PADT_DEADLINE_MS 2000     /* what the brief promises users */
#define SILENCE_MS 300            /* long enough for a wrongly accepted frame to show */
#define NO_PADO_DEADLINE_MS 10500 /* -t 1: 1 + 2 + 4 s of back-off and some slack */
#define WATCHDOG_S 120            /* the whole test; only a hang we did not foresee hits it */

/* ---- LCP and IP constants, spelled out here rather than taken from src/ ---- */

#define LCP_CONFIGURE_REQUEST 1
#define LCP_CONFIGURE_ACK 2
#define LCP_OPTION_MRU 1
#define LCP_OPTION_MAGIC 5

#define IPV4_HEADER_LEN 20
#define IPV6_HEADER_LEN 40
#define TCP_HEADER_LEN 20
#define TCP_FLAG_PSH 0x08
#define TCP_FLAG_ACK 0x10
#define TCP_FLAG_SYN 0x02
#define TCP_CHECKSUM_AT 16
#define IPV4_TCP_OVERHEAD 40      /* IPv4 + TCP headers without options */
#define IPV6_TCP_OVERHEAD 60
#define PPPOE_SESSION_OVERHEAD 8  /* PPPoE header + PPP protocol field */
/* Without RFC 4638's PPP-Max-Payload (the fake AC never offers it) a session
 * carries a standard Ethernet payload, whatever the NIC's MTU. */
#define STANDARD_ETHERNET_MTU 1500

#define PACKET_MAX 2048

/* ---- TAP ---- */

static unsigned tap_count;
static unsigned tap_failures;

static void diag(const char *format, ...) __attribute__((format(printf, 1, 2)));
static void diag(const char *format, ...)
{
	va_list args;

	fputs("# ", stdout);
	va_start(args, format);
	vprintf(format, args);
	va_end(args);
	fputc('\n', stdout);
	fflush(stdout);
}

static bool tap(bool ok, const char *format, ...) __attribute__((format(printf, 2, 3)));
static bool tap(bool ok, const char *format, ...)
{
	va_list args;

	tap_count++;
	if (!ok)
		tap_failures++;
	printf("%sok %u - ", ok ? "" : "not ", tap_count);
	va_start(args, format);
	vprintf(format, args);
	va_end(args);
	fputc('\n', stdout);
	fflush(stdout);
	return ok;
}

/* ---- small helpers ---- */

static uint64_t now_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)now.tv_sec * 1000u + (uint64_t)now.tv_nsec / 1000000u;
}

static int remaining_ms(uint64_t deadline)
{
	uint64_t now = now_ms();

	return now >= deadline ? 0 : (int)(deadline - now);
}

static void sleep_ms(unsigned ms)
{
	struct timespec wait = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	while (nanosleep(&wait, &wait) < 0 && errno == EINTR)
		;
}

static const char *mac_text(const uint8_t *mac)
{
	/* Rotating buffers, so one diagnostic can show several addresses. */
	static char text[4][18];
	static unsigned which;

	which = (which + 1) % 4;
	snprintf(text[which], sizeof(text[which]), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
		 mac[2], mac[3], mac[4], mac[5]);
	return text[which];
}

static uint16_t min_u16(uint16_t a, uint16_t b)
{
	return a < b ? a : b;
}

/* ---- the lab: both veth ends ---- */

struct lab {
	const char *program;
	const char *client_if;
	uint8_t client_mac[PPPOE_MAC_LEN];
	unsigned client_mtu;
	int ac_fd;
	uint8_t ac_mac[PPPOE_MAC_LEN];
	char tmpdir[64];
	/* What the fake AC puts in its PADO; the client must echo both. */
	uint8_t cookie[20];
	uint8_t relay_session_id[12];
};

static int interface_read(const char *name, uint8_t mac[PPPOE_MAC_LEN], unsigned *mtu, int *ifindex)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int result = -1;

	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0)
		goto out;
	*ifindex = ifr.ifr_ifindex;
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		goto out;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, PPPOE_MAC_LEN);
	if (ioctl(fd, SIOCGIFMTU, &ifr) < 0)
		goto out;
	*mtu = (unsigned)ifr.ifr_mtu;
	result = 0;
out:
	close(fd);
	return result;
}

/*
 * One ETH_P_ALL socket sees both PPPoE ethertypes in the order they were
 * sent, which a socket per ethertype would not guarantee.
 */
static int ac_open(struct lab *lab, const char *ac_if)
{
	struct sockaddr_ll address;
	unsigned mtu;
	int ifindex;

	if (interface_read(ac_if, lab->ac_mac, &mtu, &ifindex) < 0) {
		diag("cannot read interface %s: %s", ac_if, strerror(errno));
		return -1;
	}
	lab->ac_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, htons(ETH_P_ALL));
	if (lab->ac_fd < 0) {
		diag("cannot open a packet socket: %s", strerror(errno));
		return -1;
	}
	memset(&address, 0, sizeof(address));
	address.sll_family = AF_PACKET;
	address.sll_protocol = htons(ETH_P_ALL);
	address.sll_ifindex = ifindex;
	if (bind(lab->ac_fd, (struct sockaddr *)&address, sizeof(address)) < 0) {
		diag("cannot bind to %s: %s", ac_if, strerror(errno));
		return -1;
	}
	return 0;
}

static bool ac_send(const struct lab *lab, const uint8_t *frame, size_t len)
{
	if (send(lab->ac_fd, frame, len, 0) == (ssize_t)len)
		return true;
	diag("AC: sending a %zu-byte frame failed: %s", len, strerror(errno));
	return false;
}

static bool is_pppoe_ethertype(uint16_t ethertype)
{
	return ethertype == PPPOE_ETHERTYPE_DISCOVERY || ethertype == PPPOE_ETHERTYPE_SESSION;
}

/*
 * The next PPPoE frame the client sent (ethertype 0: either kind), or 0
 * after timeout_ms.  Frames of the other PPPoE kind are reported and
 * dropped; everything else the kernel puts on the link is ignored.
 */
static size_t ac_receive(const struct lab *lab, uint16_t ethertype, int timeout_ms, uint8_t *buf,
			 size_t capacity)
{
	uint64_t deadline = now_ms() + (uint64_t)timeout_ms;

	for (;;) {
		struct pollfd pfd = { .fd = lab->ac_fd, .events = POLLIN };
		struct sockaddr_ll from;
		socklen_t from_len = sizeof(from);
		ssize_t got;

		if (poll(&pfd, 1, remaining_ms(deadline)) <= 0)
			return 0;
		got = recvfrom(lab->ac_fd, buf, capacity, MSG_TRUNC, (struct sockaddr *)&from, &from_len);
		if (got < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			diag("AC: receive failed: %s", strerror(errno));
			return 0;
		}
		/* Our own transmissions come back on an ETH_P_ALL socket. */
		if (from.sll_pkttype == PACKET_OUTGOING || got < PPPOE_ETH_HEADER_LEN ||
		    (size_t)got > capacity || !is_pppoe_ethertype(get_be16(buf + 12)))
			continue;
		if (ethertype != 0 && get_be16(buf + 12) != ethertype) {
			diag("AC: unexpected frame with ethertype 0x%04x, code 0x%02x (%zd bytes)",
			     get_be16(buf + 12), got > 15 ? buf[15] : 0, got);
			continue;
		}
		return (size_t)got;
	}
}

/* Forget whatever an earlier step left queued. */
static void ac_drain(const struct lab *lab)
{
	uint8_t buf[PACKET_MAX];

	for (int i = 0; i < 1000 && recv(lab->ac_fd, buf, sizeof(buf), MSG_DONTWAIT) > 0; i++)
		;
}

/* ---- reading discovery frames, independently of src/pppoe.c ---- */

#define ETH_DEST_AT 0
#define ETH_SOURCE_AT 6
#define ETH_TYPE_AT 12
#define PPPOE_VERSION_TYPE_AT 14
#define PPPOE_CODE_AT 15
#define PPPOE_SESSION_AT 16
#define PPPOE_LENGTH_AT 18
#define PPPOE_PAYLOAD_AT 20
#define PPPOE_VERSION_TYPE 0x11

/* The PPPoE payload length, or -1 when the header is short, wrong or lies. */
static int pppoe_payload_length(const uint8_t *frame, size_t len)
{
	uint16_t payload_len;

	if (len < PPPOE_PAYLOAD_AT || frame[PPPOE_VERSION_TYPE_AT] != PPPOE_VERSION_TYPE)
		return -1;
	payload_len = get_be16(frame + PPPOE_LENGTH_AT);
	return payload_len > len - PPPOE_PAYLOAD_AT ? -1 : payload_len;
}

struct tag_value {
	bool present;
	const uint8_t *value;
	uint16_t length;
};

/* The first tag of type in a well-formed discovery frame (RFC 2516 section 4). */
static struct tag_value discovery_tag(const uint8_t *frame, size_t len, uint16_t type)
{
	struct tag_value found = { 0 };
	int payload_len = pppoe_payload_length(frame, len);
	size_t at = PPPOE_PAYLOAD_AT, end;

	if (payload_len < 0)
		return found;
	end = PPPOE_PAYLOAD_AT + (size_t)payload_len;
	while (end - at >= 4) {
		uint16_t tag_type = get_be16(frame + at);
		uint16_t tag_len = get_be16(frame + at + 2);

		if (tag_type == PPPOE_TAG_END_OF_LIST || tag_len > end - at - 4)
			break;
		if (tag_type == type) {
			found = (struct tag_value){ .present = true, .value = frame + at + 4, .length = tag_len };
			break;
		}
		at += 4 + (size_t)tag_len;
	}
	return found;
}

static bool tag_equals(struct tag_value tag, const void *value, size_t length)
{
	return tag.present && tag.length == length && (length == 0 || memcmp(tag.value, value, length) == 0);
}

static bool tags_equal(struct tag_value a, struct tag_value b)
{
	return a.present && tag_equals(b, a.value, a.length);
}

/* A discovery frame from the client with this code, or a diagnostic why not. */
static bool discovery_frame_is(const uint8_t *frame, size_t len, uint8_t code, const char *what)
{
	if (len == 0) {
		diag("no %s within %d ms", what, STEP_TIMEOUT_MS);
		return false;
	}
	if (get_be16(frame + ETH_TYPE_AT) != PPPOE_ETHERTYPE_DISCOVERY || len < PPPOE_PAYLOAD_AT ||
	    frame[PPPOE_CODE_AT] != code || pppoe_payload_length(frame, len) < 0) {
		diag("expected a %s, got ethertype 0x%04x code 0x%02x, %zu bytes", what,
		     get_be16(frame + ETH_TYPE_AT), len > PPPOE_CODE_AT ? frame[PPPOE_CODE_AT] : 0, len);
		return false;
	}
	return true;
}

/* ---- the program under test, with "pppd" on the other end of its pty ---- */

struct client {
	pid_t pid;
	int pppd_fd;              /* pty slave; -1 when the program runs without a pty */
	char log_path[128];       /* the program's stderr */
	char out_path[128];       /* its stdout when there is no pty */
	struct hdlc_encoder encoder;
	struct hdlc_decoder decoder;
	uint8_t decoder_buffer[PPPOE_FRAME_MAX];
	uint8_t raw[4096];        /* bytes read from the pty, not yet decoded */
	size_t raw_len, raw_used;
	unsigned failures_at_start;
};

/* For the watchdog: whoever is running now. */
static volatile pid_t running_child = -1;

static void on_watchdog(int signum)
{
	static const char message[] = "Bail out! host_relay hung: watchdog expired\n";

	(void)signum;
	if (running_child > 0)
		kill(running_child, SIGKILL);
	(void)!write(STDOUT_FILENO, message, sizeof(message) - 1);
	_exit(1);
}

static void set_cloexec(int fd)
{
	fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
}

/*
 * Start the program with extra arguments after "-I <client_if>".  With
 * with_pty its stdin and stdout are a pty master and we keep the slave, as
 * pppd does; otherwise stdin is /dev/null and stdout goes to out_path.
 */
static bool client_start(struct lab *lab, struct client *client, const char *name, bool with_pty,
			 const char *const extra[])
{
	const char *argv[16];
	size_t argc = 0;
	int master = -1, slave = -1, log_fd, out_fd = -1, in_fd = -1;

	memset(client, 0, sizeof(*client));
	client->pid = -1;
	client->pppd_fd = -1;
	client->failures_at_start = tap_failures;
	snprintf(client->log_path, sizeof(client->log_path), "%s/%s.log", lab->tmpdir, name);
	snprintf(client->out_path, sizeof(client->out_path), "%s/%s.out", lab->tmpdir, name);

	argv[argc++] = lab->program;
	argv[argc++] = "-I";
	argv[argc++] = lab->client_if;
	for (size_t i = 0; extra[i] != NULL && argc < sizeof(argv) / sizeof(argv[0]) - 1; i++)
		argv[argc++] = extra[i];
	argv[argc] = NULL;

	log_fd = open(client->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (log_fd < 0) {
		diag("cannot create %s: %s", client->log_path, strerror(errno));
		return false;
	}
	if (with_pty) {
		struct termios raw;

		if (openpty(&master, &slave, NULL, NULL, NULL) < 0) {
			diag("openpty: %s", strerror(errno));
			close(log_fd);
			return false;
		}
		set_cloexec(master);
		set_cloexec(slave);
		/* pppd puts its end in raw mode: HDLC bytes must pass untouched. */
		tcgetattr(slave, &raw);
		cfmakeraw(&raw);
		tcsetattr(slave, TCSANOW, &raw);
		fcntl(slave, F_SETFL, fcntl(slave, F_GETFL) | O_NONBLOCK);
		in_fd = out_fd = master;
	} else {
		in_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		out_fd = open(client->out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (in_fd < 0 || out_fd < 0) {
			diag("cannot open /dev/null or %s: %s", client->out_path, strerror(errno));
			if (in_fd >= 0)
				close(in_fd);
			if (out_fd >= 0)
				close(out_fd);
			close(log_fd);
			return false;
		}
	}

	fflush(stdout);
	client->pid = fork();
	if (client->pid == 0) {
		/* dup2 clears close-on-exec on the copies, nothing else leaks. */
		dup2(in_fd, STDIN_FILENO);
		dup2(out_fd, STDOUT_FILENO);
		dup2(log_fd, STDERR_FILENO);
		signal(SIGPIPE, SIG_DFL);
		execv(argv[0], (char *const *)argv);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	running_child = client->pid;
	close(log_fd);
	if (with_pty) {
		/* Only the program may hold the master, or its exit would not hang up the slave. */
		close(master);
		client->pppd_fd = slave;
		hdlc_encoder_init(&client->encoder, HDLC_ACCM_ALL);
		hdlc_decoder_init(&client->decoder, client->decoder_buffer, sizeof(client->decoder_buffer));
	} else {
		if (in_fd >= 0)
			close(in_fd);
		if (out_fd >= 0)
			close(out_fd);
	}
	if (client->pid < 0) {
		diag("fork: %s", strerror(errno));
		return false;
	}
	return true;
}

/* Wait up to timeout_ms for the program to exit; true with *status when it did. */
static bool client_wait(struct client *client, int timeout_ms, int *status)
{
	uint64_t deadline = now_ms() + (uint64_t)timeout_ms;

	if (client->pid <= 0)
		return false;
	for (;;) {
		pid_t done = waitpid(client->pid, status, WNOHANG);
		if (done == client->pid) {
			client->pid = -1;
			running_child = -1;
			return true;
		}
		if (done < 0 && errno != EINTR)
			return false;
		if (remaining_ms(deadline) == 0)
			return false;
		sleep_ms(10);
	}
}

static bool client_running(struct client *client)
{
	int status = 0;

	return client->pid > 0 && !client_wait(client, 0, &status);
}

/* Signal the client if it still runs: once reaped its pid is -1, and
 * kill(-1) would signal every process we may signal. */
static void client_signal(const struct client *client, int signum)
{
	if (client->pid > 0)
		kill(client->pid, signum);
}

static void describe_status(int status)
{
	if (WIFEXITED(status))
		diag("exit status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		diag("killed by signal %d", WTERMSIG(status));
}

/* The program's stderr as diagnostics, when something in its run failed. */
static void client_show_log(const struct client *client)
{
	char line[512];
	FILE *log = fopen(client->log_path, "r");

	if (log == NULL)
		return;
	for (int i = 0; i < 200 && fgets(line, sizeof(line), log) != NULL; i++) {
		line[strcspn(line, "\n")] = '\0';
		diag("stderr: %s", line);
	}
	fclose(log);
}

static bool file_contains(const char *path, const char *needle)
{
	char text[16384];
	size_t len;
	FILE *file = fopen(path, "r");

	if (file == NULL)
		return false;
	len = fread(text, 1, sizeof(text) - 1, file);
	fclose(file);
	text[len] = '\0';
	return strstr(text, needle) != NULL;
}

/*
 * Kill the program if it still runs, release the pty, show its log if the run
 * failed.  Its worker outlives it briefly, told by the kernel that its parent
 * died, and ends the session with a PADT: wait for the worker too, so that
 * PADT cannot reach the next case's access concentrator.
 */
static void client_finish(struct client *client)
{
	pid_t workers[8];
	int worker_count = 0, status = 0;

	if (client->pid > 0) {
		worker_count = process_children(client->pid, workers, 8);
		kill(client->pid, SIGKILL);
		if (!client_wait(client, 2000, &status))
			diag("pid %d did not die after SIGKILL", (int)client->pid);
	}
	uint64_t deadline = now_ms() + 4000;
	for (int i = 0; i < worker_count; i++) {
		while (!process_ended(workers[i]) && now_ms() < deadline)
			usleep(10 * 1000);
		if (!process_ended(workers[i]))
			diag("the program's child %d still runs 4 s after the program was killed", (int)workers[i]);
	}
	if (client->pppd_fd >= 0)
		close(client->pppd_fd);
	client->pppd_fd = -1;
	if (tap_failures != client->failures_at_start)
		client_show_log(client);
}

/* "pppd" writes bytes that are already HDLC-encoded, in one write if the pty takes them. */
static bool pppd_write(struct client *client, const uint8_t *bytes, size_t len)
{
	size_t written = 0;
	uint64_t deadline = now_ms() + STEP_TIMEOUT_MS;

	while (written < len) {
		ssize_t n = write(client->pppd_fd, bytes + written, len - written);
		if (n > 0) {
			written += (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			diag("pppd: write to the pty: %s", strerror(errno));
			return false;
		}
		struct pollfd pfd = { .fd = client->pppd_fd, .events = POLLOUT };
		if (poll(&pfd, 1, remaining_ms(deadline)) <= 0) {
			diag("pppd: the pty stayed full for %d ms", STEP_TIMEOUT_MS);
			return false;
		}
	}
	return true;
}

/* HDLC-encode a PPP frame as pppd's ppp_async would; 0 when it does not fit. */
static size_t pppd_encode(struct client *client, const uint8_t *ppp, size_t len, uint8_t *out,
			  size_t capacity)
{
	size_t encoded_len = hdlc_encode(&client->encoder, ppp, len, out, capacity);

	if (encoded_len == 0)
		diag("pppd: frame of %zu bytes does not fit the encode buffer", len);
	return encoded_len;
}

/* "pppd" writes one PPP frame. */
static bool pppd_send(struct client *client, const uint8_t *ppp, size_t len)
{
	uint8_t encoded[2 * PACKET_MAX + 8];
	size_t encoded_len = pppd_encode(client, ppp, len, encoded, sizeof(encoded));

	return encoded_len > 0 && pppd_write(client, encoded, encoded_len);
}

/* The next good HDLC frame from the program (address/control included), 0 on timeout. */
static size_t pppd_receive(struct client *client, int timeout_ms, uint8_t *out, size_t capacity)
{
	uint64_t deadline = now_ms() + (uint64_t)timeout_ms;

	for (;;) {
		while (client->raw_used < client->raw_len) {
			const uint8_t *frame;
			size_t frame_len;

			client->raw_used += hdlc_decode(&client->decoder, client->raw + client->raw_used,
							client->raw_len - client->raw_used, &frame, &frame_len);
			if (frame_len > 0) {
				if (frame_len > capacity) {
					diag("pppd: a %zu-byte frame does not fit", frame_len);
					return 0;
				}
				memcpy(out, frame, frame_len);
				return frame_len;
			}
		}
		client->raw_len = client->raw_used = 0;

		struct pollfd pfd = { .fd = client->pppd_fd, .events = POLLIN };
		if (poll(&pfd, 1, remaining_ms(deadline)) <= 0)
			return 0;
		ssize_t got = read(client->pppd_fd, client->raw, sizeof(client->raw));
		if (got > 0)
			client->raw_len = (size_t)got;
		else if (got == 0 || (errno != EAGAIN && errno != EINTR))
			return 0;  /* hung up: the program is gone */
	}
}

/* ---- discovery, the access concentrator's side ---- */

/*
 * Answer the client's PADI and PADR.  With report, every check of what the
 * client sent is its own TAP line (case a); otherwise only failures are
 * told.  want_service: the Service-Name the client was told to ask for
 * (NULL: any, i.e. an empty tag).
 */
static bool ac_negotiate(struct lab *lab, const char *want_service, bool report)
{
	uint8_t padi[PACKET_MAX], padr[PACKET_MAX], reply[PACKET_MAX];
	size_t padi_len, padr_len, reply_len;
	struct pppoe_builder builder;
	bool ok = true, check;

	padi_len = ac_receive(lab, PPPOE_ETHERTYPE_DISCOVERY, STEP_TIMEOUT_MS, padi, sizeof(padi));
	if (!discovery_frame_is(padi, padi_len, PPPOE_CODE_PADI, "PADI"))
		return tap(false, "the client sends a PADI");

	struct tag_value padi_service = discovery_tag(padi, padi_len, PPPOE_TAG_SERVICE_NAME);
	struct tag_value padi_host_uniq = discovery_tag(padi, padi_len, PPPOE_TAG_HOST_UNIQ);

	check = memcmp(padi + ETH_DEST_AT, pppoe_broadcast_mac, PPPOE_MAC_LEN) == 0 &&
		memcmp(padi + ETH_SOURCE_AT, lab->client_mac, PPPOE_MAC_LEN) == 0 &&
		get_be16(padi + PPPOE_SESSION_AT) == 0;
	if (!check)
		diag("PADI %s -> %s, session 0x%04x", mac_text(padi + ETH_SOURCE_AT),
		     mac_text(padi + ETH_DEST_AT), get_be16(padi + PPPOE_SESSION_AT));
	if (report)
		tap(check, "PADI is broadcast from the client's MAC with session id 0");
	ok &= check;

	check = padi_host_uniq.present && padi_host_uniq.length > 0 && padi_service.present;
	if (!check)
		diag("PADI Host-Uniq %s (%u bytes), Service-Name %s", padi_host_uniq.present ? "present" : "absent",
		     padi_host_uniq.length, padi_service.present ? "present" : "absent");
	if (report)
		tap(check, "PADI carries a Host-Uniq and a Service-Name tag");
	ok &= check;

	if (want_service != NULL) {
		check = tag_equals(padi_service, want_service, strlen(want_service));
		ok &= tap(check, "-S %s: the PADI asks for Service-Name '%s'", want_service, want_service);
	}
	if (!ok)
		return false;

	/* RFC 2516 5.2: the requested Service-Name comes back, other services may follow. */
	pppoe_builder_begin(&builder, reply, sizeof(reply), padi + ETH_SOURCE_AT, lab->ac_mac,
			    PPPOE_ETHERTYPE_DISCOVERY, PPPOE_CODE_PADO, 0);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_AC_NAME, AC_NAME, strlen(AC_NAME));
	pppoe_builder_add_tag(&builder, PPPOE_TAG_SERVICE_NAME, padi_service.value, padi_service.length);
	if (!tag_equals(padi_service, AC_SERVICE, strlen(AC_SERVICE)))
		pppoe_builder_add_tag(&builder, PPPOE_TAG_SERVICE_NAME, AC_SERVICE, strlen(AC_SERVICE));
	pppoe_builder_add_tag(&builder, PPPOE_TAG_HOST_UNIQ, padi_host_uniq.value, padi_host_uniq.length);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_AC_COOKIE, lab->cookie, sizeof(lab->cookie));
	pppoe_builder_add_tag(&builder, PPPOE_TAG_RELAY_SESSION_ID, lab->relay_session_id,
			      sizeof(lab->relay_session_id));
	reply_len = pppoe_builder_finish(&builder);
	if (reply_len == 0 || !ac_send(lab, reply, reply_len))
		return tap(false, "the fake AC sends its PADO");

	padr_len = ac_receive(lab, PPPOE_ETHERTYPE_DISCOVERY, STEP_TIMEOUT_MS, padr, sizeof(padr));
	if (!discovery_frame_is(padr, padr_len, PPPOE_CODE_PADR, "PADR"))
		return tap(false, "the client answers the PADO with a PADR");

	struct tag_value padr_service = discovery_tag(padr, padr_len, PPPOE_TAG_SERVICE_NAME);
	struct tag_value padr_host_uniq = discovery_tag(padr, padr_len, PPPOE_TAG_HOST_UNIQ);
	struct tag_value padr_cookie = discovery_tag(padr, padr_len, PPPOE_TAG_AC_COOKIE);
	struct tag_value padr_relay_id = discovery_tag(padr, padr_len, PPPOE_TAG_RELAY_SESSION_ID);

	check = memcmp(padr + ETH_DEST_AT, lab->ac_mac, PPPOE_MAC_LEN) == 0 &&
		memcmp(padr + ETH_SOURCE_AT, lab->client_mac, PPPOE_MAC_LEN) == 0 &&
		get_be16(padr + PPPOE_SESSION_AT) == 0;
	if (!check)
		diag("PADR %s -> %s (AC is %s), session 0x%04x", mac_text(padr + ETH_SOURCE_AT),
		     mac_text(padr + ETH_DEST_AT), mac_text(lab->ac_mac), get_be16(padr + PPPOE_SESSION_AT));
	if (report)
		tap(check, "PADR goes from the client's MAC to the AC's MAC (unicast)");
	ok &= check;

	bool cookie_ok = tag_equals(padr_cookie, lab->cookie, sizeof(lab->cookie));
	bool relay_id_ok = tag_equals(padr_relay_id, lab->relay_session_id, sizeof(lab->relay_session_id));
	bool host_uniq_ok = tags_equal(padi_host_uniq, padr_host_uniq);
	check = cookie_ok && relay_id_ok && host_uniq_ok;
	if (!check)
		diag("PADR echoes: AC-Cookie %s, Relay-Session-Id %s, Host-Uniq %s", cookie_ok ? "ok" : "WRONG",
		     relay_id_ok ? "ok" : "WRONG", host_uniq_ok ? "ok" : "WRONG");
	if (report)
		tap(check, "PADR echoes the AC-Cookie, the Relay-Session-Id and the PADI's Host-Uniq");
	ok &= check;

	check = tags_equal(padi_service, padr_service);
	if (!check)
		diag("PADR Service-Name %s the PADI's", padr_service.present ? "differs from" : "missing, unlike");
	if (report || want_service != NULL)
		tap(check, "PADR asks for the same Service-Name as the PADI");
	ok &= check;
	if (!ok)
		return false;

	pppoe_builder_begin(&builder, reply, sizeof(reply), padr + ETH_SOURCE_AT, lab->ac_mac,
			    PPPOE_ETHERTYPE_DISCOVERY, PPPOE_CODE_PADS, AC_SESSION_ID);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_SERVICE_NAME, padr_service.value, padr_service.length);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_HOST_UNIQ, padr_host_uniq.value, padr_host_uniq.length);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_RELAY_SESSION_ID, lab->relay_session_id,
			      sizeof(lab->relay_session_id));
	reply_len = pppoe_builder_finish(&builder);
	if (reply_len == 0 || !ac_send(lab, reply, reply_len))
		return tap(false, "the fake AC sends its PADS");
	return true;
}

/* A PADT from the client for session_id, within deadline_ms; diagnostics when not. */
static bool ac_expect_padt(const struct lab *lab, uint16_t session_id, int deadline_ms)
{
	uint8_t frame[PACKET_MAX];
	uint64_t started = now_ms();
	size_t len = ac_receive(lab, PPPOE_ETHERTYPE_DISCOVERY, deadline_ms, frame, sizeof(frame));

	if (len == 0) {
		diag("no PADT within %d ms", deadline_ms);
		return false;
	}
	if (!discovery_frame_is(frame, len, PPPOE_CODE_PADT, "PADT"))
		return false;
	if (get_be16(frame + PPPOE_SESSION_AT) != session_id ||
	    memcmp(frame + ETH_DEST_AT, lab->ac_mac, PPPOE_MAC_LEN) != 0 ||
	    memcmp(frame + ETH_SOURCE_AT, lab->client_mac, PPPOE_MAC_LEN) != 0) {
		diag("PADT for session 0x%04x %s -> %s; expected 0x%04x %s -> %s",
		     get_be16(frame + PPPOE_SESSION_AT), mac_text(frame + ETH_SOURCE_AT),
		     mac_text(frame + ETH_DEST_AT), session_id, mac_text(lab->client_mac),
		     mac_text(lab->ac_mac));
		return false;
	}
	diag("PADT after %llu ms", (unsigned long long)(now_ms() - started));
	return true;
}

/* ---- TCP/IP packets: building them, and checking them from scratch ---- */

static const uint8_t host_ipv4[4] = { 100, 64, 0, 2 };          /* our PPP address */
static const uint8_t server_ipv4[4] = { 198, 51, 100, 7 };      /* TEST-NET-2 */
static const uint8_t host_ipv6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 };
static const uint8_t server_ipv6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x02, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7 };

struct tcp_segment {
	int ip_version;           /* 4 or 6 */
	bool from_server;         /* inbound: server -> host; else host -> server */
	uint8_t flags;
	uint32_t seq, ack;
	const uint8_t *options;   /* a multiple of 4 bytes */
	size_t options_len;
	const uint8_t *payload;
	size_t payload_len;
};

/* One's complement sum of big-endian 16-bit words (RFC 1071), not yet folded. */
static uint32_t sum_words(uint32_t sum, const uint8_t *data, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += get_be16(data + i);
	if (len % 2)
		sum += (uint32_t)data[len - 1] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/*
 * Where the TCP header starts and how long the segment is.  The packets in
 * this test never carry IPv4 options' worth of surprises or IPv6 extension
 * headers, but the bounds are checked all the same.
 */
static bool tcp_locate(const uint8_t *ip, size_t len, size_t *tcp_at, size_t *tcp_len)
{
	if (len < 1)
		return false;
	if (ip[0] >> 4 == 4) {
		size_t header = (size_t)(ip[0] & 0x0f) * 4;
		size_t total = len >= IPV4_HEADER_LEN ? get_be16(ip + 2) : 0;
		if (len < IPV4_HEADER_LEN || header < IPV4_HEADER_LEN || total > len || total < header ||
		    ip[9] != 6)
			return false;
		*tcp_at = header;
		*tcp_len = total - header;
	} else if (ip[0] >> 4 == 6) {
		if (len < IPV6_HEADER_LEN || ip[6] != 6 || get_be16(ip + 4) > len - IPV6_HEADER_LEN)
			return false;
		*tcp_at = IPV6_HEADER_LEN;
		*tcp_len = get_be16(ip + 4);
	} else {
		return false;
	}
	return *tcp_len >= TCP_HEADER_LEN && (size_t)(ip[*tcp_at + 12] >> 4) * 4 <= *tcp_len;
}

/* The TCP pseudo-header: RFC 793 section 3.1 for IPv4, RFC 8200 section 8.1 for IPv6. */
static uint32_t pseudo_header_sum(const uint8_t *ip, size_t tcp_len)
{
	uint8_t length_and_protocol[8] = { 0 };

	put_be32(length_and_protocol, (uint32_t)tcp_len);
	length_and_protocol[7] = 6;
	if (ip[0] >> 4 == 4)
		return sum_words(sum_words(0, ip + 12, 8), length_and_protocol, 8);
	return sum_words(sum_words(0, ip + 8, 32), length_and_protocol, 8);
}

/* Recomputed over the whole segment: valid when everything sums to 0xffff. */
static bool tcp_checksum_valid(const uint8_t *ip, size_t len)
{
	size_t tcp_at, tcp_len;

	if (!tcp_locate(ip, len, &tcp_at, &tcp_len))
		return false;
	return fold(sum_words(pseudo_header_sum(ip, tcp_len), ip + tcp_at, tcp_len)) == 0xffff;
}

/* Offset in the packet of the first MSS option's 16-bit value; 0 when there is none. */
static size_t tcp_mss_offset(const uint8_t *ip, size_t len)
{
	size_t tcp_at, tcp_len, at, end;

	if (!tcp_locate(ip, len, &tcp_at, &tcp_len))
		return 0;
	at = tcp_at + TCP_HEADER_LEN;
	end = tcp_at + (size_t)(ip[tcp_at + 12] >> 4) * 4;
	while (at < end) {
		uint8_t kind = ip[at];
		if (kind == 0)
			break;
		if (kind == 1) {
			at++;
			continue;
		}
		if (end - at < 2 || ip[at + 1] < 2 || ip[at + 1] > end - at)
			break;
		if (kind == 2 && ip[at + 1] == 4)
			return at + 2;
		at += ip[at + 1];
	}
	return 0;
}

static size_t tcp_segment_build(const struct tcp_segment *seg, uint8_t *out, size_t capacity)
{
	size_t ip_header = seg->ip_version == 4 ? IPV4_HEADER_LEN : IPV6_HEADER_LEN;
	size_t tcp_len = TCP_HEADER_LEN + seg->options_len + seg->payload_len;
	size_t total = ip_header + tcp_len;
	uint8_t *tcp = out + ip_header;
	const uint8_t *src, *dst;
	uint16_t src_port = seg->from_server ? 443 : 51234;
	uint16_t dst_port = seg->from_server ? 51234 : 443;

	if (total > capacity || seg->options_len % 4 != 0 || seg->options_len > 40)
		return 0;
	memset(out, 0, total);
	if (seg->ip_version == 4) {
		src = seg->from_server ? server_ipv4 : host_ipv4;
		dst = seg->from_server ? host_ipv4 : server_ipv4;
		out[0] = 0x45;
		put_be16(out + 2, (uint16_t)total);
		put_be16(out + 4, 0x1c46);          /* identification */
		put_be16(out + 6, 0x4000);          /* don't fragment, as Linux sends SYNs */
		out[8] = 64;
		out[9] = 6;
		memcpy(out + 12, src, 4);
		memcpy(out + 16, dst, 4);
		put_be16(out + 10, (uint16_t)~fold(sum_words(0, out, IPV4_HEADER_LEN)));
	} else {
		src = seg->from_server ? server_ipv6 : host_ipv6;
		dst = seg->from_server ? host_ipv6 : server_ipv6;
		out[0] = 0x60;
		put_be16(out + 4, (uint16_t)tcp_len);
		out[6] = 6;
		out[7] = 64;
		memcpy(out + 8, src, 16);
		memcpy(out + 24, dst, 16);
	}
	put_be16(tcp, src_port);
	put_be16(tcp + 2, dst_port);
	put_be32(tcp + 4, seg->seq);
	put_be32(tcp + 8, seg->ack);
	tcp[12] = (uint8_t)((TCP_HEADER_LEN + seg->options_len) / 4 << 4);
	tcp[13] = seg->flags;
	put_be16(tcp + 14, 64240);
	if (seg->options_len)
		memcpy(tcp + TCP_HEADER_LEN, seg->options, seg->options_len);
	if (seg->payload_len)
		memcpy(tcp + TCP_HEADER_LEN + seg->options_len, seg->payload, seg->payload_len);
	put_be16(tcp + TCP_CHECKSUM_AT, (uint16_t)~fold(sum_words(pseudo_header_sum(out, tcp_len), tcp, tcp_len)));
	return total;
}

/* Linux's SYN option layout: MSS, SACK-permitted, timestamps, NOP, window scale. */
static size_t linux_syn_options(uint8_t options[20], uint16_t mss)
{
	static const uint8_t layout[20] = {
		2, 4, 0, 0,                              /* MSS, value below */
		4, 2,                                    /* SACK permitted */
		8, 10, 0x3b, 0x9a, 0xca, 0x07, 0, 0, 0, 0, /* timestamps */
		1,                                       /* NOP */
		3, 3, 7,                                 /* window scale 7 */
	};

	memcpy(options, layout, sizeof(layout));
	put_be16(options + 2, mss);
	return sizeof(layout);
}

/* The same options led by a NOP, which puts the MSS value at an odd offset. */
static size_t odd_offset_syn_options(uint8_t options[20], uint16_t mss)
{
	static const uint8_t layout[20] = {
		1,                                       /* NOP */
		2, 4, 0, 0,                              /* MSS, value below */
		8, 10, 0x3b, 0x9a, 0xca, 0x07, 0, 0, 0, 0, /* timestamps */
		1, 3, 3, 7,                              /* NOP, window scale */
		0,                                       /* end of list */
	};

	memcpy(options, layout, sizeof(layout));
	put_be16(options + 3, mss);
	return sizeof(layout);
}

/* A SYN (or SYN-ACK when from_server) with Linux's options. */
static size_t syn_build(int ip_version, bool from_server, uint16_t mss, uint8_t *out, size_t capacity)
{
	uint8_t options[20];
	struct tcp_segment seg = {
		.ip_version = ip_version,
		.from_server = from_server,
		.flags = from_server ? TCP_FLAG_SYN | TCP_FLAG_ACK : TCP_FLAG_SYN,
		.seq = from_server ? 0x8d1e5a01u : 0x5eed0001u,
		.ack = from_server ? 0x5eed0002u : 0,
		.options = options,
		.options_len = linux_syn_options(options, mss),
	};
	return tcp_segment_build(&seg, out, capacity);
}

/*
 * A SYN that went through the relay: it must be as long as what was sent,
 * its TCP checksum must verify from scratch, its MSS must be expected_mss,
 * and no byte but the MSS value and the checksum may differ.  When nothing
 * needed lowering, not even those may change.
 */
static bool syn_arrived_as_expected(const uint8_t *sent, size_t sent_len, const uint8_t *got,
				    size_t got_len, uint16_t expected_mss)
{
	size_t tcp_at, tcp_len;
	size_t mss_at = tcp_mss_offset(sent, sent_len);
	bool ok = true;

	if (got_len != sent_len) {
		diag("%zu bytes arrived, %zu were sent", got_len, sent_len);
		return false;
	}
	if (mss_at == 0 || !tcp_locate(sent, sent_len, &tcp_at, &tcp_len)) {
		diag("test bug: the SYN sent has no MSS option");
		return false;
	}
	if (tcp_mss_offset(got, got_len) != mss_at) {
		diag("the MSS option is not where it was");
		return false;
	}
	if (!tcp_checksum_valid(got, got_len)) {
		diag("TCP checksum 0x%04x does not verify", get_be16(got + tcp_at + TCP_CHECKSUM_AT));
		ok = false;
	}
	if (get_be16(got + mss_at) != expected_mss) {
		diag("MSS %u arrived, expected %u (sent %u)", get_be16(got + mss_at), expected_mss,
		     get_be16(sent + mss_at));
		ok = false;
	}
	for (size_t i = 0; i < got_len; i++) {
		bool may_change = expected_mss != get_be16(sent + mss_at) &&
				  ((i >= mss_at && i < mss_at + 2) ||
				   (i >= tcp_at + TCP_CHECKSUM_AT && i < tcp_at + TCP_CHECKSUM_AT + 2));
		if (got[i] != sent[i] && !may_change) {
			diag("byte %zu changed from 0x%02x to 0x%02x", i, sent[i], got[i]);
			ok = false;
			break;
		}
	}
	return ok;
}

/* ---- relaying through the program, both ways ---- */

static size_t ppp_frame_build(uint16_t protocol, const uint8_t *payload, size_t len, uint8_t *out,
			      size_t capacity)
{
	if (len + 4 > capacity)
		return 0;
	out[0] = 0xff;  /* address and control, as pppd writes them on a pty */
	out[1] = 0x03;
	put_be16(out + 2, protocol);
	memcpy(out + 4, payload, len);
	return len + 4;
}

/*
 * The next session frame at the AC, which must belong to our session and go
 * from the client's MAC to the AC's.  Returns its PPPoE payload (the PPP
 * frame from the protocol field on) copied to ppp, 0 on failure.
 */
static size_t ac_receive_session(const struct lab *lab, uint8_t *ppp, size_t capacity)
{
	uint8_t frame[PACKET_MAX];
	size_t frame_len = ac_receive(lab, PPPOE_ETHERTYPE_SESSION, STEP_TIMEOUT_MS, frame, sizeof(frame));
	int pppoe_len;

	if (frame_len == 0) {
		diag("nothing reached the AC within %d ms", STEP_TIMEOUT_MS);
		return 0;
	}
	pppoe_len = pppoe_payload_length(frame, frame_len);
	if (pppoe_len < 1 || frame[PPPOE_CODE_AT] != PPPOE_CODE_SESSION ||
	    get_be16(frame + PPPOE_SESSION_AT) != AC_SESSION_ID ||
	    memcmp(frame + ETH_DEST_AT, lab->ac_mac, PPPOE_MAC_LEN) != 0 ||
	    memcmp(frame + ETH_SOURCE_AT, lab->client_mac, PPPOE_MAC_LEN) != 0) {
		diag("bad session frame: %s -> %s, ver/type 0x%02x, code 0x%02x, session 0x%04x, length %d of %zu",
		     mac_text(frame + ETH_SOURCE_AT), mac_text(frame + ETH_DEST_AT),
		     frame[PPPOE_VERSION_TYPE_AT], frame[PPPOE_CODE_AT], get_be16(frame + PPPOE_SESSION_AT),
		     pppoe_len, frame_len);
		return 0;
	}
	if ((size_t)pppoe_len > capacity)
		return 0;
	memcpy(ppp, frame + PPPOE_PAYLOAD_AT, (size_t)pppoe_len);
	return (size_t)pppoe_len;
}

/*
 * "pppd" sends protocol + payload; the AC must receive it in our session
 * without address and control.  Returns the payload length as received
 * (copied to received), 0 on failure.
 */
static size_t relay_outbound(struct lab *lab, struct client *client, uint16_t protocol,
			     const uint8_t *payload, size_t len, uint8_t *received, size_t capacity)
{
	uint8_t ppp[PACKET_MAX], got[PACKET_MAX];
	size_t ppp_len = ppp_frame_build(protocol, payload, len, ppp, sizeof(ppp));
	size_t got_len;

	if (ppp_len == 0 || !pppd_send(client, ppp, ppp_len))
		return 0;
	got_len = ac_receive_session(lab, got, sizeof(got));
	if (got_len == 0)
		return 0;
	/* RFC 2516 section 7: no address/control field inside PPPoE. */
	if (got_len < 2 || get_be16(got) != protocol) {
		diag("session payload starts %02x %02x, expected protocol 0x%04x", got[0],
		     got_len > 1 ? got[1] : 0, protocol);
		return 0;
	}
	if (got_len - 2 > capacity)
		return 0;
	memcpy(received, got + 2, got_len - 2);
	return got_len - 2;
}

/* A session frame from the AC to the client: protocol + payload, for session_id. */
static size_t session_frame_build(const struct lab *lab, const uint8_t *source, uint16_t session_id,
				  uint16_t protocol, const uint8_t *payload, size_t len, uint8_t *out,
				  size_t capacity)
{
	if (PPPOE_PAYLOAD_AT + 2 + len > capacity)
		return 0;
	pppoe_session_header_write(out, lab->client_mac, source, PPPOE_ETHERTYPE_SESSION, session_id,
				   (uint16_t)(len + 2));
	put_be16(out + PPPOE_PAYLOAD_AT, protocol);
	memcpy(out + PPPOE_PAYLOAD_AT + 2, payload, len);
	return PPPOE_PAYLOAD_AT + 2 + len;
}

/*
 * The AC sends protocol + payload in our session; "pppd" must read it as
 * FF 03 + protocol + payload.  Returns the payload length as received, 0 on
 * failure.
 */
static size_t relay_inbound(struct lab *lab, struct client *client, uint16_t protocol,
			    const uint8_t *payload, size_t len, uint8_t *received, size_t capacity)
{
	uint8_t frame[PACKET_MAX], ppp[PACKET_MAX];
	size_t frame_len = session_frame_build(lab, lab->ac_mac, AC_SESSION_ID, protocol, payload, len,
					       frame, sizeof(frame));
	size_t ppp_len;

	if (frame_len == 0 || !ac_send(lab, frame, frame_len))
		return 0;
	ppp_len = pppd_receive(client, STEP_TIMEOUT_MS, ppp, sizeof(ppp));
	if (ppp_len == 0) {
		diag("nothing reached pppd within %d ms", STEP_TIMEOUT_MS);
		return 0;
	}
	if (ppp_len < 4 || ppp[0] != 0xff || ppp[1] != 0x03 || get_be16(ppp + 2) != protocol) {
		diag("pppd got a %zu-byte frame starting %02x %02x %02x %02x, expected ff 03 + 0x%04x",
		     ppp_len, ppp[0], ppp_len > 1 ? ppp[1] : 0, ppp_len > 2 ? ppp[2] : 0,
		     ppp_len > 3 ? ppp[3] : 0, protocol);
		return 0;
	}
	if (ppp_len - 4 > capacity)
		return 0;
	memcpy(received, ppp + 4, ppp_len - 4);
	return ppp_len - 4;
}

enum direction { OUTBOUND, INBOUND };

static const char *direction_name(enum direction dir)
{
	return dir == OUTBOUND ? "pppd -> AC" : "AC -> pppd";
}

static size_t relay(struct lab *lab, struct client *client, enum direction dir, uint16_t protocol,
		    const uint8_t *payload, size_t len, uint8_t *received, size_t capacity)
{
	if (dir == OUTBOUND)
		return relay_outbound(lab, client, protocol, payload, len, received, capacity);
	return relay_inbound(lab, client, protocol, payload, len, received, capacity);
}

/* One SYN through the relay, checked; a TAP line. */
static bool syn_case(struct lab *lab, struct client *client, enum direction dir, int ip_version,
		     uint16_t offered_mss, uint16_t expected_mss, const char *why)
{
	uint8_t sent[PACKET_MAX], got[PACKET_MAX];
	size_t sent_len = syn_build(ip_version, dir == INBOUND, offered_mss, sent, sizeof(sent));
	size_t got_len = relay(lab, client, dir, ip_version == 4 ? PPP_PROTOCOL_IPV4 : PPP_PROTOCOL_IPV6, sent, sent_len,
			       got, sizeof(got));
	bool ok = got_len > 0 && syn_arrived_as_expected(sent, sent_len, got, got_len, expected_mss);

	return tap(ok, "%s: IPv%d %s with MSS %u arrives with MSS %u and a valid checksum (%s)",
		   direction_name(dir), ip_version, dir == INBOUND ? "SYN-ACK" : "SYN", offered_mss,
		   expected_mss, why);
}

/* A segment that must pass without a single byte changed. */
static bool passes_unchanged(struct lab *lab, struct client *client, enum direction dir,
			     uint16_t protocol, const uint8_t *packet, size_t len)
{
	uint8_t got[PACKET_MAX];
	size_t got_len = relay(lab, client, dir, protocol, packet, len, got, sizeof(got));

	if (got_len == 0)
		return false;
	if (got_len != len || memcmp(got, packet, len) != 0) {
		diag("%zu bytes sent, %zu arrived, %s", len, got_len,
		     got_len == len ? "contents differ" : "lengths differ");
		return false;
	}
	return true;
}

/* ---- the session cases ---- */

/*
 * The largest PPP frame the session carries: the client's MTU less PPPoE's 8
 * bytes, and never more than a standard Ethernet payload allows, since the
 * fake AC does not offer RFC 4638.
 */
static uint16_t link_max_payload(const struct lab *lab)
{
	unsigned mtu = lab->client_mtu < STANDARD_ETHERNET_MTU ? lab->client_mtu : STANDARD_ETHERNET_MTU;

	return (uint16_t)(mtu - PPPOE_SESSION_OVERHEAD);
}

/* b-e: the automatic clamp before LCP has said anything. */
static void session_clamp_cases(struct lab *lab, struct client *client)
{
	uint16_t link = link_max_payload(lab);
	uint16_t limit4 = (uint16_t)(link - IPV4_TCP_OVERHEAD);
	uint16_t limit6 = (uint16_t)(link - IPV6_TCP_OVERHEAD);
	char why[64];

	snprintf(why, sizeof(why), "link payload %u - 40", link);
	syn_case(lab, client, OUTBOUND, 4, 1460, min_u16(1460, limit4), why);
	syn_case(lab, client, INBOUND, 4, 1460, min_u16(1460, limit4), why);
	snprintf(why, sizeof(why), "link payload %u - 60", link);
	syn_case(lab, client, OUTBOUND, 6, 1440, min_u16(1440, limit6), why);
	syn_case(lab, client, INBOUND, 6, 1440, min_u16(1440, limit6), why);
	syn_case(lab, client, OUTBOUND, 4, 1400, 1400, "already below the limit: never raised");
	syn_case(lab, client, INBOUND, 4, 1400, 1400, "already below the limit: never raised");

	/* pf's lesson: the MSS value need not be 16-bit aligned in the segment. */
	for (enum direction dir = OUTBOUND; dir <= INBOUND; dir++) {
		uint8_t options[20], sent[PACKET_MAX], got[PACKET_MAX];
		struct tcp_segment seg = {
			.ip_version = 4, .from_server = dir == INBOUND,
			.flags = TCP_FLAG_SYN | (dir == INBOUND ? TCP_FLAG_ACK : 0),
			.seq = 0x0dd0ff5e, .ack = dir == INBOUND ? 0x12345678u : 0,
			.options = options, .options_len = odd_offset_syn_options(options, 1460),
		};
		size_t sent_len = tcp_segment_build(&seg, sent, sizeof(sent));
		size_t got_len = relay(lab, client, dir, PPP_PROTOCOL_IPV4, sent, sent_len, got, sizeof(got));
		tap(got_len > 0 && syn_arrived_as_expected(sent, sent_len, got, got_len, min_u16(1460, limit4)),
		    "%s: MSS option at an odd offset is clamped to %u, checksum valid", direction_name(dir),
		    min_u16(1460, limit4));
	}

	/* A full-sized data segment whose payload even looks like an MSS option. */
	uint8_t data[1400], packet[PACKET_MAX];
	static const uint8_t timestamps[12] = { 1, 1, 8, 10, 0, 0, 0, 42, 0x3b, 0x9a, 0xca, 0x07 };
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 3);  /* every byte value, 0x7d and 0x7e included */
	for (size_t i = 0; i + 4 <= sizeof(data); i += 100)
		memcpy(data + i, "\x02\x04\x05\xb4", 4);
	for (enum direction dir = OUTBOUND; dir <= INBOUND; dir++) {
		struct tcp_segment seg = {
			.ip_version = 4, .from_server = dir == INBOUND,
			.flags = TCP_FLAG_ACK | TCP_FLAG_PSH, .seq = 0x5eed0002u, .ack = 0x8d1e5a02u,
			.options = timestamps, .options_len = sizeof(timestamps),
			.payload = data, .payload_len = sizeof(data),
		};
		size_t len = tcp_segment_build(&seg, packet, sizeof(packet));
		tap(passes_unchanged(lab, client, dir, PPP_PROTOCOL_IPV4, packet, len),
		    "%s: a non-SYN segment with %zu bytes of data passes byte-identical", direction_name(dir),
		    sizeof(data));
	}

	/* The segment a clamped connection actually sends: an IP packet of
	 * exactly the link MTU (1452 bytes of data behind 40 of headers). */
	static uint8_t full[PACKET_MAX];
	for (size_t i = 0; i < sizeof(full); i++)
		full[i] = (uint8_t)(i * 13 + 1);
	for (enum direction dir = OUTBOUND; dir <= INBOUND; dir++) {
		struct tcp_segment seg = {
			.ip_version = 4, .from_server = dir == INBOUND,
			.flags = TCP_FLAG_ACK, .seq = 0x5eed0003u, .ack = 0x8d1e5a03u,
			.payload = full, .payload_len = limit4,
		};
		size_t len = tcp_segment_build(&seg, packet, sizeof(packet));
		tap(len == link && passes_unchanged(lab, client, dir, PPP_PROTOCOL_IPV4, packet, len),
		    "%s: a full-size %zu-byte IP packet (the link MTU) passes byte-identical",
		    direction_name(dir), len);
	}
}

/* A harmless IPv4 packet whose sequence number tells the instances apart. */
static size_t marker_build(uint32_t marker, bool from_server, uint8_t *out, size_t capacity)
{
	struct tcp_segment seg = {
		.ip_version = 4, .from_server = from_server, .flags = TCP_FLAG_ACK,
		.seq = marker, .ack = 1,
	};
	return tcp_segment_build(&seg, out, capacity);
}

/* A data segment of payload_len bytes, numbered by its sequence number. */
static size_t numbered_segment_build(uint32_t number, bool from_server, size_t payload_len,
				     uint8_t *out, size_t capacity)
{
	uint8_t payload[PACKET_MAX];
	struct tcp_segment seg = {
		.ip_version = 4, .from_server = from_server, .flags = TCP_FLAG_ACK | TCP_FLAG_PSH,
		.seq = number, .ack = 1, .payload = payload, .payload_len = payload_len,
	};

	if (payload_len > sizeof(payload))
		return 0;
	for (size_t i = 0; i < payload_len; i++)
		payload[i] = (uint8_t)(number + i);
	return tcp_segment_build(&seg, out, capacity);
}

#define BURST_FRAMES 100   /* more than the relay's batch of 64 frames */
#define BURST_PAYLOAD 100  /* small enough that a burst fits the default socket buffers */

/* Bursts both ways: nothing lost, nothing reordered, across batch boundaries. */
static void burst_cases(struct lab *lab, struct client *client)
{
	static uint8_t encoded[BURST_FRAMES * (2 * (BURST_PAYLOAD + 64) + 8)];
	uint8_t ip[PACKET_MAX], ppp[PACKET_MAX], got[PACKET_MAX], frame[PACKET_MAX];
	size_t ip_len, ppp_len, got_len, frame_len, encoded_len = 0;
	bool ok;

	for (uint32_t i = 0; i < BURST_FRAMES; i++) {
		ip_len = numbered_segment_build(0xb0000000u + i, false, BURST_PAYLOAD, ip, sizeof(ip));
		ppp_len = ppp_frame_build(PPP_PROTOCOL_IPV4, ip, ip_len, ppp, sizeof(ppp));
		encoded_len += pppd_encode(client, ppp, ppp_len, encoded + encoded_len,
					   sizeof(encoded) - encoded_len);
	}
	ok = pppd_write(client, encoded, encoded_len);
	for (uint32_t i = 0; ok && i < BURST_FRAMES; i++) {
		ip_len = numbered_segment_build(0xb0000000u + i, false, BURST_PAYLOAD, ip, sizeof(ip));
		got_len = ac_receive_session(lab, got, sizeof(got));
		ok = got_len == ip_len + 2 && memcmp(got + 2, ip, ip_len) == 0;
		if (!ok)
			diag("frame %u of the burst is missing or out of order", (unsigned)i);
	}
	tap(ok, "pppd -> AC: %d frames in one pty write all arrive, in order", BURST_FRAMES);

	ok = true;
	for (uint32_t i = 0; ok && i < BURST_FRAMES; i++) {
		ip_len = numbered_segment_build(0xc0000000u + i, true, BURST_PAYLOAD, ip, sizeof(ip));
		frame_len = session_frame_build(lab, lab->ac_mac, AC_SESSION_ID, PPP_PROTOCOL_IPV4, ip, ip_len, frame,
						sizeof(frame));
		ok = frame_len > 0 && ac_send(lab, frame, frame_len);
	}
	for (uint32_t i = 0; ok && i < BURST_FRAMES; i++) {
		ip_len = numbered_segment_build(0xc0000000u + i, true, BURST_PAYLOAD, ip, sizeof(ip));
		got_len = pppd_receive(client, STEP_TIMEOUT_MS, got, sizeof(got));
		ok = got_len == ip_len + 4 && memcmp(got + 4, ip, ip_len) == 0;
		if (!ok)
			diag("frame %u of the burst is missing or out of order", (unsigned)i);
	}
	tap(ok, "AC -> pppd: a burst of %d frames all arrives, in order", BURST_FRAMES);
}

/*
 * How pppd's bytes and the Ethernet's frames really arrive: HDLC frames cut
 * across reads or several per read, compressed PPP headers, Ethernet
 * padding, bursts longer than one relay batch.
 */
static void framing_cases(struct lab *lab, struct client *client)
{
	uint16_t limit4 = (uint16_t)(link_max_payload(lab) - IPV4_TCP_OVERHEAD);
	uint8_t ip[PACKET_MAX], ppp[PACKET_MAX], got[PACKET_MAX];
	uint8_t encoded[16 * PACKET_MAX];
	size_t ip_len, ppp_len, got_len, encoded_len;
	bool ok;

	/* One SYN written in two halves, the second after the relay has read the first. */
	ip_len = syn_build(4, false, 1460, ip, sizeof(ip));
	ppp_len = ppp_frame_build(PPP_PROTOCOL_IPV4, ip, ip_len, ppp, sizeof(ppp));
	encoded_len = pppd_encode(client, ppp, ppp_len, encoded, sizeof(encoded));
	ok = encoded_len > 0 && pppd_write(client, encoded, encoded_len / 2);
	sleep_ms(50);
	ok = ok && pppd_write(client, encoded + encoded_len / 2, encoded_len - encoded_len / 2);
	got_len = ok ? ac_receive_session(lab, got, sizeof(got)) : 0;
	ok = got_len > 2 && get_be16(got) == PPP_PROTOCOL_IPV4 &&
	     syn_arrived_as_expected(ip, ip_len, got + 2, got_len - 2, min_u16(1460, limit4));
	tap(ok, "pppd -> AC: a SYN split across two pty writes is reassembled and clamped");

	/* Two frames in one write: both, in order. */
	encoded_len = 0;
	for (uint32_t i = 0; i < 2; i++) {
		ip_len = marker_build(0x7e7d0000u + i, false, ip, sizeof(ip));
		ppp_len = ppp_frame_build(PPP_PROTOCOL_IPV4, ip, ip_len, ppp, sizeof(ppp));
		encoded_len += pppd_encode(client, ppp, ppp_len, encoded + encoded_len,
					   sizeof(encoded) - encoded_len);
	}
	ok = pppd_write(client, encoded, encoded_len);
	for (uint32_t i = 0; ok && i < 2; i++) {
		ip_len = marker_build(0x7e7d0000u + i, false, ip, sizeof(ip));
		got_len = ac_receive_session(lab, got, sizeof(got));
		ok = got_len == ip_len + 2 && get_be16(got) == PPP_PROTOCOL_IPV4 && memcmp(got + 2, ip, ip_len) == 0;
		if (!ok)
			diag("frame %u of the write did not arrive intact", (unsigned)i);
	}
	tap(ok, "pppd -> AC: two frames in one pty write both arrive, in order");

	/* RFC 1661 ACFC: pppd leaves out address/control once LCP agreed to. */
	ip_len = marker_build(0xacfc0001u, false, ip, sizeof(ip));
	put_be16(ppp, PPP_PROTOCOL_IPV4);
	memcpy(ppp + 2, ip, ip_len);
	ok = pppd_send(client, ppp, ip_len + 2);
	got_len = ok ? ac_receive_session(lab, got, sizeof(got)) : 0;
	tap(got_len == ip_len + 2 && memcmp(got, ppp, got_len) == 0,
	    "pppd -> AC: a frame without address/control (ACFC) arrives unchanged");

	/* RFC 1661 PFC: a one-byte protocol field, which RFC 2516 allows. */
	for (enum direction dir = OUTBOUND; dir <= INBOUND; dir++) {
		uint8_t frame[PACKET_MAX];
		const uint8_t *arrived_ip;

		ip_len = syn_build(4, dir == INBOUND, 1460, ip, sizeof(ip));
		if (dir == OUTBOUND) {
			ppp[0] = 0xff;
			ppp[1] = 0x03;
			ppp[2] = (uint8_t)PPP_PROTOCOL_IPV4;
			memcpy(ppp + 3, ip, ip_len);
			got_len = pppd_send(client, ppp, ip_len + 3) ? ac_receive_session(lab, got, sizeof(got)) : 0;
			ok = got_len == ip_len + 1 && got[0] == (uint8_t)PPP_PROTOCOL_IPV4;
			arrived_ip = got + 1;
		} else {
			pppoe_session_header_write(frame, lab->client_mac, lab->ac_mac, PPPOE_ETHERTYPE_SESSION,
						   AC_SESSION_ID, (uint16_t)(ip_len + 1));
			frame[PPPOE_PAYLOAD_AT] = (uint8_t)PPP_PROTOCOL_IPV4;
			memcpy(frame + PPPOE_PAYLOAD_AT + 1, ip, ip_len);
			got_len = ac_send(lab, frame, PPPOE_PAYLOAD_AT + 1 + ip_len) ?
				  pppd_receive(client, STEP_TIMEOUT_MS, got, sizeof(got)) : 0;
			ok = got_len == ip_len + 3 && got[0] == 0xff && got[1] == 0x03 &&
			     got[2] == (uint8_t)PPP_PROTOCOL_IPV4;
			arrived_ip = got + 3;
		}
		if (!ok && got_len >= 3)
			diag("%zu bytes arrived, starting %02x %02x %02x", got_len, got[0], got[1], got[2]);
		ok = ok && syn_arrived_as_expected(ip, ip_len, arrived_ip, ip_len, min_u16(1460, limit4));
		tap(ok, "%s: a SYN with a one-byte protocol field (PFC) is clamped to %u", direction_name(dir),
		    min_u16(1460, limit4));
	}

	/*
	 * Real NICs pad frames to the 60-byte Ethernet minimum; veth does not,
	 * so the AC pads itself.  pppd must get the PPP frame, not the padding.
	 */
	static const uint8_t echo_request[8] = { 9, 0x42, 0, 8, 0x1a, 0x2b, 0x3c, 0x4d };
	uint8_t padded[60] = { 0 };
	size_t frame_len = session_frame_build(lab, lab->ac_mac, AC_SESSION_ID, PPP_PROTOCOL_LCP, echo_request,
					       sizeof(echo_request), padded, sizeof(padded));
	got_len = frame_len > 0 && ac_send(lab, padded, sizeof(padded)) ?
		  pppd_receive(client, STEP_TIMEOUT_MS, got, sizeof(got)) : 0;
	ok = got_len == 4 + sizeof(echo_request) && got[0] == 0xff && got[1] == 0x03 &&
	     get_be16(got + 2) == PPP_PROTOCOL_LCP && memcmp(got + 4, echo_request, sizeof(echo_request)) == 0;
	if (!ok)
		diag("%zu bytes reached pppd, expected %zu", got_len, 4 + sizeof(echo_request));
	tap(ok, "AC -> pppd: a short frame padded to 60 bytes reaches pppd without the padding");

	burst_cases(lab, client);
}

/* A frame that must never reach pppd, however it is malformed. */
struct hostile_frame {
	const char *description;
	uint8_t frame[128];
	size_t len;
};

/*
 * After a frame that should not have reached pppd did: read on up to the
 * expected IPv4 packet, so that the next case starts with an empty pty.
 */
static void pppd_skip_to(struct client *client, const uint8_t *packet, size_t len)
{
	uint8_t got[PACKET_MAX];

	for (int i = 0; i < 4; i++) {
		size_t got_len = pppd_receive(client, SILENCE_MS, got, sizeof(got));
		if (got_len == 0 || (got_len == len + 4 && memcmp(got + 4, packet, len) == 0))
			return;
	}
}

/* Append a forgery carrying packet as if in our session, for the caller to spoil. */
static struct hostile_frame *hostile_add(struct hostile_frame *list, size_t *count,
					 const char *description, const struct lab *lab,
					 const uint8_t *source, uint16_t session_id,
					 const uint8_t *packet, size_t packet_len)
{
	struct hostile_frame *hostile = &list[(*count)++];

	hostile->description = description;
	hostile->len = session_frame_build(lab, source, session_id, PPP_PROTOCOL_IPV4, packet, packet_len,
					   hostile->frame, sizeof(hostile->frame));
	return hostile;
}

/*
 * h: each forgery, then a marker frame from the real AC.  The relay handles a
 * socket's frames in order, so if the forgery had been relayed pppd would see
 * it before the marker.
 */
static void hostile_frame_cases(struct lab *lab, struct client *client)
{
	struct hostile_frame cases[8], *hostile;
	uint8_t packet[PACKET_MAX];
	size_t packet_len = marker_build(0xbad0bad0u, true, packet, sizeof(packet));
	size_t n = 0;

	hostile_add(cases, &n, "our session id from a MAC that is not the AC", lab, intruder_mac,
		    AC_SESSION_ID, packet, packet_len);
	hostile_add(cases, &n, "another session id from the AC", lab, lab->ac_mac, AC_SESSION_ID + 1,
		    packet, packet_len);
	hostile = hostile_add(cases, &n, "PPPoE length runs 64 bytes past the frame", lab, lab->ac_mac,
			      AC_SESSION_ID, packet, packet_len);
	put_be16(hostile->frame + PPPOE_LENGTH_AT, (uint16_t)(hostile->len - PPPOE_PAYLOAD_AT + 64));
	hostile = hostile_add(cases, &n, "truncated inside the PPPoE header (18 bytes)", lab, lab->ac_mac,
			      AC_SESSION_ID, packet, packet_len);
	hostile->len = 18;
	hostile = hostile_add(cases, &n, "cut after one payload byte, length says more", lab,
			      lab->ac_mac, AC_SESSION_ID, packet, packet_len);
	hostile->len = PPPOE_PAYLOAD_AT + 1;
	hostile = hostile_add(cases, &n, "addressed to another station", lab, lab->ac_mac, AC_SESSION_ID,
			      packet, packet_len);
	memcpy(hostile->frame + ETH_DEST_AT, bystander_mac, PPPOE_MAC_LEN);
	hostile = hostile_add(cases, &n, "with PPPoE version 2", lab, lab->ac_mac, AC_SESSION_ID, packet,
			      packet_len);
	hostile->frame[PPPOE_VERSION_TYPE_AT] = 0x21;
	hostile = hostile_add(cases, &n, "with the session ethertype but a PADT code", lab, lab->ac_mac,
			      AC_SESSION_ID, packet, packet_len);
	hostile->frame[PPPOE_CODE_AT] = PPPOE_CODE_PADT;

	for (size_t i = 0; i < n; i++) {
		uint8_t marker[PACKET_MAX], got[PACKET_MAX];
		size_t marker_len = marker_build(0x4d000000u + (uint32_t)i, true, marker, sizeof(marker));
		size_t got_len;
		bool ok = cases[i].len > 0 && ac_send(lab, cases[i].frame, cases[i].len);

		got_len = ok ? relay_inbound(lab, client, PPP_PROTOCOL_IPV4, marker, marker_len, got, sizeof(got)) : 0;
		if (ok && (got_len != marker_len || memcmp(got, marker, marker_len) != 0)) {
			diag("pppd's next frame was not the marker that followed the forgery");
			ok = false;
			pppd_skip_to(client, marker, marker_len);
		} else if (got_len == 0) {
			ok = false;
		}
		tap(ok, "session frame %s: not delivered to pppd", cases[i].description);
	}
}

/* A PADT that is not from our AC for our session must leave the session up. */
static void spoofed_padt_cases(struct lab *lab, struct client *client)
{
	static const struct {
		const char *description;
		bool from_intruder;
		uint16_t session_id;
	} spoofs[] = {
		{ "from another MAC for our session", true, AC_SESSION_ID },
		{ "from the AC for another session", false, AC_SESSION_ID + 1 },
	};

	for (size_t i = 0; i < sizeof(spoofs) / sizeof(spoofs[0]); i++) {
		uint8_t padt[PACKET_MAX], packet[PACKET_MAX], got[PACKET_MAX];
		struct pppoe_builder builder;
		size_t padt_len, packet_len;
		bool ok;

		pppoe_builder_begin(&builder, padt, sizeof(padt), lab->client_mac,
				    spoofs[i].from_intruder ? intruder_mac : lab->ac_mac,
				    PPPOE_ETHERTYPE_DISCOVERY, PPPOE_CODE_PADT, spoofs[i].session_id);
		pppoe_builder_add_tag(&builder, PPPOE_TAG_GENERIC_ERROR, "spoofed", 7);
		padt_len = pppoe_builder_finish(&builder);
		ok = padt_len > 0 && ac_send(lab, padt, padt_len);
		/* PADT and session frames use different sockets: give a wrongly
		 * accepted PADT time to end the program before probing. */
		sleep_ms(SILENCE_MS);
		if (ok && !client_running(client)) {
			diag("the program exited after the spoofed PADT");
			ok = false;
		}
		packet_len = marker_build(0x5a000000u + (uint32_t)i, false, packet, sizeof(packet));
		ok = ok && passes_unchanged(lab, client, OUTBOUND, PPP_PROTOCOL_IPV4, packet, packet_len);
		packet_len = marker_build(0x5b000000u + (uint32_t)i, true, packet, sizeof(packet));
		ok = ok && relay_inbound(lab, client, PPP_PROTOCOL_IPV4, packet, packet_len, got, sizeof(got)) == packet_len;
		tap(ok, "PADT %s: ignored, the session still relays both ways", spoofs[i].description);
	}
}

static size_t lcp_build(uint8_t code, uint8_t id, uint16_t mru, uint32_t magic, uint8_t out[14])
{
	out[0] = code;
	out[1] = id;
	put_be16(out + 2, 14);
	out[4] = LCP_OPTION_MRU;
	out[5] = 4;
	put_be16(out + 6, mru);
	out[8] = LCP_OPTION_MAGIC;
	out[9] = 6;
	put_be32(out + 10, magic);
	return 14;
}

/*
 * LCP as pppd and the AC would negotiate it (RFC 1661 section 5.1): each side
 * requests its MRU, the other acknowledges.  pppd's Configure-Ack carries
 * the AC's MRU (the most we may send), the AC's carries pppd's (the most we
 * can receive).  Returns false when an LCP frame did not pass unchanged.
 */
static bool lcp_negotiate(struct lab *lab, struct client *client, uint16_t ac_mru, uint16_t pppd_mru,
			  uint8_t id)
{
	uint8_t ac_request[14], pppd_request[14], pppd_ack[14], ac_ack[14];
	const uint32_t ac_magic = 0x1a2b3c4d, pppd_magic = 0x5e6f7081;

	lcp_build(LCP_CONFIGURE_REQUEST, id, ac_mru, ac_magic, ac_request);
	lcp_build(LCP_CONFIGURE_REQUEST, id, pppd_mru, pppd_magic, pppd_request);
	lcp_build(LCP_CONFIGURE_ACK, id, ac_mru, ac_magic, pppd_ack);
	lcp_build(LCP_CONFIGURE_ACK, id, pppd_mru, pppd_magic, ac_ack);
	return passes_unchanged(lab, client, INBOUND, PPP_PROTOCOL_LCP, ac_request, sizeof(ac_request)) &&
	       passes_unchanged(lab, client, OUTBOUND, PPP_PROTOCOL_LCP, pppd_request, sizeof(pppd_request)) &&
	       passes_unchanged(lab, client, OUTBOUND, PPP_PROTOCOL_LCP, pppd_ack, sizeof(pppd_ack)) &&
	       passes_unchanged(lab, client, INBOUND, PPP_PROTOCOL_LCP, ac_ack, sizeof(ac_ack));
}

/*
 * f: after LCP, SYNs leaving towards the AC are clamped to fit our MRU (the
 * far end sends that much to us) and SYNs arriving from it to fit our MTU.
 */
static void lcp_cases(struct lab *lab, struct client *client, uint16_t ac_mru, uint16_t pppd_mru,
		      uint8_t id)
{
	uint16_t mtu = min_u16(ac_mru, link_max_payload(lab));
	uint16_t mru = min_u16(pppd_mru, link_max_payload(lab));
	char why[64];

	if (!tap(lcp_negotiate(lab, client, ac_mru, pppd_mru, id),
		 "LCP: Configure-Requests and -Acks with MRU %u (AC) and %u (pppd) pass unchanged",
		 ac_mru, pppd_mru))
		return;
	snprintf(why, sizeof(why), "after LCP: MRU %u - 40", mru);
	syn_case(lab, client, OUTBOUND, 4, 1460, min_u16(1460, (uint16_t)(mru - IPV4_TCP_OVERHEAD)), why);
	snprintf(why, sizeof(why), "after LCP: MTU %u - 40", mtu);
	syn_case(lab, client, INBOUND, 4, 1460, min_u16(1460, (uint16_t)(mtu - IPV4_TCP_OVERHEAD)), why);
	snprintf(why, sizeof(why), "after LCP: MRU %u - 60", mru);
	syn_case(lab, client, OUTBOUND, 6, 1440, min_u16(1440, (uint16_t)(mru - IPV6_TCP_OVERHEAD)), why);
	snprintf(why, sizeof(why), "after LCP: MTU %u - 60", mtu);
	syn_case(lab, client, INBOUND, 6, 1440, min_u16(1440, (uint16_t)(mtu - IPV6_TCP_OVERHEAD)), why);
}

/* ---- what the program holds, read from /proc and the file system ---- */

/*
 * The pid in a pid file, complete with its newline (so that a file still
 * being written does not count); -1 when there is no such file or line.
 */
static long pidfile_read(const char *path)
{
	char text[32];
	char *end;
	long value;
	size_t len;
	FILE *file = fopen(path, "r");

	if (file == NULL)
		return -1;
	len = fread(text, 1, sizeof(text) - 1, file);
	fclose(file);
	text[len] = '\0';
	value = strtol(text, &end, 10);
	return end != text && *end == '\n' && value > 0 ? value : -1;
}

/* Wait up to timeout_ms for path to hold pid. */
static bool pidfile_wait(const char *path, pid_t pid, int timeout_ms)
{
	uint64_t deadline = now_ms() + (uint64_t)timeout_ms;

	for (;;) {
		long found = pidfile_read(path);
		if (found == (long)pid)
			return true;
		if (remaining_ms(deadline) == 0) {
			if (found < 0)
				diag("%s: %s", path, access(path, F_OK) == 0 ? "no complete pid line" : "does not exist");
			else
				diag("%s holds pid %ld, the program is %d", path, found, (int)pid);
			return false;
		}
		sleep_ms(10);
	}
}

static bool file_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/*
 * The ethertypes of the packet sockets pid holds: its descriptors that are
 * sockets, matched by inode against /proc/net/packet (this namespace's).
 * This sees what the program opened, whatever it logs.  Returns how many
 * were found, -1 when /proc could not be read.
 */
static int packet_socket_protocols_of(pid_t pid, uint16_t *protocols, int capacity)
{
	unsigned long inodes[64];
	unsigned table_protocols[64];
	int known = 0, found = 0;
	char line[256], dir_path[64];
	FILE *table = fopen("/proc/net/packet", "r");
	struct dirent *entry;
	DIR *dir;

	if (table == NULL)
		return -1;
	/* sk RefCnt Type Proto Iface R Rmem User Inode; the header line does not scan. */
	while (known < 64 && fgets(line, sizeof(line), table) != NULL) {
		if (sscanf(line, "%*s %*s %*s %x %*s %*s %*s %*s %lu", &table_protocols[known],
			   &inodes[known]) == 2)
			known++;
	}
	fclose(table);

	snprintf(dir_path, sizeof(dir_path), "/proc/%d/fd", (int)pid);
	dir = opendir(dir_path);
	if (dir == NULL)
		return -1;
	while (found < capacity && (entry = readdir(dir)) != NULL) {
		char fd_path[sizeof(dir_path) + 256 + 1], target[64];
		unsigned long inode;
		ssize_t len;

		snprintf(fd_path, sizeof(fd_path), "%s/%s", dir_path, entry->d_name);
		len = readlink(fd_path, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		if (sscanf(target, "socket:[%lu]", &inode) != 1)
			continue;
		for (int i = 0; i < known && found < capacity; i++)
			if (inodes[i] == inode)
				protocols[found++] = (uint16_t)table_protocols[i];
	}
	closedir(dir);
	return found;
}

/* The packet sockets of the program and of its worker, which relays. */
static int packet_socket_protocols(pid_t program, uint16_t *protocols, int capacity)
{
	pid_t pids[8];
	int count = process_and_children(program, pids, 8), found = 0;

	for (int i = 0; i < count; i++) {
		int more = packet_socket_protocols_of(pids[i], protocols + found, capacity - found);
		if (more < 0 && i == 0)
			return -1;
		found += more > 0 ? more : 0;
	}
	return found;
}

/* CPU time pid has used so far (user + system), from /proc/PID/stat; -1 when unreadable. */
static long cpu_time_ms_of(pid_t pid)
{
	char path[64], text[1024];
	unsigned long user_ticks, system_ticks;
	long ticks_per_second = sysconf(_SC_CLK_TCK);
	const char *after_name;
	size_t len;
	FILE *file;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	file = fopen(path, "r");
	if (file == NULL)
		return -1;
	len = fread(text, 1, sizeof(text) - 1, file);
	fclose(file);
	text[len] = '\0';
	/* The command name may hold spaces and parentheses: fields restart after the last ')'. */
	after_name = strrchr(text, ')');
	if (after_name == NULL || ticks_per_second <= 0 ||
	    sscanf(after_name + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &user_ticks,
		   &system_ticks) != 2)
		return -1;
	return (long)((user_ticks + system_ticks) * 1000u / (unsigned long)ticks_per_second);
}

/* The program's CPU time and its worker's: -1 when the program's is unreadable. */
static long cpu_time_ms(pid_t program)
{
	pid_t pids[8];
	int count = process_and_children(program, pids, 8);
	long total = cpu_time_ms_of(program);

	for (int i = 1; i < count && total >= 0; i++) {
		long child = cpu_time_ms_of(pids[i]);
		total += child > 0 ? child : 0;
	}
	return total;
}

/* Where a process that should have exited waits: its kernel wait channel and system call. */
static void diag_blocked(pid_t pid)
{
	char path[64], wchan[64] = "", syscall_text[64] = "";
	long number = -1;
	FILE *file;

	snprintf(path, sizeof(path), "/proc/%d/wchan", (int)pid);
	if ((file = fopen(path, "r")) != NULL) {
		if (fgets(wchan, sizeof(wchan), file) == NULL)
			wchan[0] = '\0';
		fclose(file);
	}
	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	if ((file = fopen(path, "r")) != NULL) {
		if (fgets(syscall_text, sizeof(syscall_text), file) != NULL)
			number = strtol(syscall_text, NULL, 10);
		fclose(file);
	}
	diag("pid %d still runs: waiting in %s, system call %ld%s", (int)pid, wchan[0] ? wchan : "?",
	     number, number == SYS_write ? " (write)" : number == SYS_ppoll ? " (ppoll)" : "");
}

/* The program's stderr lines that contain needle, as diagnostics. */
static void client_show_log_lines(const struct client *client, const char *needle)
{
	char line[512];
	FILE *log = fopen(client->log_path, "r");

	if (log == NULL)
		return;
	for (int i = 0; i < 200 && fgets(line, sizeof(line), log) != NULL; i++) {
		line[strcspn(line, "\n")] = '\0';
		if (strstr(line, needle) != NULL)
			diag("stderr: %s", line);
	}
	fclose(log);
}

/* ---- the runs ---- */

static const char *const no_args[] = { NULL };

/* Run 1: discovery in detail, clamping, hostile frames, LCP, SIGTERM. */
/*
 * The frames are read by a worker without root: the user configure named,
 * no capability, no_new_privs, a seccomp filter; the program itself, still
 * root, holds no session socket.
 */
static void confinement_cases(struct lab *lab, struct client *client)
{
	pid_t worker = -1;
	struct passwd *user = getpwnam(PPPOE_MSS_UNPRIVILEGED_USER);
	char uid[64] = "", expected_uid[64] = "", caps[64] = "", nnp[16] = "", seccomp[16] = "";
	uint16_t protocols[8];
	bool session_socket = false;

	(void)lab;
	/* It starts once the PADS is in: a moment after the AC sent it. */
	for (int waited = 0; worker < 0 && waited < STEP_TIMEOUT_MS; waited += 10) {
		worker = process_child_named(client->pid, "pppoe-mss-wire");
		if (worker < 0)
			sleep_ms(10);
	}
	tap(worker > 0 && user != NULL, "confined: the program relays in a child named pppoe-mss-wire (%d)",
	    (int)worker);
	if (user != NULL)
		snprintf(expected_uid, sizeof(expected_uid), "%u\t%u\t%u\t%u", (unsigned)user->pw_uid,
			 (unsigned)user->pw_uid, (unsigned)user->pw_uid, (unsigned)user->pw_uid);
	/* The seccomp filter comes last, before the worker reads its first
	 * frame; under ASan building it takes a moment. */
	for (int waited = 0; worker > 0 && waited < STEP_TIMEOUT_MS; waited += 10) {
		if (process_status_value(worker, "Seccomp:", seccomp, sizeof(seccomp)) &&
		    strcmp(seccomp, "2") == 0)
			break;
		sleep_ms(10);
	}
	if (worker > 0) {
		process_status_value(worker, "Uid:", uid, sizeof(uid));
		process_status_value(worker, "CapEff:", caps, sizeof(caps));
		process_status_value(worker, "NoNewPrivs:", nnp, sizeof(nnp));
		process_status_value(worker, "Seccomp:", seccomp, sizeof(seccomp));
	}
	tap(user != NULL && strcmp(uid, expected_uid) == 0,
	    "confined: the worker runs as %s, real, effective, saved and file system uid (%s)",
	    PPPOE_MSS_UNPRIVILEGED_USER, uid);
	tap(strcmp(caps, "0000000000000000") == 0, "confined: the worker has no capability (%s)", caps);
	tap(strcmp(nnp, "1") == 0 && strcmp(seccomp, "2") == 0,
	    "confined: the worker has no_new_privs (%s) and a seccomp filter (mode %s)", nnp, seccomp);
	int count = packet_socket_protocols_of(client->pid, protocols, 8);
	for (int i = 0; i < count; i++)
		session_socket |= protocols[i] == PPPOE_ETHERTYPE_SESSION;
	tap(count >= 0 && !session_socket,
	    "confined: the program that stays root holds no socket for session frames");
}

static void run_main_session(struct lab *lab)
{
	struct client client;
	int status = 0;

	diag("run 1: pppoe-mss -I %s (automatic clamp)", lab->client_if);
	if (!client_start(lab, &client, "session", true, no_args) || !ac_negotiate(lab, NULL, true)) {
		tap(false, "run 1: session established");
		client_finish(&client);
		return;
	}
	confinement_cases(lab, &client);
	session_clamp_cases(lab, &client);
	framing_cases(lab, &client);
	hostile_frame_cases(lab, &client);
	spoofed_padt_cases(lab, &client);
	lcp_cases(lab, &client, 1400, 1400, 1);

	ac_drain(lab);
	client_signal(&client, SIGTERM);
	tap(ac_expect_padt(lab, AC_SESSION_ID, PADT_DEADLINE_MS),
	    "SIGTERM: the AC receives a PADT for session 0x%04x within %d ms", AC_SESSION_ID,
	    PADT_DEADLINE_MS);
	bool exited = client_wait(&client, PADT_DEADLINE_MS, &status);
	if (exited)
		describe_status(status);
	tap(exited && WIFEXITED(status) && WEXITSTATUS(status) == 0, "SIGTERM: the program exits with status 0");
	client_finish(&client);
}

/* Run 2: -m 1400 -S lab-service, then the AC ends the session. */
static void run_fixed_mss_and_padt(struct lab *lab)
{
	static const char *const args[] = { "-m", "1400", "-S", AC_SERVICE, NULL };
	const uint16_t fixed = 1400;
	struct client client;
	uint8_t padt[PACKET_MAX];
	struct pppoe_builder builder;
	size_t padt_len;
	int status = 0;

	diag("run 2: pppoe-mss -I %s -m 1400 -S %s", lab->client_if, AC_SERVICE);
	if (!client_start(lab, &client, "fixed", true, args) || !ac_negotiate(lab, AC_SERVICE, false)) {
		tap(false, "run 2: session established");
		client_finish(&client);
		return;
	}
	syn_case(lab, &client, OUTBOUND, 4, 1460, fixed, "-m 1400");
	syn_case(lab, &client, INBOUND, 4, 1460, fixed, "-m 1400");
	/* The usage text promises IPv6 MSS - 20: the same packet size. */
	syn_case(lab, &client, OUTBOUND, 6, 1440, fixed - (IPV6_TCP_OVERHEAD - IPV4_TCP_OVERHEAD),
		 "-m 1400, IPv6 headers are 20 bytes longer");
	syn_case(lab, &client, INBOUND, 6, 1440, fixed - (IPV6_TCP_OVERHEAD - IPV4_TCP_OVERHEAD),
		 "-m 1400, IPv6 headers are 20 bytes longer");

	pppoe_builder_begin(&builder, padt, sizeof(padt), lab->client_mac, lab->ac_mac,
			    PPPOE_ETHERTYPE_DISCOVERY, PPPOE_CODE_PADT, AC_SESSION_ID);
	padt_len = pppoe_builder_finish(&builder);
	uint64_t sent_at = now_ms();
	bool exited = padt_len > 0 && ac_send(lab, padt, padt_len) &&
		      client_wait(&client, PADT_DEADLINE_MS, &status);
	if (exited) {
		diag("exited %llu ms after the PADT", (unsigned long long)(now_ms() - sent_at));
		describe_status(status);
	}
	tap(exited && WIFEXITED(status) && WEXITSTATUS(status) != 0,
	    "PADT from the AC: the program exits with a non-zero status within %d ms", PADT_DEADLINE_MS);

	/* pppd learns that the line is gone from the pty: hangup, EOF or EIO. */
	struct pollfd pfd = { .fd = client.pppd_fd, .events = POLLIN };
	bool hung_up = false;
	if (exited && poll(&pfd, 1, PADT_DEADLINE_MS) > 0) {
		uint8_t byte;
		ssize_t got = read(client.pppd_fd, &byte, 1);
		hung_up = (pfd.revents & POLLHUP) || got == 0 || (got < 0 && errno == EIO);
	}
	tap(hung_up, "PADT from the AC: pppd sees a hangup on the pty");
	client_finish(&client);
}

/* Run 3: pppd lets go of the line; also LCP with a different MRU each way. */
static void run_pppd_gone(struct lab *lab)
{
	struct client client;
	int status = 0;

	diag("run 3: pppoe-mss -I %s, pppd negotiates asymmetric MRUs, then closes the pty", lab->client_if);
	if (!client_start(lab, &client, "pppd-gone", true, no_args) || !ac_negotiate(lab, NULL, false)) {
		tap(false, "run 3: session established");
		client_finish(&client);
		return;
	}
	/* A real AC sends its Configure-Request the moment the session exists. */
	uint8_t request[14], got[PACKET_MAX];
	lcp_build(LCP_CONFIGURE_REQUEST, 6, 1480, 0x1a2b3c4d, request);
	size_t got_len = relay_inbound(lab, &client, PPP_PROTOCOL_LCP, request, sizeof(request), got, sizeof(got));
	tap(got_len == sizeof(request) && memcmp(got, request, sizeof(request)) == 0,
	    "the AC's LCP Configure-Request sent right after the PADS reaches pppd");
	lcp_cases(lab, &client, 1480, 1420, 7);

	ac_drain(lab);
	close(client.pppd_fd);
	client.pppd_fd = -1;
	tap(ac_expect_padt(lab, AC_SESSION_ID, PADT_DEADLINE_MS),
	    "pppd closes the pty: the AC receives a PADT within %d ms", PADT_DEADLINE_MS);
	bool exited = client_wait(&client, PADT_DEADLINE_MS, &status);
	if (exited)
		describe_status(status);
	tap(exited && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "pppd closes the pty: the program exits with status 0");
	client_finish(&client);
}

/* One marker each way: the session is up and relaying. */
static bool session_relays(struct lab *lab, struct client *client, uint32_t marker)
{
	uint8_t packet[PACKET_MAX];
	size_t len = marker_build(marker, false, packet, sizeof(packet));

	if (!passes_unchanged(lab, client, OUTBOUND, PPP_PROTOCOL_IPV4, packet, len))
		return false;
	len = marker_build(marker + 1, true, packet, sizeof(packet));
	return passes_unchanged(lab, client, INBOUND, PPP_PROTOCOL_IPV4, packet, len);
}

/* Start with the pty, answer discovery, see a frame pass each way. */
static bool session_start(struct lab *lab, struct client *client, const char *name,
			  const char *const args[], uint32_t marker)
{
	ac_drain(lab);
	return client_start(lab, client, name, true, args) && ac_negotiate(lab, NULL, false) &&
	       session_relays(lab, client, marker);
}

/*
 * The worker that reads the frames dies (a crash, a kill from outside): the
 * program, which stayed root for this, ends the session with a PADT, and pppd
 * sees its pty hang up.
 */
static void run_worker_killed(struct lab *lab)
{
	struct client client;
	int status = 0;
	pid_t worker;

	diag("pppoe-mss -I %s, then its worker pppoe-mss-wire is killed with SIGKILL", lab->client_if);
	if (!session_start(lab, &client, "worker-killed", no_args, 0x3d3d0000u)) {
		tap(false, "worker killed: session established");
		client_finish(&client);
		return;
	}
	worker = process_child_named(client.pid, "pppoe-mss-wire");
	tap(worker > 0, "worker killed: the program's worker is there (%d)", (int)worker);
	if (worker <= 0) {
		client_finish(&client);
		return;
	}
	ac_drain(lab);
	kill(worker, SIGKILL);
	tap(ac_expect_padt(lab, AC_SESSION_ID, PADT_DEADLINE_MS),
	    "worker killed: the AC receives a PADT for session 0x%04x within %d ms", AC_SESSION_ID,
	    PADT_DEADLINE_MS);
	bool exited = client_wait(&client, PADT_DEADLINE_MS, &status);
	if (exited)
		describe_status(status);
	tap(exited && WIFEXITED(status) && WEXITSTATUS(status) == 1,
	    "worker killed: the program exits with status 1");
	uint8_t byte;
	struct pollfd hangup = { .fd = client.pppd_fd, .events = POLLIN };
	tap(poll(&hangup, 1, 0) == 1 && read(client.pppd_fd, &byte, 1) <= 0,
	    "worker killed: pppd's pty hangs up");
	tap(file_contains(client.log_path, "pppoe-mss-wire: killed by signal 9"),
	    "worker killed: the log says the worker was killed");
	client_finish(&client);
}

/* pppd's hangup (SIGHUP) and a ^C (SIGINT) end the session as SIGTERM does. */
static void run_stop_signal(struct lab *lab, int signum, const char *signal_name, const char *name)
{
	struct client client;
	int status = 0;

	diag("pppoe-mss -I %s, then %s", lab->client_if, signal_name);
	if (!session_start(lab, &client, name, no_args, 0x51600000u + (uint32_t)signum)) {
		tap(false, "%s: session established", signal_name);
		client_finish(&client);
		return;
	}
	ac_drain(lab);
	client_signal(&client, signum);
	tap(ac_expect_padt(lab, AC_SESSION_ID, PADT_DEADLINE_MS),
	    "%s: the AC receives a PADT for session 0x%04x within %d ms", signal_name, AC_SESSION_ID,
	    PADT_DEADLINE_MS);
	bool exited = client_wait(&client, PADT_DEADLINE_MS, &status);
	if (exited)
		describe_status(status);
	tap(exited && WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s: the program exits with status 0",
	    signal_name);
	client_finish(&client);
}

/* ip link set NAME up|down, through the same ioctl. */
static bool interface_set_up(const char *name, bool up)
{
	struct ifreq ifr;
	bool done = false;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return false;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		if (up)
			ifr.ifr_flags |= IFF_UP;
		else
			ifr.ifr_flags &= ~IFF_UP;
		done = ioctl(fd, SIOCSIFFLAGS, &ifr) == 0;
	}
	close(fd);
	return done;
}

#define LINK_FLAP_MS 500

/*
 * The client's Ethernet link goes down and comes back up: the packet sockets
 * see ENETDOWN, but the session goes on -- whether a gap was too long is for
 * pppd's LCP echo to decide, not the relay -- frames pass both ways again,
 * and SIGTERM still ends it with a PADT.
 */
static void run_link_flap(struct lab *lab)
{
	struct client client;
	int status = 0;

	diag("pppoe-mss -I %s, then %s is down for %d ms", lab->client_if, lab->client_if, LINK_FLAP_MS);
	if (!session_start(lab, &client, "link-flap", no_args, 0x11f10000u)) {
		tap(false, "link flap: session established");
		client_finish(&client);
		return;
	}
	bool flapped = interface_set_up(lab->client_if, false);
	sleep_ms(LINK_FLAP_MS);
	/* Up again whatever happened: the runs after this one need the link. */
	flapped = interface_set_up(lab->client_if, true) && flapped;
	sleep_ms(SILENCE_MS);
	tap(flapped && client_running(&client),
	    "link flap: the program keeps the session while %s is down for %d ms", lab->client_if,
	    LINK_FLAP_MS);
	tap(file_contains(client.log_path, "link went down"), "link flap: the log says the link went down");
	tap(client_running(&client) && session_relays(lab, &client, 0x11f20000u),
	    "link flap: frames pass both ways again once the link is back");
	/* A client that has already exited was reaped: its pid is -1 now, and
	 * kill(-1) would signal every process we may signal. */
	if (!client_running(&client)) {
		client_finish(&client);
		return;
	}
	ac_drain(lab);
	client_signal(&client, SIGTERM);
	tap(ac_expect_padt(lab, AC_SESSION_ID, PADT_DEADLINE_MS),
	    "link flap, then SIGTERM: the AC receives a PADT for session 0x%04x within %d ms",
	    AC_SESSION_ID, PADT_DEADLINE_MS);
	bool exited = client_wait(&client, PADT_DEADLINE_MS, &status);
	if (exited)
		describe_status(status);
	tap(exited && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "link flap, then SIGTERM: the program exits with status 0");
	client_finish(&client);
}

#define FLOOD_FRAMES 3000   /* some 4.5 MB: far more than the pty and the relay's queue hold */
#define FLOOD_SETTLE_MS 300 /* for the program to work through what its socket queued */
#define CPU_WINDOW_MS 500
#define CPU_MAX_MS 125      /* a quarter of the window; a busy loop on EAGAIN takes all of it */

#define FLOOD_FIRST 0xf1000000u  /* sequence number of the first flood frame */

/*
 * count full-size frames from the AC as fast as its socket takes them: IP
 * packets of the link MTU, numbered from FLOOD_FIRST by their sequence
 * number, with payload bytes that include 0x7e and 0x7d.  Returns how many
 * were sent.
 */
static unsigned ac_flood(const struct lab *lab, unsigned count)
{
	uint16_t limit4 = (uint16_t)(link_max_payload(lab) - IPV4_TCP_OVERHEAD);
	uint8_t ip[PACKET_MAX], frame[PACKET_MAX];
	uint64_t started = now_ms(), deadline = started + STEP_TIMEOUT_MS;
	unsigned sent = 0;
	size_t frame_len = 0;

	while (sent < count && remaining_ms(deadline) > 0) {
		size_t ip_len = numbered_segment_build(FLOOD_FIRST + sent, true, limit4, ip, sizeof(ip));
		frame_len = session_frame_build(lab, lab->ac_mac, AC_SESSION_ID, PPP_PROTOCOL_IPV4, ip, ip_len, frame,
						sizeof(frame));
		if (frame_len > 0 && send(lab->ac_fd, frame, frame_len, 0) == (ssize_t)frame_len) {
			sent++;
			continue;
		}
		if (frame_len == 0 || (errno != EAGAIN && errno != ENOBUFS && errno != EINTR)) {
			diag("AC: sending flood frame %u failed: %s", sent, strerror(errno));
			break;
		}
		/* The AC's own socket is full: wait for room rather than skip frames. */
		struct pollfd pfd = { .fd = lab->ac_fd, .events = POLLOUT };
		(void)poll(&pfd, 1, 10);
	}
	diag("AC sent %u frames of %zu bytes in %llu ms", sent, frame_len,
	     (unsigned long long)(now_ms() - started));
	return sent;
}

/*
 * pppd reads again after a flood of sent frames: everything queued for it
 * must come out as whole flood frames, in order (some may be lost, none cut
 * or garbled), and then a frame the AC sends once pppd has read fresh_after
 * of them (or all there were).  slowly: pppd takes a millisecond over each
 * frame.  *delivered: how many flood frames it read.  Returns false with
 * diagnostics if not.
 */
static bool pppd_catches_up(struct lab *lab, struct client *client, uint32_t marker, unsigned sent,
			    unsigned fresh_after, bool slowly, unsigned *delivered)
{
	uint16_t limit4 = (uint16_t)(link_max_payload(lab) - IPV4_TCP_OVERHEAD);
	struct hdlc_decoder_counters before = client->decoder.counters;
	uint8_t packet[PACKET_MAX], frame[PACKET_MAX], got[PACKET_MAX], expected[PACKET_MAX];
	size_t packet_len = marker_build(marker, true, packet, sizeof(packet));
	size_t frame_len = session_frame_build(lab, lab->ac_mac, AC_SESSION_ID, PPP_PROTOCOL_IPV4, packet, packet_len,
					       frame, sizeof(frame));
	unsigned backlog = 0;
	uint32_t next_number = FLOOD_FIRST;
	bool intact = true, fresh_sent = false;

	*delivered = 0;
	if (frame_len == 0)
		return false;
	for (;;) {
		if (!fresh_sent && backlog >= fresh_after) {
			if (!ac_send(lab, frame, frame_len))
				return false;
			fresh_sent = true;
		}
		if (slowly)
			sleep_ms(1);
		size_t got_len = pppd_receive(client, fresh_sent ? STEP_TIMEOUT_MS : FLOOD_SETTLE_MS, got,
					      sizeof(got));
		if (got_len == 0 && !fresh_sent) {
			fresh_after = backlog;  /* all there were */
			continue;
		}
		if (got_len == 0) {
			diag("pppd: the frame sent after the flood did not arrive (%u flood frames read)", backlog);
			return false;
		}
		if (got_len == packet_len + 4 && memcmp(got + 4, packet, packet_len) == 0)
			break;
		/* A flood frame: FF 03 00 21, then the TCP sequence number tells which. */
		uint32_t number = got_len >= 4 + IPV4_HEADER_LEN + 8 ? get_be32(got + 4 + IPV4_HEADER_LEN + 4) : 0;
		size_t expected_len = numbered_segment_build(number, true, limit4, expected, sizeof(expected));
		if (number < next_number || number - FLOOD_FIRST >= sent || got_len != expected_len + 4 ||
		    got[0] != 0xff || got[1] != 0x03 || get_be16(got + 2) != PPP_PROTOCOL_IPV4 ||
		    memcmp(got + 4, expected, expected_len) != 0) {
			if (intact)
				diag("pppd: frame %u after the flood is not flood frame %u or later, intact (%zu bytes)",
				     backlog, (unsigned)(next_number - FLOOD_FIRST), got_len);
			intact = false;
		} else {
			next_number = number + 1;
		}
		*delivered = ++backlog;
		if (backlog > sent) {
			diag("pppd: more frames than the AC sent");
			return false;
		}
	}
	const struct hdlc_decoder_counters *after = &client->decoder.counters;
	uint64_t broken = (after->bad_fcs - before.bad_fcs) + (after->too_long - before.too_long) +
			  (after->too_short - before.too_short) + (after->aborted - before.aborted);
	diag("pppd read %u queued flood frames, %llu broken ones, then the new frame", backlog,
	     (unsigned long long)broken);
	return intact && broken == 0;
}

/*
 * The frames the program's counters say it dropped because pppd was not
 * reading (by the program, or by the kernel on its full socket), as its
 * log says after SIGUSR1: the last figures logged.  false if it said none
 * within STEP_TIMEOUT_MS.
 */
static bool client_logged_pppd_drops(struct client *client, unsigned long long *dropped)
{
	static const char busy[] = "pppd was not reading\n";
	static const char socket_full[] = "pppd was not reading and the session socket's queue was full\n";
	uint64_t deadline = now_ms() + STEP_TIMEOUT_MS;
	unsigned long long by_program = 0, by_kernel = 0;
	char line[512];
	bool logged = false;

	client_signal(client, SIGUSR1);
	while (!file_contains(client->log_path, "relayed ") && remaining_ms(deadline) > 0)
		sleep_ms(20);
	sleep_ms(100);  /* the drop lines follow the "relayed" one */
	FILE *log = fopen(client->log_path, "r");
	if (log == NULL)
		return false;
	while (fgets(line, sizeof(line), log) != NULL) {
		const char *at = strstr(line, "dropped ");
		unsigned long long count;
		int reason_at = 0;

		if (strstr(line, "relayed ") != NULL)
			logged = true;
		if (at == NULL || sscanf(at, "dropped %llu frames: %n", &count, &reason_at) != 1 ||
		    reason_at == 0)
			continue;
		if (strcmp(at + reason_at, busy) == 0)
			by_program = count;
		else if (strcmp(at + reason_at, socket_full) == 0)
			by_kernel = count;
	}
	fclose(log);
	diag("the program counts %llu frames dropped while pppd was not reading: %llu by itself, "
	     "%llu by the kernel on its full socket", by_program + by_kernel, by_program, by_kernel);
	*dropped = by_program + by_kernel;
	return logged;
}

/*
 * pppd stops reading (stopped, swapped out, stuck on a slow disk) while the
 * AC keeps sending.  The program stops reading the session socket when
 * pppd's queue is full, and what does not fit in the socket's queue either
 * is dropped by the kernel, and counted: it must not block on the pty nor
 * spin, pppd's own frames must still get out, and SIGTERM must still end
 * the session with a PADT.  (It used to block in write() to the pty with
 * SIGTERM pending, and never sent the PADT.)  Once pppd reads again, what
 * waited for it arrives whole and in order, then frames the AC sends since;
 * every flood frame is either delivered or counted as dropped.
 */
/*
 * The AC's new frame goes out once pppd has read this many: more than the
 * pty and the program's own queue hold, so the program has been reading its
 * socket again and there is room in it.  While the socket is full, the
 * kernel drops whatever arrives, the new frame too.
 */
#define STUCK_FRESH_AFTER 200

static void run_stuck_pppd(struct lab *lab)
{
	uint8_t packet[PACKET_MAX];
	size_t packet_len;
	struct client client;
	unsigned sent, delivered = 0;
	unsigned long long dropped = 0;
	int status = 0;

	diag("pppoe-mss -I %s; pppd stops reading the pty, the AC floods the session", lab->client_if);
	if (!session_start(lab, &client, "stuck", no_args, 0x57c00000u)) {
		tap(false, "stuck pppd: session established");
		client_finish(&client);
		return;
	}

	sent = ac_flood(lab, FLOOD_FRAMES);
	sleep_ms(FLOOD_SETTLE_MS);

	int waiting_for_pppd = 0;
	if (ioctl(client.pppd_fd, FIONREAD, &waiting_for_pppd) == 0)
		diag("%d bytes wait unread on pppd's side of the pty", waiting_for_pppd);
	tap(sent == FLOOD_FRAMES && client_running(&client),
	    "stuck pppd: after a flood of %d full-size frames pppd does not read, the program still runs",
	    FLOOD_FRAMES);

	long cpu_before = cpu_time_ms(client.pid);
	sleep_ms(CPU_WINDOW_MS);
	long cpu_after = cpu_time_ms(client.pid);
	diag("the program used %ld ms of CPU in %d ms", cpu_after - cpu_before, CPU_WINDOW_MS);
	tap(cpu_before >= 0 && cpu_after >= 0 && cpu_after - cpu_before <= CPU_MAX_MS,
	    "stuck pppd: the program waits rather than spins (at most %d ms of CPU in %d ms)", CPU_MAX_MS,
	    CPU_WINDOW_MS);

	/* The AC's socket has filled with copies of its own flood: empty it first. */
	ac_drain(lab);
	packet_len = marker_build(0x57c10000u, false, packet, sizeof(packet));
	tap(passes_unchanged(lab, &client, OUTBOUND, PPP_PROTOCOL_IPV4, packet, packet_len),
	    "stuck pppd: a frame pppd writes still reaches the AC");

	tap(pppd_catches_up(lab, &client, 0x57c20000u, sent, STUCK_FRESH_AFTER, false, &delivered),
	    "stuck pppd reads again: what waited arrives whole and in order, then a frame sent since");
	bool counted = client_logged_pppd_drops(&client, &dropped);
	tap(counted && delivered + dropped == sent,
	    "stuck pppd: each of the %u flood frames was delivered (%u) or counted as dropped (%llu)",
	    sent, delivered, dropped);

	/* Stuck once more, for the stop: the case the program used to hang in. */
	sent = ac_flood(lab, FLOOD_FRAMES);
	sleep_ms(FLOOD_SETTLE_MS);
	if (sent != FLOOD_FRAMES || !client_running(&client))
		diag("the second flood: %u frames sent, the program %s", sent,
		     client.pid > 0 ? "runs" : "has exited");
	ac_drain(lab);
	uint64_t signalled = now_ms();
	client_signal(&client, SIGTERM);
	tap(ac_expect_padt(lab, AC_SESSION_ID, PADT_DEADLINE_MS),
	    "stuck pppd, SIGTERM: the AC receives a PADT for session 0x%04x within %d ms", AC_SESSION_ID,
	    PADT_DEADLINE_MS);
	bool exited = client_wait(&client, PADT_DEADLINE_MS, &status);
	if (exited) {
		diag("exited %llu ms after SIGTERM", (unsigned long long)(now_ms() - signalled));
		describe_status(status);
	} else {
		diag_blocked(client.pid);
	}
	tap(exited && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "stuck pppd, SIGTERM: the program exits with status 0 within %d ms", PADT_DEADLINE_MS);
	client_show_log_lines(&client, "dropped");
	tap(exited && file_contains(client.log_path, "stopped by a signal"),
	    "stuck pppd, SIGTERM: the log says the session was stopped by the signal");
	client_finish(&client);
}

/* Some 450 KB: several times what the pty and the program's own queue hold. */
#define SLOW_BURST_FRAMES 300
#define SLOW_PAUSE_MS 200

/*
 * A burst larger than the pty takes, while pppd is busy and then reads
 * slowly: TCP's window arriving at once (iperf3 in the lab).  The program
 * must leave what pppd cannot take yet in its socket's queue, not read it
 * only to drop it.
 */
static void run_slow_pppd(struct lab *lab)
{
	struct client client;
	unsigned sent, delivered = 0;
	unsigned long long dropped = 0;

	diag("pppoe-mss -I %s; a burst of %d full-size frames while pppd is busy for %d ms, then "
	     "reads slowly", lab->client_if, SLOW_BURST_FRAMES, SLOW_PAUSE_MS);
	if (!session_start(lab, &client, "slow", no_args, 0x51000000u)) {
		tap(false, "slow pppd: session established");
		client_finish(&client);
		return;
	}
	sent = ac_flood(lab, SLOW_BURST_FRAMES);
	sleep_ms(SLOW_PAUSE_MS);
	bool in_order = pppd_catches_up(lab, &client, 0x51010000u, sent, 0, true, &delivered);
	tap(sent == SLOW_BURST_FRAMES && in_order && delivered == sent,
	    "slow pppd: all %d frames of a burst larger than the pty arrive, in order, then a new one "
	    "(%u arrived)", SLOW_BURST_FRAMES, delivered);
	bool counted = client_logged_pppd_drops(&client, &dropped);
	tap(counted && dropped == 0,
	    "slow pppd: the program counts no frame dropped (%llu)", dropped);
	client_finish(&client);
}

#define IDLE_TIMEOUT_MS 2000
#define IDLE_KEEPALIVE_FRAMES 6
#define IDLE_KEEPALIVE_GAP_MS 500
/* The program checks the idle time when it wakes, at least once a second. */
#define IDLE_EARLIEST_MS (IDLE_TIMEOUT_MS - 100)
#define IDLE_LATEST_MS (IDLE_TIMEOUT_MS + 2000)

/* -T 2: traffic either way keeps the session; two seconds without any end it. */
static void run_idle_timeout(struct lab *lab)
{
	static const char *const args[] = { "-T", "2", NULL };
	uint8_t packet[PACKET_MAX], got[PACKET_MAX];
	struct client client;
	int status = 0;
	bool alive = true;

	diag("pppoe-mss -I %s -T 2", lab->client_if);
	if (!session_start(lab, &client, "idle", args, 0x1d1e0000u)) {
		tap(false, "-T 2: session established");
		client_finish(&client);
		return;
	}
	/* Inbound frames only: a frame from the AC is traffic as much as one from pppd. */
	uint64_t last_frame = now_ms();
	for (uint32_t i = 0; alive && i < IDLE_KEEPALIVE_FRAMES; i++) {
		size_t len = marker_build(0x1d1e1000u + i, true, packet, sizeof(packet));
		alive = relay_inbound(lab, &client, PPP_PROTOCOL_IPV4, packet, len, got, sizeof(got)) == len;
		last_frame = now_ms();
		sleep_ms(IDLE_KEEPALIVE_GAP_MS);
	}
	alive = alive && client_running(&client);
	tap(alive, "-T 2: a frame from the AC every %d ms keeps the session up for %d ms",
	    IDLE_KEEPALIVE_GAP_MS, IDLE_KEEPALIVE_FRAMES * IDLE_KEEPALIVE_GAP_MS);

	bool padt = ac_expect_padt(lab, AC_SESSION_ID, remaining_ms(last_frame + IDLE_LATEST_MS));
	uint64_t idle = now_ms() - last_frame;
	diag("PADT %llu ms after the last frame", (unsigned long long)idle);
	tap(padt && idle >= IDLE_EARLIEST_MS && idle <= IDLE_LATEST_MS,
	    "-T 2: without traffic the AC receives a PADT %d-%d ms after the last frame", IDLE_EARLIEST_MS,
	    IDLE_LATEST_MS);
	bool exited = client_wait(&client, STEP_TIMEOUT_MS, &status);
	if (exited) {
		diag("exited %llu ms after the last frame", (unsigned long long)(now_ms() - last_frame));
		describe_status(status);
	}
	tap(exited && WIFEXITED(status), "-T 2: the program exits after the idle timeout");
	client_finish(&client);
}

/*
 * -s without the n_hdlc line discipline (this host's kernel has none): the
 * program says so in one clear line and relays with async HDLC instead.
 * Where n_hdlc exists the case only checks that the session works.
 */
static void run_sync_fallback(struct lab *lab)
{
	static const char *const args[] = { "-s", NULL };
	uint8_t packet[PACKET_MAX], got[PACKET_MAX];
	struct client client;
	int status = 0;

	diag("pppoe-mss -I %s -s", lab->client_if);
	if (!session_start(lab, &client, "sync", args, 0x5e5e0000u)) {
		tap(false, "-s: session established");
		client_finish(&client);
		return;
	}
	bool fell_back = file_contains(client.log_path, "n_hdlc");
	size_t len = marker_build(0x5e5e1000u, false, packet, sizeof(packet));
	bool out = relay_outbound(lab, &client, PPP_PROTOCOL_IPV4, packet, len, got, sizeof(got)) == len &&
		   memcmp(got, packet, len) == 0;
	len = marker_build(0x5e5e2000u, true, packet, sizeof(packet));
	bool in = relay_inbound(lab, &client, PPP_PROTOCOL_IPV4, packet, len, got, sizeof(got)) == len &&
		  memcmp(got, packet, len) == 0;
	if (fell_back) {
		tap(file_contains(client.log_path, "falling back to async HDLC"),
		    "-s without n_hdlc: the log says it falls back to async framing, and why");
		tap(out && in, "-s without n_hdlc: frames still relay both ways with async framing");
	} else {
		tap(true, "-s: n_hdlc is available here # SKIP no fallback to see");
		tap(true, "-s: n_hdlc is available here # SKIP the async test pppd does not apply");
	}
	client_signal(&client, SIGTERM);
	tap(ac_expect_padt(lab, AC_SESSION_ID, STEP_TIMEOUT_MS) && client_wait(&client, STEP_TIMEOUT_MS, &status),
	    "-s: SIGTERM still ends the session with a PADT");
	client_finish(&client);
}

/* After a SIGTERM: the program exited and took its pid file at path along. */
static bool exited_without_pidfile(struct client *client, const char *path, int *status)
{
	bool exited = client_wait(client, PADT_DEADLINE_MS, status);

	if (exited)
		describe_status(*status);
	else
		diag("still running %d ms after SIGTERM", PADT_DEADLINE_MS);
	bool removed = !file_exists(path);
	if (exited && !removed)
		diag("%s is still there", path);
	return exited && removed;
}

/*
 * -p: the pid file exists from startup on, so whoever supervises the program
 * can stop it during discovery too, and it is gone once the program is.
 */
static void run_pidfile(struct lab *lab)
{
	char path[160];
	const char *args[] = { "-p", path, NULL };
	struct client client;
	int status = 0;

	snprintf(path, sizeof(path), "%s/pppoe-mss.pid", lab->tmpdir);
	unlink(path);
	diag("pppoe-mss -I %s -p %s", lab->client_if, path);
	ac_drain(lab);
	if (!client_start(lab, &client, "pidfile", true, args)) {
		tap(false, "-p: the program starts");
		return;
	}
	/* The PADI waits in the AC's socket, unanswered, until this is settled. */
	pid_t pid = client.pid;
	bool in_discovery = pidfile_wait(path, pid, STEP_TIMEOUT_MS) && client_running(&client);
	tap(in_discovery, "-p: the pid file holds the program's pid during discovery, before the AC answers");

	if (!ac_negotiate(lab, NULL, false) || !session_relays(lab, &client, 0x91d00000u)) {
		tap(false, "-p: session established");
		client_finish(&client);
		return;
	}
	tap(pidfile_read(path) == (long)pid, "-p: the pid file holds the program's pid while the session runs");

	ac_drain(lab);
	client_signal(&client, SIGTERM);
	bool gone = exited_without_pidfile(&client, path, &status);
	tap(gone && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "-p, SIGTERM: the program exits with status 0 and removes its pid file");
	client_finish(&client);
	unlink(path);
}

/* -p and a stop before any AC has answered: the pid file goes on that way out too. */
static void run_pidfile_stopped_in_discovery(struct lab *lab)
{
	char path[160];
	const char *args[] = { "-p", path, NULL };
	struct client client;
	int status = 0;

	snprintf(path, sizeof(path), "%s/pppoe-mss-discovery.pid", lab->tmpdir);
	unlink(path);
	diag("pppoe-mss -I %s -p %s, SIGTERM while waiting for a PADO", lab->client_if, path);
	ac_drain(lab);
	if (!client_start(lab, &client, "pidfile-discovery", false, args)) {
		tap(false, "-p: the program starts");
		return;
	}
	bool written = pidfile_wait(path, client.pid, STEP_TIMEOUT_MS);
	client_signal(&client, SIGTERM);
	bool gone = exited_without_pidfile(&client, path, &status);
	tap(written && gone,
	    "-p, SIGTERM during discovery: the pid file was there, and is gone once the program exits");
	client_finish(&client);
	unlink(path);
	ac_drain(lab);
}

/*
 * -n with -e: as with rp-pppoe, whoever passes the session handles
 * discovery, PADT included.  The program relays the session and never
 * touches the discovery ethertype.
 */
static void run_no_discovery_socket(struct lab *lab)
{
	char session[64];
	const char *args[] = { "-n", "-e", session, NULL };
	uint16_t protocols[8];
	struct client client;
	uint8_t frame[PACKET_MAX];
	int status = 0;

	snprintf(session, sizeof(session), "%u:%s", AC_SESSION_ID, mac_text(lab->ac_mac));
	diag("pppoe-mss -I %s -n -e %s", lab->client_if, session);
	ac_drain(lab);
	if (!client_start(lab, &client, "no-discovery", true, args)) {
		tap(false, "-n -e: the program starts");
		return;
	}
	tap(session_relays(lab, &client, 0x0d150000u),
	    "-n -e %s: session frames relay both ways without discovery", session);

	int count = packet_socket_protocols(client.pid, protocols, 8);
	bool session_socket = false, discovery_socket = false;
	for (int i = 0; i < count; i++) {
		diag("the program holds a packet socket for ethertype 0x%04x", protocols[i]);
		session_socket |= protocols[i] == PPPOE_ETHERTYPE_SESSION;
		discovery_socket |= protocols[i] == PPPOE_ETHERTYPE_DISCOVERY;
	}
	if (count < 0)
		diag("cannot read /proc/net/packet or /proc/%d/fd", (int)client.pid);
	tap(count >= 0 && session_socket && !discovery_socket,
	    "-n -e: the program holds a packet socket for the session ethertype 0x%04x, none for discovery",
	    PPPOE_ETHERTYPE_SESSION);

	ac_drain(lab);
	client_signal(&client, SIGTERM);
	bool exited = client_wait(&client, PADT_DEADLINE_MS, &status);
	if (exited)
		describe_status(status);
	tap(exited && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "-n -e, SIGTERM: the program exits with status 0");
	/* Anything it sent on the way out is queued by now; a moment more for the wire. */
	unsigned padts = 0;
	size_t len;
	while ((len = ac_receive(lab, 0, SILENCE_MS, frame, sizeof(frame))) > 0)
		if (get_be16(frame + ETH_TYPE_AT) == PPPOE_ETHERTYPE_DISCOVERY && len >= PPPOE_PAYLOAD_AT &&
		    frame[PPPOE_CODE_AT] == PPPOE_CODE_PADT)
			padts++;
	if (padts > 0)
		diag("%u PADTs reached the AC", padts);
	tap(exited && padts == 0, "-n -e, SIGTERM: no PADT reaches the AC (the caller handles discovery)");
	client_finish(&client);
}

/* -e sess:mac -k: a PADT for a session we never negotiated. */
static void run_kill_session(struct lab *lab)
{
	char session[64];
	const char *args[] = { "-e", session, "-k", NULL };
	struct client client;
	int status = 0;

	snprintf(session, sizeof(session), "%u:%s", KILLED_SESSION_ID, mac_text(lab->ac_mac));
	diag("pppoe-mss -I %s -e %s -k", lab->client_if, session);
	ac_drain(lab);
	if (!client_start(lab, &client, "kill", false, args)) {
		tap(false, "-k: the program starts");
		return;
	}
	tap(ac_expect_padt(lab, KILLED_SESSION_ID, STEP_TIMEOUT_MS),
	    "-e %s -k: the AC receives a PADT for session %u", session, KILLED_SESSION_ID);
	bool exited = client_wait(&client, STEP_TIMEOUT_MS, &status);
	if (exited)
		describe_status(status);
	tap(exited && WIFEXITED(status) && WEXITSTATUS(status) == 0, "-k: the program exits with status 0");
	client_finish(&client);
}

/* The AC's PADO for padi: its name and service, the client's Host-Uniq, a cookie. */
static size_t pado_build(const struct lab *lab, const uint8_t *padi, size_t padi_len, uint8_t *pado,
			 size_t capacity)
{
	struct tag_value service = discovery_tag(padi, padi_len, PPPOE_TAG_SERVICE_NAME);
	struct tag_value host_uniq = discovery_tag(padi, padi_len, PPPOE_TAG_HOST_UNIQ);
	struct pppoe_builder builder;

	pppoe_builder_begin(&builder, pado, capacity, padi + ETH_SOURCE_AT, lab->ac_mac,
			    PPPOE_ETHERTYPE_DISCOVERY, PPPOE_CODE_PADO, 0);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_AC_NAME, AC_NAME, strlen(AC_NAME));
	pppoe_builder_add_tag(&builder, PPPOE_TAG_SERVICE_NAME, service.value, service.length);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_SERVICE_NAME, AC_SERVICE, strlen(AC_SERVICE));
	if (host_uniq.present)
		pppoe_builder_add_tag(&builder, PPPOE_TAG_HOST_UNIQ, host_uniq.value, host_uniq.length);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_AC_COOKIE, lab->cookie, sizeof(lab->cookie));
	return pppoe_builder_finish(&builder);
}

/* -A: list what answers, never ask for a session. */
static void run_list(struct lab *lab)
{
	static const char *const args[] = { "-A", "-t", "1", NULL };
	struct client client;
	uint8_t frame[PACKET_MAX];
	int status = 0;

	diag("pppoe-mss -I %s -A -t 1", lab->client_if);
	ac_drain(lab);
	if (!client_start(lab, &client, "list", false, args)) {
		tap(false, "-A: the program starts");
		return;
	}
	/* Answer the PADI as in a session run; the PADR that must not come is checked below. */
	uint8_t padi[PACKET_MAX], pado[PACKET_MAX];
	size_t padi_len = ac_receive(lab, PPPOE_ETHERTYPE_DISCOVERY, STEP_TIMEOUT_MS, padi, sizeof(padi));
	bool answered = false;
	if (discovery_frame_is(padi, padi_len, PPPOE_CODE_PADI, "PADI")) {
		size_t pado_len = pado_build(lab, padi, padi_len, pado, sizeof(pado));
		answered = pado_len > 0 && ac_send(lab, pado, pado_len);
	}
	bool exited = answered && client_wait(&client, 2 * STEP_TIMEOUT_MS, &status);
	if (exited)
		describe_status(status);
	tap(exited && WIFEXITED(status) && WEXITSTATUS(status) == 0, "-A: the program exits with status 0");
	bool listed = file_contains(client.out_path, AC_NAME) && file_contains(client.out_path, AC_SERVICE);
	if (!listed)
		diag("stdout (%s) lacks '%s' or '%s'", client.out_path, AC_NAME, AC_SERVICE);
	tap(listed, "-A: stdout lists AC '%s' and service '%s'", AC_NAME, AC_SERVICE);
	size_t extra = ac_receive(lab, PPPOE_ETHERTYPE_DISCOVERY, 0, frame, sizeof(frame));
	bool no_padr = true;
	for (int i = 0; i < 16 && extra > 0; i++) {
		if (extra >= PPPOE_PAYLOAD_AT && frame[PPPOE_CODE_AT] == PPPOE_CODE_PADR)
			no_padr = false;
		extra = ac_receive(lab, PPPOE_ETHERTYPE_DISCOVERY, 0, frame, sizeof(frame));
	}
	tap(no_padr, "-A: no PADR is sent");
	client_finish(&client);
}

/* -d: discovery only, the session printed as sess:mac for a later -e. */
static void run_discover_only(struct lab *lab)
{
	static const char *const args[] = { "-d", NULL };
	char expected[64], printed[128] = "";
	struct client client;
	int status = 0;

	diag("pppoe-mss -I %s -d", lab->client_if);
	ac_drain(lab);
	if (!client_start(lab, &client, "discover", false, args) || !ac_negotiate(lab, NULL, false)) {
		tap(false, "-d: discovery completes");
		client_finish(&client);
		return;
	}
	bool exited = client_wait(&client, STEP_TIMEOUT_MS, &status);
	if (exited)
		describe_status(status);
	FILE *out = fopen(client.out_path, "r");
	if (out != NULL) {
		if (fgets(printed, sizeof(printed), out) == NULL)
			printed[0] = '\0';
		fclose(out);
	}
	printed[strcspn(printed, "\n")] = '\0';
	snprintf(expected, sizeof(expected), "%u:%s", AC_SESSION_ID, mac_text(lab->ac_mac));
	if (strcmp(printed, expected) != 0)
		diag("printed '%s', expected '%s'", printed, expected);
	tap(exited && WIFEXITED(status) && WEXITSTATUS(status) == 0 && strcmp(printed, expected) == 0,
	    "-d: prints the session as %s and exits with status 0", expected);
	client_finish(&client);
}

/* Nobody answers: the program must give up, and say why. */
static void run_no_access_concentrator(struct lab *lab)
{
	static const char *const args[] = { "-t", "1", NULL };
	uint8_t frame[PACKET_MAX];
	struct client client;
	unsigned padis = 0;
	bool exited = false;
	int status = 0;

	diag("pppoe-mss -I %s -t 1, and no access concentrator answers", lab->client_if);
	ac_drain(lab);
	uint64_t started = now_ms();
	if (!client_start(lab, &client, "no-ac", false, args)) {
		tap(false, "no AC: the program starts");
		return;
	}
	while (!exited && remaining_ms(started + NO_PADO_DEADLINE_MS) > 0) {
		size_t len = ac_receive(lab, PPPOE_ETHERTYPE_DISCOVERY, 100, frame, sizeof(frame));
		if (len >= PPPOE_PAYLOAD_AT && frame[PPPOE_CODE_AT] == PPPOE_CODE_PADI)
			padis++;
		exited = client_wait(&client, 0, &status);
	}
	uint64_t elapsed = now_ms() - started;
	diag("%u PADIs, %s after %llu ms", padis, exited ? "exited" : "still running",
	     (unsigned long long)elapsed);
	if (exited)
		describe_status(status);
	tap(exited && WIFEXITED(status) && WEXITSTATUS(status) != 0,
	    "no AC: the program gives up with a non-zero status within %d ms", NO_PADO_DEADLINE_MS);
	tap(padis >= 2, "no AC: the PADI is retransmitted before giving up");
	bool explained = file_contains(client.log_path, "no PADO");
	tap(explained, "no AC: the log says \"no PADO\"");
	client_finish(&client);
}

/* Lines of path that contain needle. */
static unsigned file_count_lines(const char *path, const char *needle)
{
	char line[512];
	unsigned count = 0;
	FILE *file = fopen(path, "r");

	if (file == NULL)
		return 0;
	while (fgets(line, sizeof(line), file) != NULL)
		if (strstr(line, needle) != NULL)
			count++;
	fclose(file);
	return count;
}

#define OFFERS_PER_PADI 20
#define REJECTS_AT_INFO 8 /* OFFERS_LOGGED_PER_INTERVAL in src/discovery_io.c */

/*
 * Offers from an AC other than the one asked for (-C), many per PADI, as
 * a rogue on the segment could send: all turned away, the first few logged,
 * then their total, and the program gives up saying why.
 */
static void run_rejected_offers(struct lab *lab)
{
	static const char *const args[] = { "-t", "1", "-C", "the-wanted-ac", NULL };
	uint8_t frame[PACKET_MAX], pado[PACKET_MAX];
	struct client client;
	unsigned offers = 0;
	bool exited = false;
	int status = 0;

	diag("pppoe-mss -I %s -t 1 -C the-wanted-ac; '%s' answers each PADI %d times", lab->client_if,
	     AC_NAME, OFFERS_PER_PADI);
	ac_drain(lab);
	uint64_t started = now_ms();
	if (!client_start(lab, &client, "offers", false, args)) {
		tap(false, "rejected offers: the program starts");
		return;
	}
	while (!exited && remaining_ms(started + NO_PADO_DEADLINE_MS) > 0) {
		size_t len = ac_receive(lab, PPPOE_ETHERTYPE_DISCOVERY, 100, frame, sizeof(frame));
		if (len >= PPPOE_PAYLOAD_AT && frame[PPPOE_CODE_AT] == PPPOE_CODE_PADI) {
			size_t pado_len = pado_build(lab, frame, len, pado, sizeof(pado));
			for (int i = 0; i < OFFERS_PER_PADI && pado_len > 0; i++)
				if (ac_send(lab, pado, pado_len))
					offers++;
		}
		exited = client_wait(&client, 0, &status);
	}
	diag("%u offers sent, program %s", offers, exited ? "exited" : "still running");
	if (exited)
		describe_status(status);
	tap(exited && WIFEXITED(status) && WEXITSTATUS(status) != 0,
	    "rejected offers: the program gives up with a non-zero status");
	tap(file_contains(client.log_path, "offers were seen but did not match"),
	    "rejected offers: the log says offers came but did not match");
	unsigned logged = file_count_lines(client.log_path, "not chosen, AC-Name is not the one asked for");
	tap(offers > REJECTS_AT_INFO && logged == REJECTS_AT_INFO,
	    "rejected offers: %u offers, the first %d logged (%u)", offers, REJECTS_AT_INFO, logged);
	char total[64];
	snprintf(total, sizeof(total), "%u offers were not chosen in all", offers);
	tap(file_contains(client.log_path, total), "rejected offers: the log gives their total (\"%s\")",
	    total);
	client_finish(&client);
}

int main(int argc, char **argv)
{
	static struct lab lab;
	int client_ifindex;

	if (argc != 4) {
		fprintf(stderr, "usage: %s PPPOE_MSS CLIENT_IF AC_IF\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGALRM, on_watchdog);
	alarm(WATCHDOG_S);

	lab.program = argv[1];
	lab.client_if = argv[2];
	if (access(lab.program, X_OK) < 0) {
		printf("# cannot run: %s is not executable\n", lab.program);
		return 77;
	}
	if (interface_read(lab.client_if, lab.client_mac, &lab.client_mtu, &client_ifindex) < 0) {
		printf("# cannot run: cannot read interface %s: %s\n", lab.client_if, strerror(errno));
		return 77;
	}
	if (ac_open(&lab, argv[3]) < 0) {
		printf("# cannot run: no packet socket on %s\n", argv[3]);
		return 77;
	}
	snprintf(lab.tmpdir, sizeof(lab.tmpdir), "/tmp/host_relay.XXXXXX");
	if (mkdtemp(lab.tmpdir) == NULL) {
		printf("# cannot run: mkdtemp: %s\n", strerror(errno));
		return 77;
	}
	/* Different every run, so an echo cannot come from a constant in the program. */
	srandom((unsigned)getpid() ^ (unsigned)now_ms());
	for (size_t i = 0; i < sizeof(lab.cookie); i++)
		lab.cookie[i] = (uint8_t)random();
	for (size_t i = 0; i < sizeof(lab.relay_session_id); i++)
		lab.relay_session_id[i] = (uint8_t)random();
	diag("client %s %s (MTU %u), AC %s %s", lab.client_if, mac_text(lab.client_mac), lab.client_mtu,
	     argv[3], mac_text(lab.ac_mac));

	run_main_session(&lab);
	run_fixed_mss_and_padt(&lab);
	run_pppd_gone(&lab);
	run_worker_killed(&lab);
	run_stop_signal(&lab, SIGHUP, "SIGHUP", "sighup");
	run_stop_signal(&lab, SIGINT, "SIGINT", "sigint");
	run_link_flap(&lab);
	run_stuck_pppd(&lab);
	run_slow_pppd(&lab);
	run_idle_timeout(&lab);
	run_sync_fallback(&lab);
	run_pidfile(&lab);
	run_pidfile_stopped_in_discovery(&lab);
	run_no_discovery_socket(&lab);
	run_kill_session(&lab);
	run_list(&lab);
	run_discover_only(&lab);
	run_no_access_concentrator(&lab);
	run_rejected_offers(&lab);

	/* Only our own files are in there; a leftover is harmless but untidy. */
	static const char *const names[] = {
		"session", "fixed", "pppd-gone", "sighup", "sigint", "stuck", "slow", "idle", "pidfile",
		"pidfile-discovery", "no-discovery", "kill", "list", "discover", "no-ac", "link-flap",
		"offers",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[160];
		snprintf(path, sizeof(path), "%s/%s.log", lab.tmpdir, names[i]);
		unlink(path);
		snprintf(path, sizeof(path), "%s/%s.out", lab.tmpdir, names[i]);
		unlink(path);
	}
	rmdir(lab.tmpdir);

	printf("1..%u\n", tap_count);
	return tap_failures == 0 ? 0 : 1;
}
