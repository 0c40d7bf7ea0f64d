// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pcap_scan: what the lab needs to know from a tcpdump capture, one line per
 * packet of interest:
 *
 *   <seconds.micro> SYN|SYN-ACK <src> > <dst> mss <N|none>
 *   <seconds.micro> PADI|PADO|PADR|PADS|PADT session <id> <src-mac> > <dst-mac> max-payload <N|none|truncated>
 *
 * It reads Ethernet (plain, 802.1Q, or carrying PPPoE session frames), Linux
 * cooked (v1 and v2) and raw IP captures, so the same reader serves a veth
 * on the LAN, the web server and the PPPoE link itself.  Every field is read
 * only after checking that the captured bytes hold it: captures are short
 * (tcpdump -s) and may end in a truncated record while tcpdump still writes.
 */
#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "byte_order.h"
#include "ppp.h"

enum {
	ETHERTYPE_IPV4 = 0x0800,
	ETHERTYPE_VLAN = 0x8100,
	ETHERTYPE_IPV6 = 0x86dd,
	ETHERTYPE_PPPOE_DISCOVERY = 0x8863,
	ETHERTYPE_PPPOE_SESSION = 0x8864,
	IPPROTO_NUMBER_TCP = 6,
	TCP_FLAG_SYN = 0x02,
	TCP_FLAG_ACK = 0x10,
	TCP_OPTION_END = 0,
	TCP_OPTION_NOP = 1,
	TCP_OPTION_MSS = 2,
	PPPOE_TAG_PPP_MAX_PAYLOAD = 0x0120,
};

struct bytes {
	const uint8_t *data;
	size_t len;
};

static struct bytes advance(struct bytes b, size_t n)
{
	if (n > b.len)
		return (struct bytes){ b.data + b.len, 0 };
	return (struct bytes){ b.data + n, b.len - n };
}

/* The MSS option of a TCP header, or -1 when it has none (or it is malformed). */
static long tcp_options_mss(struct bytes options)
{
	size_t at = 0;

	while (at < options.len) {
		uint8_t kind = options.data[at];
		if (kind == TCP_OPTION_END)
			return -1;
		if (kind == TCP_OPTION_NOP) {
			at++;
			continue;
		}
		if (at + 2 > options.len)
			return -1;
		uint8_t length = options.data[at + 1];
		if (length < 2 || at + length > options.len)
			return -1;
		if (kind == TCP_OPTION_MSS && length == 4)
			return get_be16(options.data + at + 2);
		at += length;
	}
	return -1;
}

static void print_tcp(const char *stamp, struct bytes tcp, const char *src, const char *dst)
{
	if (tcp.len < 20)
		return;
	size_t header_len = (size_t)(tcp.data[12] >> 4) * 4;
	uint8_t flags = tcp.data[13];
	if (!(flags & TCP_FLAG_SYN) || header_len < 20)
		return;
	/* A capture cut short (tcpdump -s) may hide options: say so, do not guess. */
	if (header_len > tcp.len) {
		printf("%s %s %s.%u > %s.%u mss truncated\n", stamp,
		       (flags & TCP_FLAG_ACK) ? "SYN-ACK" : "SYN", src, get_be16(tcp.data), dst,
		       get_be16(tcp.data + 2));
		return;
	}
	long mss = tcp_options_mss((struct bytes){ tcp.data + 20, header_len - 20 });
	printf("%s %s %s.%u > %s.%u mss ", stamp, (flags & TCP_FLAG_ACK) ? "SYN-ACK" : "SYN", src,
	       get_be16(tcp.data), dst, get_be16(tcp.data + 2));
	if (mss < 0)
		printf("none\n");
	else
		printf("%ld\n", mss);
}

