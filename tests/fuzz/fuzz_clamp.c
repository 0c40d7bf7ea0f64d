/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target for src/clamp.c: any frame through clamp_ppp(),
 * clamp_ipv4() or clamp_ipv6(), then checked against a reference
 * written here from the RFCs (IPv4, IPv6 extension headers, TCP options,
 * RFC 1071 checksum), independent of the clamp's own parsing:
 *   - nothing changes unless the result is MSS_CLAMPED;
 *   - when clamped, only MSS option values and the TCP checksum changed,
 *     every MSS above the limit became the limit and no other MSS moved;
 *   - a checksum that matched a full recomputation before still matches;
 *   - a well-formed SYN with an MSS above a nonzero limit is clamped, and
 *     the result names what the reference sees (no MSS, within limit, ...);
 *   - clamping twice changes nothing the second time.
 *
 * Input: entry point (1 byte: PPP, IPv4, IPv6), IPv4 limit (2), IPv6 limit
 * (2), then the frame itself.
 */
#include "fuzz_input.h"

#include "byte_order.h"
#include "clamp.h"

#define IPV4_HEADER_MIN 20
#define IPV6_HEADER_LEN 40
#define TCP_HEADER_MIN 20
#define TCP_CHECKSUM_OFFSET 16
#define PROTOCOL_TCP 6
#define TCP_SYN 0x02
/* clamp_ipv6() gives up after this many extension headers (NOT_TCP). */
#define CLAMP_EXTENSION_HEADERS_MAX 8
#define MSS_OPTIONS_MAX 20

enum entry_point { ENTRY_PPP, ENTRY_IPV4, ENTRY_IPV6, ENTRY_COUNT };

/* What the reference sees in the frame. */
struct tcp_view {
	bool is_ip;              /* PPP protocol IPv4/IPv6, or a bare-IP entry point */
	enum mss_family family;
	bool found;              /* a reachable, unfragmented TCP header with sane lengths */
	size_t ip;               /* offsets in the frame */
	size_t tcp;
	size_t tcp_len;          /* TCP header + data, as the IP lengths say */
	size_t header_len;       /* TCP data offset * 4 */
	unsigned extension_headers;
	bool syn;
	bool options_ok;         /* the option list walks cleanly */
	size_t mss_at[MSS_OPTIONS_MAX];  /* offsets (in the frame) of MSS option values */
	size_t mss_count;
};

static void walk_options(const uint8_t *frame, struct tcp_view *view)
{
	const uint8_t *tcp = frame + view->tcp;
	size_t offset = TCP_HEADER_MIN;

	view->options_ok = false;
	while (offset < view->header_len) {
		uint8_t kind = tcp[offset];
		size_t length;

		if (kind == 0)  /* End of Option List: the rest is padding */
			break;
		if (kind == 1) {  /* No-Operation */
			offset++;
			continue;
		}
		if (offset + 1 >= view->header_len)
			return;
		length = tcp[offset + 1];
		if (length < 2 || offset + length > view->header_len)
			return;
		if (kind == 2) {
			if (length != 4)
				return;
			FUZZ_CHECK(view->mss_count < MSS_OPTIONS_MAX);
			view->mss_at[view->mss_count++] = view->tcp + offset + 2;
		}
		offset += length;
	}
	view->options_ok = true;
}

static void locate_ipv4(const uint8_t *frame, size_t len, struct tcp_view *view)
{
	const uint8_t *ip = frame + view->ip;
	size_t available = len - view->ip, header, total;

	if (available < IPV4_HEADER_MIN || ip[0] >> 4 != 4)
		return;
	header = (size_t)(ip[0] & 0x0f) * 4;
	total = get_be16(ip + 2);
	if (header < IPV4_HEADER_MIN || total < header || total > available)
		return;
	/* More Fragments, or a fragment offset. */
	if ((ip[6] & 0x20) || (get_be16(ip + 6) & 0x1fff) || ip[9] != PROTOCOL_TCP)
		return;
	view->tcp = view->ip + header;
	view->tcp_len = total - header;
	view->found = true;
}

