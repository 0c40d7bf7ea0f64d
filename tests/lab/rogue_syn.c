// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/lab/rogue syn and verify: malformed TCP SYNs sent through the
 * session as the AC, then what arrived on the client's ppp0 checked
 * against what a correct MSS clamp makes of each.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "../checksum.h"
#include "byte_order.h"
#include "rogue.h"

/* ---- TCP SYNs through the session ---- */

enum syn_expect {
	SYN_MUST_CLAMP,   /* well-formed: every MSS above the limit lowered to it */
	SYN_MUST_PASS,    /* nothing in it is an MSS option a receiver would read */
	SYN_EITHER,       /* malformed: untouched, or clamped exactly as if it were not */
};

struct syn_case {
	const char *name;
	int family;                   /* 4 or 6 */
	uint8_t tcp_options[40];
	size_t tcp_options_len;
	uint8_t mss_at[4];            /* offsets of MSS values within tcp_options */
	size_t mss_count;
	uint8_t ip_options[4];        /* IPv4 only: a 24-byte header when set */
	bool ip_options_set;
	bool hop_by_hop;              /* IPv6 only: an 8-byte Hop-by-Hop header first */
	int data_offset_words;        /* 0: from the options */
	uint8_t flags;                /* TCP flags */
	bool more_fragments;
	int ip_length_lie;            /* added to the IP length field */
	bool bad_checksum;
	enum syn_expect expect;
};

#define SYN 0x02
#define SYN_ACK 0x12
#define MSS1460 2, 4, 0x05, 0xb4
#define MSS1440 2, 4, 0x05, 0xa0