static void scan_ipv4(const char *stamp, struct bytes ip)
{
	if (ip.len < 20 || ip.data[0] >> 4 != 4)
		return;
	size_t header_len = (size_t)(ip.data[0] & 0x0f) * 4;
	size_t total_len = get_be16(ip.data + 2);
	if (header_len < 20 || header_len > ip.len || total_len < header_len)
		return;
	/* Only the first fragment carries the TCP header. */
	if ((get_be16(ip.data + 6) & 0x1fff) != 0 || ip.data[9] != IPPROTO_NUMBER_TCP)
		return;
	char src[INET_ADDRSTRLEN], dst[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, ip.data + 12, src, sizeof src);
	inet_ntop(AF_INET, ip.data + 16, dst, sizeof dst);
	struct bytes tcp = advance(ip, header_len);
	if (total_len - header_len < tcp.len)
		tcp.len = total_len - header_len;
	print_tcp(stamp, tcp, src, dst);
}

static void scan_ipv6(const char *stamp, struct bytes ip)
{
	if (ip.len < 40 || ip.data[0] >> 4 != 6)
		return;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	inet_ntop(AF_INET6, ip.data + 8, src, sizeof src);
	inet_ntop(AF_INET6, ip.data + 24, dst, sizeof dst);
	uint8_t next = ip.data[6];
	struct bytes rest = advance(ip, 40);
	size_t payload_len = get_be16(ip.data + 4);
	if (payload_len < rest.len)
		rest.len = payload_len;
	/* Hop-by-hop (0), routing (43) and destination options (60) come before
	 * TCP; a fragment header (44) or anything else ends the walk. */
	for (int hops = 0; hops < 8 && (next == 0 || next == 43 || next == 60); hops++) {
		if (rest.len < 8)
			return;
		size_t ext_len = ((size_t)rest.data[1] + 1) * 8;
		next = rest.data[0];
		rest = advance(rest, ext_len);
	}
	if (next == IPPROTO_NUMBER_TCP)
		print_tcp(stamp, rest, src, dst);
}

static void scan_ip(const char *stamp, struct bytes ip)
{
	if (ip.len == 0)
		return;
	if (ip.data[0] >> 4 == 4)
		scan_ipv4(stamp, ip);
	else if (ip.data[0] >> 4 == 6)
		scan_ipv6(stamp, ip);
}

static const char *pppoe_code_name(uint8_t code)
{
	switch (code) {
	case 0x09: return "PADI";
	case 0x07: return "PADO";
	case 0x19: return "PADR";
	case 0x65: return "PADS";
	case 0xa7: return "PADT";
	default: return NULL;
	}
}

static void format_mac(char out[18], const uint8_t *mac)
{
	if (!mac) {
		snprintf(out, 18, "?");
		return;
	}
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
		 mac[5]);
}

enum { MAX_PAYLOAD_NONE = -1, MAX_PAYLOAD_TRUNCATED = -2 };

/* RFC 4638's PPP-Max-Payload tag of a discovery frame (payload: from the
 * PPPoE header on), MAX_PAYLOAD_NONE without one, MAX_PAYLOAD_TRUNCATED when
 * the capture ends before the tags the PPPoE length announces. */
static long discovery_max_payload(struct bytes payload)
{
	if (payload.len < 6)
		return MAX_PAYLOAD_TRUNCATED;
	size_t length = get_be16(payload.data + 4);
	struct bytes tags = advance(payload, 6);
	bool truncated = tags.len < length;

	if (!truncated)
		tags.len = length;
	while (tags.len >= 4) {
		uint16_t type = get_be16(tags.data);
		size_t value_len = get_be16(tags.data + 2);
		if (tags.len - 4 < value_len)
			return MAX_PAYLOAD_TRUNCATED;
		if (type == PPPOE_TAG_PPP_MAX_PAYLOAD && value_len == 2)
			return get_be16(tags.data + 4);
		tags = advance(tags, 4 + value_len);
	}
	return truncated ? MAX_PAYLOAD_TRUNCATED : MAX_PAYLOAD_NONE;
}

/* payload starts after the ethertype; macs is the Ethernet header's
 * destination and source (12 bytes), or NULL when the capture has none. */
