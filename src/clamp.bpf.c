/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The MSS clamp of src/clamp.c for sessions carried by the kernel's PPPoE:
 * a tc program (clsact, direct action) on the Ethernet device the session
 * runs on, one entry point per direction.  It sees every frame of that
 * device and touches only the PPP frames of one session -- ethertype
 * 0x8864, version/type 1/1, code 0, our session id, the AC's MAC as source
 * (ingress) or destination (egress) -- on which it does what clamp_ppp()
 * does, check for check and in the same order, so that both data paths give
 * a frame the same bytes and the same result.  What eBPF changes:
 *   - packet bytes are read with bpf_skb_load_bytes() at offsets already
 *     checked against the lengths, never through a pointer into the packet
 *     or a variable index into a stack copy: that works on non-linear skbs
 *     and passes the verifier of Linux 6.1, which refuses the latter;
 *   - a malformed option area leaves the frame as it came: a first walk over
 *     the options only judges them, a second one writes;
 *   - the TCP checksum is patched through the kernel (mss_lower() says why).
 * Every frame goes on as TC_ACT_UNSPEC, so that the filters after ours
 * (other sessions' instances, the user's own) still see it.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "clamp_bpf.h"
#include "clamp_wire.h"
#include "pppoe.h"

#define PPPOE_VERSION_TYPE 0x11
#define VLAN_VID_MASK 0x0fff

char LICENSE[] SEC("license") = "GPL";

/* Set by the loader before the program is loaded (src/tc_clamp.c). */
const volatile struct clamp_bpf_target clamp_target = {};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct clamp_bpf_limits);
} clamp_limits SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct clamp_bpf_counts);
} clamp_counts SEC(".maps");

/*
 * A SYN's option area, tcp[TCP_HEADER_MIN, header): options_walk() says why
 * in a map.  Per CPU: tc runs with bottom halves off, so on each CPU one
 * frame's run ends before the next begins.
 */
struct options_area {
	__u32 tcp;     /* offset of the TCP header in the skb */
	__u32 header;  /* TCP header length (data offset * 4) */
	__u32 limit;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct options_area);
} clamp_options_area SEC(".maps");

static __always_inline bool load(struct __sk_buff *skb, __u32 offset, void *to, __u32 len)
{
	return bpf_skb_load_bytes(skb, offset, to, len) == 0;
}

/*
 * Lower the MSS whose value sits at tcp + at (raw: as it is in the packet)
 * to limit, and patch the TCP checksum.  bpf_l4_csum_replace() without
 * BPF_F_PSEUDO_HDR does for every ip_summed state what the change needs:
 *   - NONE, UNNECESSARY, COMPLETE: RFC 1624 eqn. 3 on the checksum field,
 *     as clamp.c computes it; with COMPLETE, skb->csum stays, because the
 *     MSS change and the field change cancel in the sum over the packet
 *     (which is also why the MSS is stored without BPF_F_RECOMPUTE_CSUM);
 *   - PARTIAL (a SYN built by this host, its checksum still to be done by
 *     the device): the field then holds only the pseudo-header sum, which
 *     the MSS is no part of, so it stays; the sum done later covers the new
 *     MSS.
 * The helper works on the packet's 16-bit words as they sit in memory, so
 * from and to are raw words too; an MSS at an odd offset in the segment
 * straddles two words, which in one's complement is the byte-swapped value
 * in one (clamp.c does the same in network order).
 *
 * The helper refuses a checksum field at an odd offset in the skb, which is
 * where a compressed (1-byte, RFC 1661 PFC) protocol field puts it: there
 * the same arithmetic is done here and the field stored directly.  That is
 * right for all but PARTIAL, which the kernel's own PPPoE frames never
 * have: they come from ppp_generic, which offers no checksum offload and so
 * completes every checksum before it adds the protocol field.  Only a frame
 * built whole by a program with a virtio-net header (AF_PACKET, tap) could
 * be PARTIAL there; it would leave with a wrong checksum.
 */
static __always_inline bool mss_lower(struct __sk_buff *skb, __u32 tcp, __u32 at, __u16 raw,
				      __u32 limit)
{
	__u16 lowered = bpf_htons(limit), from, to, checksum;
	__u32 checksum_at = tcp + TCP_CHECKSUM, sum;
	/* A rotation rather than a branch on the offset: see options_walk(). */
	__u32 swap = (at & 1) * 8;

	from = (__u16)(raw << swap | raw >> swap);
	to = (__u16)(lowered << swap | lowered >> swap);
	if (bpf_skb_store_bytes(skb, tcp + at, &lowered, sizeof(lowered), 0))
		return false;
	if (!(checksum_at & 1))
		return bpf_l4_csum_replace(skb, checksum_at, from, to, sizeof(__u16)) == 0;

	if (!load(skb, checksum_at, &checksum, sizeof(checksum)))
		return false;
	sum = (__u16)~checksum + (__u32)(__u16)~from + to;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	checksum = (__u16)~sum;
	return bpf_skb_store_bytes(skb, checksum_at, &checksum, sizeof(checksum), 0) == 0;
}