static const struct syn_case syn_cases[] = {
	{ "mss 1460 at an even offset", 4, { MSS1460, 1, 1, 4, 2 }, 8, { 2 }, 1,
	  .flags = SYN, .expect = SYN_MUST_CLAMP },
	{ "mss 1460 at an odd offset", 4, { 1, MSS1460, 1, 1, 1 }, 8, { 3 }, 1,
	  .flags = SYN, .expect = SYN_MUST_CLAMP },
	{ "mss after 35 NOPs (offset 55)", 4,
	  { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	    1, 1, 1, 1, 1, 1, 1, MSS1460, 0 }, 40, { 37 }, 1, .flags = SYN,
	  .expect = SYN_MUST_CLAMP },
	{ "two mss options (1460, 9000)", 4, { MSS1460, 2, 4, 0x23, 0x28 }, 8, { 2, 6 }, 2,
	  .flags = SYN, .expect = SYN_MUST_CLAMP },
	{ "SYN-ACK, mss 1460 at an odd offset", 4, { 1, MSS1460, 1, 1, 1 }, 8, { 3 }, 1,
	  .flags = SYN_ACK, .expect = SYN_MUST_CLAMP },
	{ "IPv4 options, mss at an odd offset", 4, { 1, MSS1460, 1, 1, 1 }, 8, { 3 }, 1,
	  .ip_options = { 1, 1, 1, 0 }, .ip_options_set = true, .flags = SYN,
	  .expect = SYN_MUST_CLAMP },
	{ "mss 1400, below the limit", 4, { 2, 4, 0x05, 0x78 }, 4, { 2 }, 1, .flags = SYN,
	  .expect = SYN_MUST_CLAMP },
	{ "no mss option", 4, { 1, 1, 4, 2 }, 4, { 0 }, 0, .flags = SYN, .expect = SYN_MUST_PASS },
	{ "mss option of length 3", 4, { 2, 3, 0x05, 0xb4, 1, 1, 1, 1 }, 8, { 0 }, 0,
	  .flags = SYN, .expect = SYN_MUST_PASS },
	{ "mss option of length 5", 4, { 2, 5, 0x05, 0xb4, 0, 1, 1, 1 }, 8, { 0 }, 0,
	  .flags = SYN, .expect = SYN_MUST_PASS },
	{ "option of length 0 before the mss", 4, { 8, 0, MSS1460, 1, 1 }, 8, { 4 }, 1,
	  .flags = SYN, .expect = SYN_EITHER },
	{ "option running past the header after the mss", 4, { MSS1460, 8, 10, 0, 0 }, 8, { 2 },
	  1, .flags = SYN, .expect = SYN_EITHER },
	{ "mss option itself running past the header", 4, { 1, 1, 1, 1, 1, 1, 2, 4 }, 8, { 0 }, 0,
	  .flags = SYN, .expect = SYN_MUST_PASS },
	{ "a lone option kind in the last byte", 4, { MSS1460, 1, 1, 1, 2 }, 8, { 2 }, 1,
	  .flags = SYN, .expect = SYN_EITHER },
	{ "mss after End of List", 4, { 0, 0, 0, 0, MSS1460 }, 8, { 0 }, 0, .flags = SYN,
	  .expect = SYN_MUST_PASS },
	{ "data offset past the IP payload", 4, { MSS1460 }, 4, { 2 }, 1,
	  .data_offset_words = 15, .flags = SYN, .expect = SYN_EITHER },
	{ "data offset below 5 words", 4, { MSS1460 }, 4, { 0 }, 0, .data_offset_words = 4,
	  .flags = SYN, .expect = SYN_MUST_PASS },
	{ "IP length 20 bytes past the frame", 4, { MSS1460 }, 4, { 2 }, 1, .flags = SYN,
	  .ip_length_lie = 20, .expect = SYN_EITHER },
	{ "IP length cutting the mss option off", 4, { 1, 1, 1, 1, MSS1460 }, 8, { 0 }, 0,
	  .flags = SYN, .ip_length_lie = -4, .expect = SYN_MUST_PASS },
	{ "bad TCP checksum, mss 1460", 4, { MSS1460 }, 4, { 2 }, 1, .flags = SYN,
	  .bad_checksum = true, .expect = SYN_EITHER },
	{ "first fragment (MF) with mss 1460", 4, { MSS1460 }, 4, { 2 }, 1, .flags = SYN,
	  .more_fragments = true, .expect = SYN_EITHER },
	{ "IPv6, mss 1440 at an odd offset", 6, { 1, MSS1440, 1, 1, 1 }, 8, { 3 }, 1,
	  .flags = SYN, .expect = SYN_MUST_CLAMP },
	{ "IPv6, Hop-by-Hop header, then mss 1440", 6, { MSS1440, 1, 1, 4, 2 }, 8, { 2 }, 1,
	  .hop_by_hop = true, .flags = SYN, .expect = SYN_MUST_CLAMP },
	{ "IPv6, option of length 1 before the mss", 6, { 8, 1, MSS1440, 1, 1 }, 8, { 4 }, 1,
	  .flags = SYN, .expect = SYN_EITHER },
};

#define SYN_CASE_COUNT (sizeof(syn_cases) / sizeof(syn_cases[0]))
#define SYN_SOURCE_PORT_BASE 30000
#define SYN_IPV4_ID_BASE 0x5200

void syn_cases_print(void)
{
	for (size_t i = 0; i < SYN_CASE_COUNT; i++)
		printf("syn %s: %s\n", syn_cases[i].name,
		       syn_cases[i].expect == SYN_MUST_CLAMP ? "lower every MSS above the limit, nothing else" :
		       syn_cases[i].expect == SYN_MUST_PASS ? "relay it untouched" :
							       "relay it untouched or clamp it correctly");
}

/* ---- the SYNs as IP packets, and sending them ---- */

/*
 * The TCP checksum over the pseudo-header and the segment as the IP header
 * bounds it (tcp_len bytes); 0 when it verifies.
 */
static uint16_t tcp_checksum(int family, const uint8_t *ip, const uint8_t *tcp, size_t tcp_len)
{
	uint32_t sum = 0;

	if (family == 4) {
		sum = sum_bytes(sum, ip + 12, 8);
		sum += 6 + (uint32_t)tcp_len;
	} else {
		sum = sum_bytes(sum, ip + 8, 32);
		sum += (uint32_t)(tcp_len >> 16) + (uint32_t)(tcp_len & 0xffff) + 6;
	}
	return (uint16_t)~fold(sum_bytes(sum, tcp, tcp_len));
}

/*
 * Build SYN case i as an IP packet; returns its length and where its TCP
 * header starts.  The checksum covers what the IP length says; a lie in the
 * IP length makes it cover less, or nothing sensible.
 */