static void locate_ipv6(const uint8_t *frame, size_t len, struct tcp_view *view)
{
	const uint8_t *ip = frame + view->ip;
	size_t available = len - view->ip, end, offset = IPV6_HEADER_LEN;
	uint8_t next;

	if (available < IPV6_HEADER_LEN || ip[0] >> 4 != 6)
		return;
	end = IPV6_HEADER_LEN + get_be16(ip + 4);
	if (end > available)
		return;
	/* Each header is at least 8 bytes long, so the walk ends. */
	for (next = ip[6]; next != PROTOCOL_TCP; view->extension_headers++) {
		size_t length;

		if (end - offset < 2)
			return;
		if (next == 0 || next == 43 || next == 60)  /* hop-by-hop, routing, destination */
			length = ((size_t)ip[offset + 1] + 1) * 8;
		else
			return;  /* fragment, AH and ESP (IPsec: hands off), no next header, ... */
		if (length > end - offset)
			return;
		next = ip[offset];
		offset += length;
	}
	view->tcp = view->ip + offset;
	view->tcp_len = end - offset;
	view->found = true;
}

static void view_frame(const uint8_t *frame, size_t len, enum entry_point entry,
		       struct tcp_view *view)
{
	memset(view, 0, sizeof(*view));
	if (entry == ENTRY_PPP) {
		uint16_t protocol;

		/* RFC 1661 6.5: a protocol field starting with an odd byte was compressed. */
		if (len >= 2 && frame[0] == 0) {
			protocol = frame[1];
			view->ip = 2;
		} else if (len >= 1 && (frame[0] & 1)) {
			protocol = frame[0];
			view->ip = 1;
		} else {
			return;
		}
		if (protocol == PPP_PROTOCOL_IPV4)
			view->family = MSS_FAMILY_IPV4;
		else if (protocol == PPP_PROTOCOL_IPV6)
			view->family = MSS_FAMILY_IPV6;
		else
			return;
	} else {
		view->family = entry == ENTRY_IPV4 ? MSS_FAMILY_IPV4 : MSS_FAMILY_IPV6;
	}
	view->is_ip = true;
	if (view->family == MSS_FAMILY_IPV4)
		locate_ipv4(frame, len, view);
	else
		locate_ipv6(frame, len, view);
	if (!view->found)
		return;
	if (view->tcp_len < TCP_HEADER_MIN) {
		view->found = false;
		return;
	}
	view->header_len = (size_t)(frame[view->tcp + 12] >> 4) * 4;
	if (view->header_len < TCP_HEADER_MIN || view->header_len > view->tcp_len) {
		view->found = false;
		return;
	}
	view->syn = frame[view->tcp + 13] & TCP_SYN;
	walk_options(frame, view);
}

/* RFC 1071, one byte at a time: even offsets are high bytes. */
FUZZ_UNTRACED
static uint32_t sum_bytes(uint32_t sum, const uint8_t *data, size_t len)
{
	for (size_t i = 0; i < len; i++)
		sum += (i & 1) ? data[i] : (uint32_t)data[i] << 8;
	return sum;
}