/*
 * clamp.c's clamp_options() as one walk over a SYN's option area.
 * Without write it only judges the area: MALFORMED, NO_MSS, WITHIN_LIMIT,
 * or CLAMPED for "some MSS is above the limit".  With write -- only after
 * a walk without it said CLAMPED, so the area is known to be well-formed --
 * it lowers every MSS above the limit.  Every step advances by at least one
 * byte within at most 40 bytes: the step bound only tells the verifier so.
 *
 * The verifier follows every path through the program.  Were the header
 * length exact on a path (as the checks before, or a first walk, make it
 * on many), a run of NOPs would make each offset exact too; every layout of
 * options would be a state of its own, and the program would exceed the
 * verifier's million instructions (Linux 6.1 and 6.18 alike).  So the walk
 * takes its bounds out of a map, values the verifier knows nothing about,
 * and nothing in it branches on the offset itself (mss_lower() rotates).
 * A global function would be verified once for unknown arguments as well,
 * but without kernel BTF (User-Mode Linux) the verifier cannot see that its
 * skb argument is the context.
 */
static __always_inline enum clamp_result options_walk(struct __sk_buff *skb,
						      const struct options_area *area,
						      bool write)
{
	/* Volatile: read from the map, not taken over from where tcp_clamp() set them. */
	const volatile struct options_area *bounds = area;
	__u32 tcp = bounds->tcp, header = bounds->header, limit = bounds->limit;
	__u32 offset = TCP_HEADER_MIN, step;
	bool seen = false, above = false;
	__u8 last;

	for (step = 0; step < TCP_OPTIONS_MAX && offset + 1 < header; step++) {
		__u8 option[2];
		__u32 option_len;
		__u16 raw;

		if (!load(skb, tcp + offset, option, sizeof(option)))
			return MSS_PASS_MALFORMED;
		if (option[0] <= TCP_OPTION_NOP) {
			if (option[0] == TCP_OPTION_EOL)
				break;
			offset++;
			continue;
		}
		option_len = option[1];
		if (option_len < 2 || offset + option_len > header)
			return MSS_PASS_MALFORMED;
		if (option[0] == TCP_OPTION_MSS) {
			if (option_len != TCP_OPTION_MSS_LEN)
				return MSS_PASS_MALFORMED;
			seen = true;
			if (!load(skb, tcp + offset + 2, &raw, sizeof(raw)))
				return MSS_PASS_MALFORMED;
			if (bpf_ntohs(raw) > limit) {
				above = true;
				if (write && !mss_lower(skb, tcp, offset + 2, raw, limit))
					return MSS_PASS_MALFORMED;
			}
		}
		offset += option_len;
	}
	/* One byte left over can only be End of List or NOP. */
	if (offset + 1 == header) {
		if (!load(skb, tcp + offset, &last, sizeof(last)) || last > TCP_OPTION_NOP)
			return MSS_PASS_MALFORMED;
	}
	if (above)
		return MSS_CLAMPED;
	return seen ? MSS_PASS_WITHIN_LIMIT : MSS_PASS_NO_MSS;
}

/* clamp.c's clamp_tcp(): a TCP segment of len bytes at offset tcp. */
static __always_inline enum clamp_result tcp_clamp(struct __sk_buff *skb, __u32 tcp,
						   __u32 len, __u16 limit)
{
	struct options_area *area;
	enum clamp_result result;
	__u8 offset_flags[2];
	__u32 header, key = 0;

	if (len < TCP_HEADER_MIN)
		return MSS_PASS_MALFORMED;
	if (!load(skb, tcp + 12, offset_flags, sizeof(offset_flags)))
		return MSS_PASS_MALFORMED;
	if (!(offset_flags[1] & TCP_FLAG_SYN))
		return MSS_PASS_NOT_SYN;
	if (limit == 0)
		return MSS_PASS_DISABLED;
	header = (__u32)(offset_flags[0] >> 4) * 4;
	if (header < TCP_HEADER_MIN || header > len)
		return MSS_PASS_MALFORMED;
	area = bpf_map_lookup_elem(&clamp_options_area, &key);
	if (!area)
		return MSS_PASS_MALFORMED;
	area->tcp = tcp;
	area->header = header;
	area->limit = limit;
	result = options_walk(skb, area, false);
	if (result != MSS_CLAMPED)
		return result;
	/*
	 * Linear and writable up to the end of the options, so that no store
	 * below can fail half-way.  Should the kernel be out of memory even
	 * for that, the frame passes as it came, counted with those that did
	 * not add up.
	 */
	if (bpf_skb_pull_data(skb, tcp + header))
		return MSS_PASS_MALFORMED;
	options_walk(skb, area, true);
	return MSS_CLAMPED;
}