static size_t syn_build(const struct rogue *r, size_t i, uint8_t *p, size_t *tcp_at)
{
	const struct syn_case *c = &syn_cases[i];
	size_t ip_header = c->family == 4 ? (c->ip_options_set ? 24 : 20) : 40;
	size_t hbh = c->hop_by_hop ? 8 : 0;
	size_t tcp_len = 20 + c->tcp_options_len;
	size_t total = ip_header + hbh + tcp_len;
	size_t checked_len = tcp_len;
	uint8_t *tcp = p + ip_header + hbh;
	int words = c->data_offset_words ? c->data_offset_words : (int)(tcp_len / 4);
	uint16_t sport = (uint16_t)(SYN_SOURCE_PORT_BASE + i);

	memset(p, 0, total);
	if (c->family == 4) {
		long ip_len = (long)total + c->ip_length_lie;
		p[0] = (uint8_t)(0x40 | ip_header / 4);
		put_be16(p + 2, (uint16_t)ip_len);
		put_be16(p + 4, (uint16_t)(SYN_IPV4_ID_BASE + i));
		if (c->more_fragments)
			p[6] = 0x20;
		p[8] = 64;
		p[9] = 6;
		inet_pton(AF_INET, "10.77.3.2", p + 12);
		memcpy(p + 16, &r->client_ipv4, 4);
		if (c->ip_options_set)
			memcpy(p + 20, c->ip_options, 4);
		put_be16(p + 10, (uint16_t)~fold(sum_bytes(0, p, ip_header)));
		if (c->ip_length_lie < 0)
			checked_len = tcp_len + (size_t)c->ip_length_lie;
	} else {
		long payload = (long)(hbh + tcp_len) + c->ip_length_lie;
		p[0] = 0x60;
		p[3] = (uint8_t)i; /* the flow label tells the cases apart */
		put_be16(p + 4, (uint16_t)payload);
		p[6] = c->hop_by_hop ? 0 : 6;
		p[7] = 64;
		inet_pton(AF_INET6, "fe80::1", p + 8);
		inet_pton(AF_INET6, "fe80::2", p + 24);
		if (c->hop_by_hop) {
			/* Next header TCP, 8 bytes, one PadN option of 4 bytes of padding. */
			uint8_t ext[8] = { 6, 0, 1, 4, 0, 0, 0, 0 };
			memcpy(p + 40, ext, sizeof(ext));
		}
	}
	put_be16(tcp, sport);
	put_be16(tcp + 2, 9);
	put_be16(tcp + 4, 0x1000);
	put_be16(tcp + 6, (uint16_t)i);
	tcp[12] = (uint8_t)(words << 4);
	tcp[13] = c->flags;
	put_be16(tcp + 14, 64240);
	memcpy(tcp + 20, c->tcp_options, c->tcp_options_len);
	put_be16(tcp + 16, tcp_checksum(c->family, p, tcp, checked_len));
	if (c->bad_checksum)
		put_be16(tcp + 16, (uint16_t)(get_be16(tcp + 16) ^ 0x0f0f));
	*tcp_at = ip_header + hbh;
	return total;
}

