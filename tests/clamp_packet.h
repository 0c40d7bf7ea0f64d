/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IP packets carrying TCP segments, built for the clamp tests (the files of
 * tests/test_clamp) with their TCP checksums computed from scratch,
 * pseudo-header included, by code independent of the clamp's incremental
 * update; and the clamp run on exact-size heap copies of them, so that
 * AddressSanitizer catches any read past what was "received".  Built into
 * tests/test_clamp_bpf too, where every clamp call also goes through the tc
 * clamp program (clamp_bpf_vectors.h).
 */
#ifndef PPPOE_MSS_TESTS_CLAMP_PACKET_H
#define PPPOE_MSS_TESTS_CLAMP_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clamp.h"

#define PACKET_MAX 512
#define IPV4_HEADER 20
#define IPV6_HEADER 40
#define TCP_HEADER 20

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10

#define NEXT_TCP 6
#define NEXT_UDP 17
#define NEXT_HOP_BY_HOP 0
#define NEXT_ROUTING 43
#define NEXT_FRAGMENT 44
#define NEXT_ESP 50
#define NEXT_AH 51
#define NEXT_NONE 59
#define NEXT_DESTINATION 60

struct packet {
	enum mss_family family;
	uint8_t bytes[PACKET_MAX];
	size_t len;  /* the IP packet: what its length field says */
	size_t tcp;  /* offset of the TCP header */
};

/* What a Linux SYN carries: MSS, SACK permitted, timestamps, NOP, window scale. */
extern const uint8_t linux_syn_options[20];
/* Hop-by-Hop (PadN), Destination Options (16 bytes), Routing (24 bytes, nothing left to visit). */
extern const uint8_t ipv6_chain[48];

/* ---- an independent checksum (checksum.h): RFC 1071, byte by byte ---- */

/* One's complement sum of pseudo-header and segment, with or without the checksum field. */
uint16_t tcp_sum(const struct packet *p, bool with_checksum);
uint16_t tcp_checksum_compute(const struct packet *p);
bool tcp_checksum_ok(const struct packet *p);
/* Write the checksum tcp_checksum_compute() gives. */
void tcp_seal(struct packet *p);
/* The checksum the packet carries. */
uint16_t tcp_checksum(const struct packet *p);

/* ---- building packets ---- */

/* IHL 5 + ip_options_len / 4 (NOPs, then End of List), DF, a sealed segment. */
void build_ipv4(struct packet *p, size_t ip_options_len, uint8_t flags,
		const uint8_t *options, size_t options_len, size_t data_len);
/* ext: extension headers already chained, the last naming TCP; first: the fixed header's next. */
void build_ipv6(struct packet *p, const uint8_t *ext, size_t ext_len, uint8_t first,
		uint8_t flags, const uint8_t *options, size_t options_len, size_t data_len);
void ipv4_syn(struct packet *p, uint8_t flags, const uint8_t *options, size_t options_len);
void ipv6_syn(struct packet *p, uint8_t flags, const uint8_t *options, size_t options_len);
/* A SYN of the family, with these TCP options. */
void build_syn(struct packet *p, enum mss_family family, const uint8_t *options,
	       size_t options_len);
/* Options holding one MSS option of the given value after nops NOPs, padded with EOL. */
size_t mss_after_nops(uint8_t *options, unsigned nops, uint16_t mss);
/*
 * The MSS values of a well-formed packet, found by a walk of the test's own
 * that stops at the first option it cannot make sense of.  Returns their
 * offsets in p->bytes.
 */
size_t mss_options(const struct packet *p, size_t *at, size_t max);
/* The packet's one MSS value (asserts there is exactly one). */
uint16_t mss_of(const struct packet *p);

/* ---- running the clamp ---- */

/* Clamp a bare packet of len bytes in place, through an exact-size copy. */
enum clamp_result clamp_bytes(enum mss_family family, uint8_t *bytes, size_t len,
			      uint16_t limit);
/* The same for a PPP frame, through clamp_ppp(). */
enum clamp_result clamp_frame(uint8_t *frame, size_t len, struct mss_limit limit,
			      enum mss_family *family);
/* A PPP frame around data, its protocol field in full or compressed.  Returns its length. */
size_t ppp_frame(uint8_t *frame, uint16_t protocol, bool compressed, const uint8_t *data,
		 size_t len);
uint16_t ppp_protocol(enum mss_family family);
/* p after a correct clamp to limit: every MSS above it lowered, checksum recomputed. */
void expected_clamp(const struct packet *p, uint16_t limit, struct packet *expected);
/*
 * Clamp p and check the outcome against want; a clamped packet must match a
 * from-scratch rebuild byte for byte, checksum included.
 */
void check_clamp(struct packet *p, uint16_t limit, enum clamp_result want);

/* ---- a deterministic random source (xorshift32): any failure reproduces ---- */

void random_seed(uint32_t seed);
uint32_t random_next(void);
uint32_t random_below(uint32_t n);

#endif