static void scan_ethertype(const char *stamp, const uint8_t *macs, uint16_t ethertype,
			   struct bytes payload)
{
	if (ethertype == ETHERTYPE_IPV4 || ethertype == ETHERTYPE_IPV6) {
		scan_ip(stamp, payload);
	} else if (ethertype == ETHERTYPE_PPPOE_DISCOVERY) {
		if (payload.len < 6)
			return;
		const char *name = pppoe_code_name(payload.data[1]);
		if (!name)
			return;
		char src[18], dst[18];
		format_mac(src, macs ? macs + 6 : NULL);
		format_mac(dst, macs);
		printf("%s %s session %u %s > %s max-payload ", stamp, name, get_be16(payload.data + 2), src,
		       dst);
		long max_payload = discovery_max_payload(payload);
		if (max_payload == MAX_PAYLOAD_NONE)
			printf("none\n");
		else if (max_payload == MAX_PAYLOAD_TRUNCATED)
			printf("truncated\n");
		else
			printf("%ld\n", max_payload);
	} else if (ethertype == ETHERTYPE_PPPOE_SESSION) {
		/* RFC 2516: 6 bytes of PPPoE header, then the PPP protocol field. */
		if (payload.len < 8)
			return;
		size_t pppoe_len = get_be16(payload.data + 4);
		struct bytes ppp = advance(payload, 6);
		if (pppoe_len < ppp.len)
			ppp.len = pppoe_len;
		if (ppp.len < 2)
			return;
		uint16_t proto = get_be16(ppp.data);
		if (proto == PPP_PROTOCOL_IPV4 || proto == PPP_PROTOCOL_IPV6)
			scan_ip(stamp, advance(ppp, 2));
	}
}

static void scan_ethernet(const char *stamp, struct bytes frame)
{
	if (frame.len < 14)
		return;
	uint16_t ethertype = get_be16(frame.data + 12);
	struct bytes payload = advance(frame, 14);
	if (ethertype == ETHERTYPE_VLAN) {
		if (payload.len < 4)
			return;
		ethertype = get_be16(payload.data + 2);
		payload = advance(payload, 4);
	}
	scan_ethertype(stamp, frame.data, ethertype, payload);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s capture.pcap\n", argv[0]);
		return 2;
	}
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *capture = pcap_open_offline(argv[1], errbuf);
	if (!capture) {
		fprintf(stderr, "pcap_scan: %s\n", errbuf);
		return 1;
	}
	int linktype = pcap_datalink(capture);
	if (linktype != DLT_EN10MB && linktype != DLT_LINUX_SLL && linktype != DLT_LINUX_SLL2 &&
	    linktype != DLT_RAW && linktype != DLT_IPV4 && linktype != DLT_IPV6) {
		fprintf(stderr, "pcap_scan: %s: link type %s is not one this reader knows\n",
			argv[1], pcap_datalink_val_to_name(linktype));
		pcap_close(capture);
		return 1;
	}

	struct pcap_pkthdr *header;
	const uint8_t *data;
	int status;
	while ((status = pcap_next_ex(capture, &header, &data)) == 1) {
		char stamp[32];
		snprintf(stamp, sizeof stamp, "%lld.%06ld", (long long)header->ts.tv_sec,
			 (long)header->ts.tv_usec);
		struct bytes frame = { data, header->caplen };
		switch (linktype) {
		case DLT_EN10MB:
			scan_ethernet(stamp, frame);
			break;
		case DLT_LINUX_SLL:
			/* 16-byte cooked header, the protocol in its last two bytes. */
			if (frame.len >= 16)
				scan_ethertype(stamp, NULL, get_be16(frame.data + 14),
				       advance(frame, 16));
			break;
		case DLT_LINUX_SLL2:
			/* 20-byte cooked header, the protocol in its first two bytes. */
			if (frame.len >= 20)
				scan_ethertype(stamp, NULL, get_be16(frame.data), advance(frame, 20));
			break;
		default:
			scan_ip(stamp, frame);
			break;
		}
	}
	/* tcpdump may still be writing: a half-written last record is not an error. */
	if (status == PCAP_ERROR)
		fprintf(stderr, "pcap_scan: %s: stopped early: %s\n", argv[1], pcap_geterr(capture));
	pcap_close(capture);
	return 0;
}