int action_syn(struct rogue *r)
{
	static struct frame f;
	pcap_t *dead = NULL;
	pcap_dumper_t *dumper = NULL;
	unsigned long failed = 0;

	if (!r->have_client || !r->have_ac || !r->have_session || r->client_ipv4.s_addr == 0) {
		fprintf(stderr, "rogue: syn needs -c, -a, -S and -t\n");
		return 2;
	}
	if (r->pcap_out != NULL) {
		dead = pcap_open_dead(DLT_RAW, 65535);
		dumper = dead ? pcap_dump_open(dead, r->pcap_out) : NULL;
		if (dumper == NULL) {
			fprintf(stderr, "rogue: cannot write %s\n", r->pcap_out);
			return 1;
		}
	}
	for (size_t i = 0; i < SYN_CASE_COUNT; i++) {
		uint8_t packet[128];
		size_t tcp_at, len = syn_build(r, i, packet, &tcp_at);
		struct pcap_pkthdr header = { .caplen = (bpf_u_int32)len, .len = (bpf_u_int32)len };

		session_begin(&f, r->client_mac, r->ac_mac, 0x11, 0, r->session_id);
		frame_u16(&f, syn_cases[i].family == 4 ? 0x0021 : 0x0057);
		frame_bytes(&f, packet, len);
		pppoe_length_fix(&f, 0);
		frame_pad(&f);
		if (send(r->send_fd, f.b, f.len, 0) != (ssize_t)f.len) {
			failed++;
			printf("cannot send '%s': %s\n", syn_cases[i].name, strerror(errno));
			continue;
		}
		if (dumper != NULL) {
			gettimeofday(&header.ts, NULL);
			pcap_dump((u_char *)dumper, &header, packet);
		}
		/* Spaced out: the client's kernel answers each with a RST. */
		sleep_until_ns(now_ns() + 20000000u);
	}
	if (dumper != NULL) {
		pcap_dump_close(dumper);
		pcap_close(dead);
	}
	printf("sent %zu TCP SYN cases (%lu failed)\n", SYN_CASE_COUNT - failed, failed);
	return failed == 0 ? 0 : 1;
}

/* ---- verify: what arrived on ppp0 against what was sent ---- */

struct packet {
	uint8_t data[256];
	size_t len;
};

/* The IP packet of a captured record, whatever the capture's link type. */
static bool capture_ip(int linktype, const uint8_t *data, size_t len, struct packet *out)
{
	size_t skip;

	switch (linktype) {
	case DLT_LINUX_SLL:
		skip = 16;
		break;
	case DLT_LINUX_SLL2:
		skip = 20;
		break;
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		skip = 0;
		break;
	case DLT_PPP:
		/* Address, control and protocol. */
		skip = 4;
		break;
	default:
		return false;
	}
	if (len < skip || len - skip > sizeof(out->data))
		return false;
	memcpy(out->data, data + skip, len - skip);
	out->len = len - skip;
	return true;
}

/* Which case a packet is: by the TCP source port the rogue gave it. */
static long syn_case_of(const struct packet *p)
{
	size_t tcp_at;
	uint16_t sport;

	if (p->len >= 20 && p->data[0] >> 4 == 4) {
		tcp_at = (size_t)(p->data[0] & 0x0f) * 4;
		if (p->data[9] != 6 || get_be16(p->data + 4) < SYN_IPV4_ID_BASE)
			return -1;
	} else if (p->len >= 40 && p->data[0] >> 4 == 6) {
		tcp_at = p->data[6] == 0 ? 48 : 40;
	} else {
		return -1;
	}
	if (tcp_at + 20 > p->len)
		return -1;
	sport = get_be16(p->data + tcp_at);
	if (sport < SYN_SOURCE_PORT_BASE || sport >= SYN_SOURCE_PORT_BASE + SYN_CASE_COUNT)
		return -1;
	/* Not the client's own RST back: that one comes from port 9. */
	if (get_be16(p->data + tcp_at + 2) != 9)
		return -1;
	return sport - SYN_SOURCE_PORT_BASE;
}

static bool read_packets(const char *path, struct packet *by_case, bool *seen)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *pcap = pcap_open_offline(path, errbuf);
	struct pcap_pkthdr *header;
	const uint8_t *data;
	int linktype;

	if (pcap == NULL) {
		fprintf(stderr, "rogue: %s\n", errbuf);
		return false;
	}
	linktype = pcap_datalink(pcap);
	while (pcap_next_ex(pcap, &header, &data) == 1) {
		struct packet p;
		long which;

		if (!capture_ip(linktype, data, header->caplen, &p))
			continue;
		which = syn_case_of(&p);
		if (which >= 0 && !seen[which]) {
			by_case[which] = p;
			seen[which] = true;
		}
	}
	pcap_close(pcap);
	return true;
}

/*
 * What a correct clamp makes of a sent packet: each MSS value the case
 * names lowered to the limit, and the TCP checksum adjusted by the same
 * difference (RFC 1624 eqn. 3), so that a segment that was right stays
 * right and one that was wrong stays exactly as wrong.
 */
