/* SPDX-License-Identifier: GPL-2.0-or-later */
/* relay_bench's traffic (relay_traffic.h). */
#include "relay_traffic.h"

#include <string.h>

#include "byte_order.h"
#include "../checksum.h"

#define SAMPLE_EVERY 64           /* besides every SYN */
#define SYN_IP_LEN 60             /* IPv4 + TCP with Linux's 20 bytes of SYN options */
#define RANDOM_POOL 65536

static uint8_t random_pool[RANDOM_POOL + FRAME_BUFFER];
static const uint8_t host_ip[4] = { 100, 64, 0, 2 };
static const uint8_t server_ip[4] = { 198, 51, 100, 7 };

static void tcp_checksum_set(uint8_t *ip, size_t ip_len)
{
	uint8_t *tcp = ip + IPV4_HEADER_LEN;
	size_t tcp_len = ip_len - IPV4_HEADER_LEN;
	uint32_t sum = sum_bytes(0, ip + 12, 8) + 6 + (uint32_t)tcp_len;

	put_be16(tcp + 16, 0);
	put_be16(tcp + 16, (uint16_t)~fold(sum_bytes(sum, tcp, tcp_len)));
}

static bool is_syn(uint32_t index)
{
	return index % SYN_EVERY == SYN_EVERY / 2;
}

bool is_sampled(uint32_t index)
{
	return is_syn(index) || index % SAMPLE_EVERY == 0;
}

size_t segment_build(enum direction dir, uint32_t index, unsigned ip_len, uint16_t mss,
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
	put_be16(ip + 10, (uint16_t)~fold(sum_bytes(0, ip, IPV4_HEADER_LEN)));

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

size_t segment_expected(enum direction dir, uint32_t index, unsigned ip_len, uint8_t *ip)
{
	return segment_build(dir, index, ip_len, is_syn(index) ? MSS_CLAMP : MSS_OFFERED, ip);
}

void random_pool_fill(void)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;

	for (size_t i = 0; i < sizeof(random_pool); i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		random_pool[i] = (uint8_t)(x >> 24);
	}
}