/* The checksum a sender computes for the segment, pseudo-header included. */
static uint16_t tcp_checksum(const uint8_t *frame, const struct tcp_view *view)
{
	const uint8_t *ip = frame + view->ip, *tcp = frame + view->tcp;
	uint32_t sum = 0;

	if (view->family == MSS_FAMILY_IPV4)
		sum = sum_bytes(sum, ip + 12, 8);  /* source and destination */
	else
		sum = sum_bytes(sum, ip + 8, 32);
	sum += PROTOCOL_TCP + (uint32_t)(view->tcp_len >> 16) + (uint32_t)(view->tcp_len & 0xffff);
	sum = sum_bytes(sum, tcp, TCP_CHECKSUM_OFFSET);
	sum = sum_bytes(sum, tcp + TCP_CHECKSUM_OFFSET + 2,
			view->tcp_len - TCP_CHECKSUM_OFFSET - 2);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static bool checksum_matches(const uint8_t *frame, const struct tcp_view *view)
{
	return get_be16(frame + view->tcp + TCP_CHECKSUM_OFFSET) == tcp_checksum(frame, view);
}

FUZZ_UNTRACED
static bool is_mss_value_byte(const struct tcp_view *view, size_t at)
{
	for (size_t i = 0; i < view->mss_count; i++)
		if (at == view->mss_at[i] || at == view->mss_at[i] + 1)
			return true;
	return false;
}

static enum clamp_result run_clamp(uint8_t *frame, size_t len, enum entry_point entry,
				   const struct mss_limit *limit, enum mss_family *family)
{
	switch (entry) {
	case ENTRY_IPV4:
		return clamp_ipv4(frame, len, limit->ipv4);
	case ENTRY_IPV6:
		return clamp_ipv6(frame, len, limit->ipv6);
	default:
		return clamp_ppp(frame, len, limit, family);
	}
}

static void check_result_matches_view(enum clamp_result result, const struct tcp_view *view,
				      const uint8_t *original, uint16_t family_limit)
{
	bool above = false;

	FUZZ_CHECK(result >= MSS_PASS_NOT_IP && result < MSS_RESULT_COUNT);
	FUZZ_CHECK(clamp_result_name(result) != NULL);
	if (!view->is_ip) {
		FUZZ_CHECK(result == MSS_PASS_NOT_IP);
		return;
	}
	FUZZ_CHECK(result != MSS_PASS_NOT_IP);
	if (!view->found)
		return;
	/* Past this many extension headers the clamp stops looking. */
	if (view->extension_headers > CLAMP_EXTENSION_HEADERS_MAX) {
		FUZZ_CHECK(result == MSS_PASS_NOT_TCP);
		return;
	}
	if (!view->syn) {
		FUZZ_CHECK(result == MSS_PASS_NOT_SYN);
		return;
	}
	if (family_limit == 0) {
		FUZZ_CHECK(result == MSS_PASS_DISABLED);
		return;
	}
	if (!view->options_ok) {
		FUZZ_CHECK(result == MSS_PASS_MALFORMED);
		return;
	}
	for (size_t i = 0; i < view->mss_count; i++)
		if (get_be16(original + view->mss_at[i]) > family_limit)
			above = true;
	if (above)
		FUZZ_CHECK(result == MSS_CLAMPED);
	else if (view->mss_count > 0)
		FUZZ_CHECK(result == MSS_PASS_WITHIN_LIMIT);
	else
		FUZZ_CHECK(result == MSS_PASS_NO_MSS);
}

static void check_clamped(const uint8_t *original, const uint8_t *frame, size_t len,
			  const struct tcp_view *view, uint16_t family_limit)
{
	size_t checksum_at = view->tcp + TCP_CHECKSUM_OFFSET;

	FUZZ_CHECK(view->found && view->syn && view->options_ok && family_limit != 0);
	for (size_t at = 0; at < len; at++)
		if (original[at] != frame[at])
			FUZZ_CHECK(is_mss_value_byte(view, at) || at == checksum_at ||
				   at == checksum_at + 1);
	for (size_t i = 0; i < view->mss_count; i++) {
		uint16_t before = get_be16(original + view->mss_at[i]);
		uint16_t after = get_be16(frame + view->mss_at[i]);

		/* Never raised; lowered to exactly the limit, and only when above it. */
		FUZZ_CHECK(after <= before);
		FUZZ_CHECK(after <= family_limit);
		FUZZ_CHECK(after == (before > family_limit ? family_limit : before));
	}
	if (checksum_matches(original, view))
		FUZZ_CHECK(checksum_matches(frame, view));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	enum entry_point entry = (enum entry_point)(fuzz_u8(&in) % ENTRY_COUNT);
	struct mss_limit limit;
	enum mss_family family = MSS_FAMILY_COUNT, again_family = MSS_FAMILY_COUNT;
	enum clamp_result result, again;
	struct tcp_view view;
	uint8_t *frame, *original;
	uint16_t family_limit;
	size_t len;
	const uint8_t *bytes;

	limit.ipv4 = fuzz_u16(&in);
	limit.ipv6 = fuzz_u16(&in);
	bytes = fuzz_bytes(&in, in.len, &len);
	frame = fuzz_copy(bytes, len, 0);
	original = fuzz_copy(bytes, len, 0);

	view_frame(original, len, entry, &view);
	family_limit = view.family == MSS_FAMILY_IPV4 ? limit.ipv4 : limit.ipv6;

	result = run_clamp(frame, len, entry, &limit, &family);
	check_result_matches_view(result, &view, original, family_limit);
	if (entry == ENTRY_PPP) {
		if (view.is_ip)
			FUZZ_CHECK(family == view.family);
		else
			FUZZ_CHECK(family == MSS_FAMILY_COUNT);
	}
	if (result == MSS_CLAMPED)
		check_clamped(original, frame, len, &view, family_limit);
	else
		FUZZ_CHECK(len == 0 || memcmp(original, frame, len) == 0);

	/* A clamped frame is within the limit: a second pass leaves it alone. */
	memcpy(original, frame, len);
	again = run_clamp(frame, len, entry, &limit, &again_family);
	FUZZ_CHECK(again != MSS_CLAMPED);
	FUZZ_CHECK(len == 0 || memcmp(original, frame, len) == 0);

	free(frame);
	free(original);
	return 0;
}