static void syn_clamped(const struct syn_case *c, const struct packet *sent, size_t tcp_at,
			unsigned limit, struct packet *out)
{
	uint32_t sum;

	*out = *sent;
	sum = (uint16_t)~get_be16(out->data + tcp_at + 16);
	for (size_t m = 0; m < c->mss_count; m++) {
		size_t at = tcp_at + 20 + c->mss_at[m];
		uint16_t mss = get_be16(out->data + at);

		if (at + 2 > out->len || mss <= limit)
			continue;
		put_be16(out->data + at, (uint16_t)limit);
		/* The value's two bytes, as the checksum's 16-bit words see them. */
		if ((at - tcp_at) & 1) {
			sum += (uint16_t)~(uint16_t)(mss << 8 | mss >> 8);
			sum += (uint16_t)(limit << 8 | limit >> 8);
		} else {
			sum += (uint16_t)~mss;
			sum += limit;
		}
	}
	put_be16(out->data + tcp_at + 16, (uint16_t)~fold(sum));
}

static bool same_packet(const struct packet *a, const struct packet *b)
{
	return a->len == b->len && memcmp(a->data, b->data, a->len) == 0;
}

int action_verify(struct rogue *r, const char *sent_path, const char *capture_path)
{
	static struct packet sent[SYN_CASE_COUNT], got[SYN_CASE_COUNT];
	bool sent_seen[SYN_CASE_COUNT] = { false }, got_seen[SYN_CASE_COUNT] = { false };
	int failures = 0;

	if (!read_packets(sent_path, sent, sent_seen) || !read_packets(capture_path, got, got_seen))
		return 1;
	for (size_t i = 0; i < SYN_CASE_COUNT; i++) {
		const struct syn_case *c = &syn_cases[i];
		unsigned limit = c->family == 4 ? r->limit_ipv4 : r->limit_ipv6;
		struct packet clamped;
		size_t tcp_at;
		bool untouched, clamped_ok, changed, valid_before;
		const char *verdict;

		if (!sent_seen[i]) {
			printf("FAIL %s: not in %s (never sent)\n", c->name, sent_path);
			failures++;
			continue;
		}
		if (!got_seen[i]) {
			printf("FAIL %s: never arrived on the client's ppp0\n", c->name);
			failures++;
			continue;
		}
		tcp_at = c->family == 4 ? (c->ip_options_set ? 24 : 20) : (c->hop_by_hop ? 48 : 40);
		syn_clamped(c, &sent[i], tcp_at, limit, &clamped);
		changed = !same_packet(&clamped, &sent[i]);
		untouched = same_packet(&got[i], &sent[i]);
		clamped_ok = same_packet(&got[i], &clamped);
		valid_before = !c->bad_checksum && c->ip_length_lie == 0 && !c->more_fragments &&
			       tcp_checksum(c->family, sent[i].data, sent[i].data + tcp_at,
					    sent[i].len - tcp_at) == 0;

		switch (c->expect) {
		case SYN_MUST_CLAMP:
			verdict = clamped_ok ? (changed ? "clamped" : "untouched (within the limit)")
					     : NULL;
			break;
		case SYN_MUST_PASS:
			verdict = untouched ? "untouched" : NULL;
			break;
		default:
			verdict = untouched ? "untouched" : clamped_ok ? "clamped" : NULL;
			break;
		}
		if (verdict == NULL) {
			printf("FAIL %s: arrived changed, and not as a correct clamp to %u would change it "
			       "(%zu bytes sent, %zu arrived)\n", c->name, limit, sent[i].len, got[i].len);
			failures++;
			continue;
		}
		/* A full recomputation, independent of how the clamp patched it. */
		if (valid_before &&
		    tcp_checksum(c->family, got[i].data, got[i].data + tcp_at, got[i].len - tcp_at) != 0) {
			printf("FAIL %s: %s, but its TCP checksum no longer verifies\n", c->name, verdict);
			failures++;
			continue;
		}
		printf("PASS %s: %s%s\n", c->name, verdict,
		       valid_before ? ", checksum verifies" :
		       c->bad_checksum ? ", checksum still as wrong as sent" : "");
	}
	return failures == 0 ? 0 : 1;
}
