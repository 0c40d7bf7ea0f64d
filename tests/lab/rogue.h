// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the parts of tests/lab/rogue share: the station as the command line
 * sets it up, its interface and clock (rogue_station.c), frames written as
 * bytes (rogue_frame.c), and the actions the command line runs.
 */
#ifndef PPPOE_MSS_TESTS_LAB_ROGUE_H
#define PPPOE_MSS_TESTS_LAB_ROGUE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "pppoe.h"

#define ROGUE_FRAME_MAX 9216
#define HOST_UNIQ_MAX 64
#define COUNT_MAX 1000000UL
#define RATE_MAX 1000000UL
#define WAIT_MAX_S 120UL
#define DELAY_MAX_MS 10000UL
/* The AC-Name of every offer this station makes: never the one asked for. */
#define ROGUE_AC_NAME "rogue-ac"

struct rogue {
	const char *interface;
	int ifindex;
	unsigned mtu;
	int send_fd;
	uint8_t own_mac[PPPOE_MAC_LEN];
	uint8_t client_mac[PPPOE_MAC_LEN];
	bool have_client;
	uint8_t ac_mac[PPPOE_MAC_LEN];
	bool have_ac;
	uint16_t session_id;
	bool have_session;
	/* The client's Host-Uniq, learnt from its PADI: what a reply must echo. */
	uint8_t host_uniq[HOST_UNIQ_MAX];
	size_t host_uniq_len;
	bool have_host_uniq;
	unsigned long count;
	unsigned long rate;
	unsigned long wait_s;
	unsigned long delay_ms;
	const char *go_file;
	struct in_addr client_ipv4;
	const char *pcap_out;
	unsigned limit_ipv4;
	unsigned limit_ipv6;
};

/* As "00:11:22:33:44:55". */
void format_mac(const uint8_t *mac, char out[18]);

/* ---- the clock, the interface and its sockets (rogue_station.c) ---- */

uint64_t now_ns(void);
void sleep_until_ns(uint64_t deadline);
/* Fills ifindex, mtu and own_mac, and opens send_fd; false (said on stderr) if it cannot. */
bool interface_open(struct rogue *r);
/* A socket that receives the frames of one ethertype on the interface; -1 on error. */
int listen_socket(const struct rogue *r, uint16_t ethertype);
/*
 * Wait until deadline_ns for one frame; returns its length (0 on timeout,
 * -1 on error).  A frame larger than buf is skipped, never cut short.
 */
ssize_t receive_until(int fd, uint8_t *buf, size_t capacity, uint64_t deadline_ns);

/* ---- sending, paced (rogue_station.c) ---- */

struct pacer {
	uint64_t start;
	uint64_t interval_ns;
	unsigned long sent;
	unsigned long failed;
	int last_errno;
};

void pacer_start(struct pacer *p, unsigned long rate);
/* Send frame number i of the run, not before its slot. */
void pacer_send(struct pacer *p, const struct rogue *r, unsigned long i, const uint8_t *frame,
		size_t len);

/* ---- frames: headers and tags written as bytes, lengths as given (rogue_frame.c) ---- */

struct frame {
	uint8_t b[ROGUE_FRAME_MAX];
	size_t len;
};

void frame_begin(struct frame *f, const uint8_t *dest, const uint8_t *source, uint16_t ethertype);
void frame_bytes(struct frame *f, const void *data, size_t len);
void frame_byte(struct frame *f, uint8_t value);
void frame_u16(struct frame *f, uint16_t value);
/* The PPPoE header with its length still 0: pppoe_length_fix fills it. */
void frame_pppoe(struct frame *f, uint8_t version_type, uint8_t code, uint16_t session);
/* The PPPoE length: what follows the header, plus a lie (which may be negative). */
void pppoe_length_fix(struct frame *f, long lie);
/* A tag whose length field says declared while value_len bytes follow. */
void frame_tag(struct frame *f, uint16_t type, uint16_t declared, const void *value,
	       size_t value_len);
void frame_tag_ok(struct frame *f, uint16_t type, const void *value, size_t len);
void frame_string_tag(struct frame *f, uint16_t type, const char *text);
/* Pad a frame to Ethernet's minimum of 60 bytes, as a NIC would. */
void frame_pad(struct frame *f);
/* A discovery frame to the client, from source. */
void offer_begin(struct frame *f, const struct rogue *r, const uint8_t *source, uint8_t code,
		 uint16_t session);
/* A session frame: the Ethernet and PPPoE headers. */
void session_begin(struct frame *f, const uint8_t *dest, const uint8_t *source,
		   uint8_t version_type, uint8_t code, uint16_t session);

/* ---- the actions, one family of cases a file; each returns the exit status ---- */

int action_discovery(struct rogue *r);
int action_session(struct rogue *r, const char *name);
int action_sniff(struct rogue *r);
int action_syn(struct rogue *r);
int action_verify(struct rogue *r, const char *sent_path, const char *capture_path);
/* The lines of "rogue cases", one family each. */
void discovery_cases_print(void);
void session_cases_print(void);
void syn_cases_print(void);

#endif
