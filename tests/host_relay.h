/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The parts of tests/host_relay that its runs share: the lab (both veth
 * ends), the fake access concentrator, the program under test with "pppd"
 * on its pty, TCP/IP packets built and checked independently of src/, and
 * relaying through the program both ways.  host_relay.c says how it all
 * fits together and runs the runs in order.
 */
#ifndef PPPOE_MSS_TESTS_HOST_RELAY_H
#define PPPOE_MSS_TESTS_HOST_RELAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "hdlc.h"
#include "pppoe.h"

/* ---- what the fake access concentrator offers ---- */

#define AC_NAME "lab-ac"
#define AC_SERVICE "lab-service"
#define AC_SESSION_ID 0x2a2a

/* ---- limits on every wait ---- */

#define STEP_TIMEOUT_MS 3000      /* one frame to arrive */
#define PADT_DEADLINE_MS 2000     /* what the brief promises users */
#define SILENCE_MS 300            /* long enough for a wrongly accepted frame to show */

/* ---- IP constants, spelled out here rather than taken from src/ ---- */

#define IPV4_HEADER_LEN 20
#define TCP_FLAG_PSH 0x08
#define TCP_FLAG_ACK 0x10
#define TCP_FLAG_SYN 0x02
#define IPV4_TCP_OVERHEAD 40      /* IPv4 + TCP headers without options */
#define IPV6_TCP_OVERHEAD 60

#define PACKET_MAX 2048

/* ---- where things are in a PPPoE frame, read independently of src/pppoe.c ---- */

#define ETH_DEST_AT 0
#define ETH_SOURCE_AT 6
#define ETH_TYPE_AT 12
#define PPPOE_VERSION_TYPE_AT 14
#define PPPOE_CODE_AT 15
#define PPPOE_SESSION_AT 16
#define PPPOE_LENGTH_AT 18
#define PPPOE_PAYLOAD_AT 20
#define PPPOE_VERSION_TYPE 0x11

/* ---- TAP, and small helpers (host_relay.c) ---- */

extern unsigned tap_failures;

void diag(const char *format, ...) __attribute__((format(printf, 1, 2)));
/* One TAP line; returns ok. */
bool tap(bool ok, const char *format, ...) __attribute__((format(printf, 2, 3)));

uint64_t now_ms(void);
int remaining_ms(uint64_t deadline);
void sleep_ms(unsigned ms);
/* aa:bb:cc:dd:ee:ff, in one of a few rotating buffers. */
const char *mac_text(const uint8_t *mac);

static inline uint16_t min_u16(uint16_t a, uint16_t b)
{
	return a < b ? a : b;
}

/* ---- the lab, and the access concentrator's side of it (host_relay_ac.c) ---- */

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

int interface_read(const char *name, uint8_t mac[PPPOE_MAC_LEN], unsigned *mtu, int *ifindex);
int ac_open(struct lab *lab, const char *ac_if);
bool ac_send(const struct lab *lab, const uint8_t *frame, size_t len);
size_t ac_receive(const struct lab *lab, uint16_t ethertype, int timeout_ms, uint8_t *buf,
		  size_t capacity);
void ac_drain(const struct lab *lab);
int pppoe_payload_length(const uint8_t *frame, size_t len);
bool discovery_frame_is(const uint8_t *frame, size_t len, uint8_t code, const char *what);
bool ac_negotiate(struct lab *lab, const char *want_service, bool report);
bool ac_expect_padt(const struct lab *lab, uint16_t session_id, int deadline_ms);
size_t pado_build(const struct lab *lab, const uint8_t *padi, size_t padi_len, uint8_t *pado,
		  size_t capacity);

/* ---- the program under test, "pppd" on its pty (host_relay_client.c) ---- */

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

extern const char *const no_args[];

/* SIGALRM's handler: kills the program that runs, bails out. */
void on_watchdog(int signum);
bool client_start(struct lab *lab, struct client *client, const char *name, bool with_pty,
		  const char *const extra[]);
bool client_wait(struct client *client, int timeout_ms, int *status);
bool client_running(struct client *client);
void client_signal(const struct client *client, int signum);
void describe_status(int status);
void client_finish(struct client *client);
void client_show_log_lines(const struct client *client, const char *needle);
bool file_contains(const char *path, const char *needle);
unsigned file_count_lines(const char *path, const char *needle);
bool pppd_write(struct client *client, const uint8_t *bytes, size_t len);
size_t pppd_encode(struct client *client, const uint8_t *ppp, size_t len, uint8_t *out,
		   size_t capacity);