/* clamp.c's ipv4_plain_non_syn() and ipv4_clamp() on a packet of len bytes at ip. */
static __always_inline enum clamp_result ipv4_clamp(struct __sk_buff *skb, __u32 ip,
						    __u32 len, __u16 limit)
{
	__u8 packet[IPV4_HEADER_MIN], flags;
	__u32 header, total;
	bool fragment;

	if (len < IPV4_HEADER_MIN)
		return MSS_PASS_MALFORMED;
	if (!load(skb, ip, packet, sizeof(packet)))
		return MSS_PASS_MALFORMED;
	/* MF or a fragment offset: only the reassembling host sees the whole segment. */
	fragment = (packet[6] & 0x3f) || packet[7];
	if (len >= IPV4_HEADER_MIN + TCP_HEADER_MIN && packet[0] == 0x45 &&
	    packet[9] == IP_PROTOCOL_TCP && !fragment) {
		if (!load(skb, ip + IPV4_HEADER_MIN + 13, &flags, sizeof(flags)))
			return MSS_PASS_MALFORMED;
		if (!(flags & TCP_FLAG_SYN))
			return MSS_PASS_NOT_SYN;
	}
	if (packet[0] < 0x45 || packet[0] > 0x4f)
		return MSS_PASS_MALFORMED;
	header = (__u32)(packet[0] & 0x0f) * 4;
	total = (__u32)packet[2] << 8 | packet[3];
	if (total > len || total < header)
		return MSS_PASS_MALFORMED;
	if (fragment)
		return MSS_PASS_FRAGMENT;
	if (packet[9] != IP_PROTOCOL_TCP)
		return MSS_PASS_NOT_TCP;
	return tcp_clamp(skb, ip + header, total - header, limit);
}

/* clamp.c's ipv6_plain_non_syn() and ipv6_clamp(): the extension headers walked alike. */
static __always_inline enum clamp_result ipv6_clamp(struct __sk_buff *skb, __u32 ip,
						    __u32 len, __u16 limit)
{
	__u32 end, offset = IPV6_HEADER_LEN;
	__u8 packet[8], flags, next;
	int walked;

	if (len < IPV6_HEADER_LEN)
		return MSS_PASS_MALFORMED;
	/* Version to hop limit: the payload length and the first next header. */
	if (!load(skb, ip, packet, sizeof(packet)) || packet[0] >> 4 != 6)
		return MSS_PASS_MALFORMED;
	next = packet[6];
	if (len >= IPV6_HEADER_LEN + TCP_HEADER_MIN && next == IP_PROTOCOL_TCP) {
		if (!load(skb, ip + IPV6_HEADER_LEN + 13, &flags, sizeof(flags)))
			return MSS_PASS_MALFORMED;
		if (!(flags & TCP_FLAG_SYN))
			return MSS_PASS_NOT_SYN;
	}
	end = IPV6_HEADER_LEN + ((__u32)packet[4] << 8 | packet[5]);
	if (end > len)
		return MSS_PASS_MALFORMED;

	for (walked = 0; next != IP_PROTOCOL_TCP; walked++) {
		__u8 extension[2];
		__u32 extension_len;

		switch (next) {
		case IPV6_HOP_BY_HOP:
		case IPV6_ROUTING:
		case IPV6_DESTINATION:
			break;
		case IPV6_FRAGMENT:
			return MSS_PASS_FRAGMENT;
		default:
			/* AH and ESP included: clamp.c says why. */
			return MSS_PASS_NOT_TCP;
		}
		if (walked == IPV6_EXTENSION_HEADERS_MAX)
			return MSS_PASS_NOT_TCP;
		if (end - offset < 2)
			return MSS_PASS_MALFORMED;
		if (!load(skb, ip + offset, extension, sizeof(extension)))
			return MSS_PASS_MALFORMED;
		extension_len = ((__u32)extension[1] + 1) * 8;
		if (extension_len > end - offset)
			return MSS_PASS_MALFORMED;
		next = extension[0];
		offset += extension_len;
	}
	return tcp_clamp(skb, ip + offset, end - offset, limit);
}