bool pppd_send(struct client *client, const uint8_t *ppp, size_t len);
size_t pppd_receive(struct client *client, int timeout_ms, uint8_t *out, size_t capacity);

/* ---- TCP/IP packets (host_relay_tcp.c) ---- */

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

size_t tcp_segment_build(const struct tcp_segment *seg, uint8_t *out, size_t capacity);
size_t odd_offset_syn_options(uint8_t options[20], uint16_t mss);
size_t syn_build(int ip_version, bool from_server, uint16_t mss, uint8_t *out, size_t capacity);
bool syn_arrived_as_expected(const uint8_t *sent, size_t sent_len, const uint8_t *got,
			     size_t got_len, uint16_t expected_mss);
size_t marker_build(uint32_t marker, bool from_server, uint8_t *out, size_t capacity);
size_t numbered_segment_build(uint32_t number, bool from_server, size_t payload_len,
			      uint8_t *out, size_t capacity);

/* ---- relaying through the program, a whole session (host_relay_relaying.c) ---- */

enum direction { OUTBOUND, INBOUND };

size_t ppp_frame_build(uint16_t protocol, const uint8_t *payload, size_t len, uint8_t *out,
		       size_t capacity);
size_t ac_receive_session(const struct lab *lab, uint8_t *ppp, size_t capacity);
size_t relay_outbound(struct lab *lab, struct client *client, uint16_t protocol,
		      const uint8_t *payload, size_t len, uint8_t *received, size_t capacity);
size_t session_frame_build(const struct lab *lab, const uint8_t *source, uint16_t session_id,
			   uint16_t protocol, const uint8_t *payload, size_t len, uint8_t *out,
			   size_t capacity);
size_t relay_inbound(struct lab *lab, struct client *client, uint16_t protocol,
		     const uint8_t *payload, size_t len, uint8_t *received, size_t capacity);
const char *direction_name(enum direction dir);
size_t relay(struct lab *lab, struct client *client, enum direction dir, uint16_t protocol,
	     const uint8_t *payload, size_t len, uint8_t *received, size_t capacity);
bool syn_case(struct lab *lab, struct client *client, enum direction dir, int ip_version,
	      uint16_t offered_mss, uint16_t expected_mss, const char *why);
bool passes_unchanged(struct lab *lab, struct client *client, enum direction dir,
		      uint16_t protocol, const uint8_t *packet, size_t len);
uint16_t link_max_payload(const struct lab *lab);
bool session_relays(struct lab *lab, struct client *client, uint32_t marker);
bool session_start(struct lab *lab, struct client *client, const char *name,
		   const char *const args[], uint32_t marker, const char *what);
void session_ends_with_padt(struct lab *lab, struct client *client, const char *what, int exit_status);

/* ---- what the program holds, read from /proc (host_relay_proc.c) ---- */

int packet_socket_protocols_of(pid_t pid, uint16_t *protocols, int capacity);
int packet_socket_protocols(pid_t program, uint16_t *protocols, int capacity);
long cpu_time_ms(pid_t program);
void diag_blocked(pid_t pid);

/* ---- the cases, a file for each group of them; main says in which order ---- */

/* host_relay_session.c: runs 1 to 3 */
void run_main_session(struct lab *lab);
void run_fixed_mss_and_padt(struct lab *lab);
void run_pppd_gone(struct lab *lab);
/* host_relay_confinement.c */
void confinement_cases(struct lab *lab, struct client *client);
void run_worker_killed(struct lab *lab);
/* host_relay_framing.c */
void framing_cases(struct lab *lab, struct client *client);
void run_sync_fallback(struct lab *lab);
/* host_relay_hostile.c */
void hostile_frame_cases(struct lab *lab, struct client *client);
void spoofed_padt_cases(struct lab *lab, struct client *client);
/* host_relay_endings.c */
void run_stop_signal(struct lab *lab, int signum, const char *signal_name, const char *name);
void run_link_flap(struct lab *lab);
void run_idle_timeout(struct lab *lab);
/* host_relay_flood.c */
void run_stuck_pppd(struct lab *lab);
void run_slow_pppd(struct lab *lab);
/* host_relay_pidfile.c */
void run_pidfile(struct lab *lab);
void run_pidfile_stopped_in_discovery(struct lab *lab);
/* host_relay_discovery.c */
void run_no_discovery_socket(struct lab *lab);
void run_kill_session(struct lab *lab);
void run_list(struct lab *lab);
void run_discover_only(struct lab *lab);
void run_no_access_concentrator(struct lab *lab);
void run_rejected_offers(struct lab *lab);

#endif