/* clamp.c's clamp_ppp() on the PPP frame of len bytes behind the PPPoE header. */
static __always_inline enum clamp_result ppp_clamp(struct __sk_buff *skb, __u32 len,
						   const struct mss_limit *limit,
						   enum mss_family *family)
{
	__u32 ppp = PPPOE_FRAME_HEADER_LEN, header;
	__u8 field[2] = { 0xff, 0xff };
	__u8 protocol;

	if (!load(skb, ppp, field, len >= 2 ? 2 : 1))
		return MSS_PASS_NOT_IP;
	/* RFC 1661: a protocol field starting with an odd byte was compressed to it. */
	if (len >= 2 && field[0] == 0x00) {
		protocol = field[1];
		header = 2;
	} else {
		protocol = field[0];
		header = 1;
	}
	switch (protocol) {
	case PPP_PROTOCOL_IPV4:
		*family = MSS_FAMILY_IPV4;
		return ipv4_clamp(skb, ppp + header, len - header, limit->ipv4);
	case PPP_PROTOCOL_IPV6:
		*family = MSS_FAMILY_IPV6;
		return ipv6_clamp(skb, ppp + header, len - header, limit->ipv6);
	default:
		return MSS_PASS_NOT_IP;
	}
}

static __always_inline bool is_ac_mac(const __u8 *mac)
{
	__u8 differ = 0;

#pragma unroll
	for (int i = 0; i < PPPOE_MAC_LEN; i++)
		differ |= mac[i] ^ clamp_target.ac_mac[i];
	return differ == 0;
}

static __always_inline int clamp_session_frame(struct __sk_buff *skb, enum ppp_direction direction)
{
	__u8 header[PPPOE_FRAME_HEADER_LEN];
	const struct clamp_bpf_limits *limits;
	struct clamp_bpf_counts *counts;
	enum mss_family family = MSS_FAMILY_COUNT;
	enum clamp_result result;
	__u32 key = 0, ppp_len;

	/*
	 * A VLAN tag in the skb's metadata (taken off on receive, or to be put
	 * on by the device) belongs to a VLAN device stacked on ours, not to our
	 * session.  Priority tags (VLAN 0) are delivered to this device itself.
	 */
	if (skb->vlan_present && (skb->vlan_tci & VLAN_VID_MASK))
		return TC_ACT_UNSPEC;
	if (!load(skb, 0, header, sizeof(header)))
		return TC_ACT_UNSPEC;
	if (header[12] != PPPOE_ETHERTYPE_SESSION >> 8 ||
	    header[13] != (PPPOE_ETHERTYPE_SESSION & 0xff) || header[14] != PPPOE_VERSION_TYPE ||
	    header[15] != PPPOE_CODE_SESSION ||
	    ((__u16)header[16] << 8 | header[17]) != clamp_target.session_id)
		return TC_ACT_UNSPEC;
	/* The AC sends from its MAC and we send to it; anyone else may forge the id. */
	if (!is_ac_mac(direction == PPP_INBOUND ? header + PPPOE_MAC_LEN : header))
		return TC_ACT_UNSPEC;
	/*
	 * The PPPoE length bounds the PPP frame; what follows is Ethernet
	 * padding.  A length past the frame's end makes no frame (the kernel's
	 * pppoe_rcv() drops it), and without even a protocol field there is
	 * nothing to clamp: the relay counts neither, nor does this.
	 */
	ppp_len = (__u32)header[18] << 8 | header[19];
	if (ppp_len == 0 || ppp_len > skb->len - PPPOE_FRAME_HEADER_LEN)
		return TC_ACT_UNSPEC;

	limits = bpf_map_lookup_elem(&clamp_limits, &key);
	if (!limits)
		return TC_ACT_UNSPEC;
	result = ppp_clamp(skb, ppp_len, &limits->limit[direction], &family);
	counts = bpf_map_lookup_elem(&clamp_counts, &key);
	if (counts && (unsigned)result < MSS_RESULT_COUNT)
		counts->result[direction][result]++;
	if (counts && result == MSS_CLAMPED && (unsigned)family < MSS_FAMILY_COUNT)
		counts->clamped[direction][family]++;
	return TC_ACT_UNSPEC;
}

/* Egress: frames towards the AC (outbound limits); ingress: from the AC (inbound). */
SEC("tc")
int clamp_egress(struct __sk_buff *skb)
{
	return clamp_session_frame(skb, PPP_OUTBOUND);
}

SEC("tc")
int clamp_ingress(struct __sk_buff *skb)
{
	return clamp_session_frame(skb, PPP_INBOUND);
}
