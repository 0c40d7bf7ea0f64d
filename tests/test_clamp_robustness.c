/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The clamp never reads past the buffer nor writes where it should not
 * (tests/test_clamp): packets cut at every length, and random SYNs and
 * random mutations of them, with and without PPP framing.
 */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "byte_order.h"
#include "clamp.h"
#include "clamp_packet.h"
#include "test_clamp.h"

/* ---- never past the buffer, never a stray write ---- */

static void truncate_everywhere(const struct packet *p, uint16_t limit)
{
	const struct mss_limit limits = { .ipv4 = limit, .ipv6 = limit };
	uint8_t frame[PACKET_MAX + 2];

	for (size_t cut = 0; cut <= p->len; cut++) {
		struct packet copy = *p;

		ck_assert_int_eq(clamp_bytes(p->family, copy.bytes, cut, limit),
				 cut == p->len ? MSS_CLAMPED : MSS_PASS_MALFORMED);
	}
	for (int compressed = 0; compressed < 2; compressed++) {
		size_t header = compressed ? 1 : 2;
		size_t len = ppp_frame(frame, ppp_protocol(p->family), compressed, p->bytes, p->len);

		for (size_t cut = 0; cut <= len; cut++) {
			uint8_t copy[PACKET_MAX + 2];
			enum clamp_result want;

			memcpy(copy, frame, len);
			if (cut < header)
				want = MSS_PASS_NOT_IP;
			else if (cut < len)
				want = MSS_PASS_MALFORMED;
			else
				want = MSS_CLAMPED;
			ck_assert_int_eq(clamp_frame(copy, cut, limits, NULL), want);
		}
	}
}

START_TEST(truncated_every_length)
{
	struct packet p;

	build_ipv4(&p, 8, TCP_SYN, linux_syn_options, sizeof(linux_syn_options), 10);
	truncate_everywhere(&p, 1400);
	build_ipv6(&p, ipv6_chain, sizeof(ipv6_chain), NEXT_HOP_BY_HOP, TCP_SYN | TCP_ACK,
		   linux_syn_options, sizeof(linux_syn_options), 10);
	truncate_everywhere(&p, 1400);
}
END_TEST

/*
 * Cut the packet and make its IP length agree, so that the cut lands in the
 * extension headers, TCP header or options with every length field consistent
 * with the buffer except the innermost one.
 */
static void shrink_everywhere(const struct packet *original, uint16_t limit)
{
	size_t header = original->family == MSS_FAMILY_IPV4 ? (size_t)(original->bytes[0] & 15) * 4
							      : IPV6_HEADER;
	size_t options_end = original->tcp + (size_t)(original->bytes[original->tcp + 12] >> 4) * 4;

	for (size_t cut = header; cut <= original->len; cut++) {
		struct packet p = *original;
		enum clamp_result want;

		p.len = cut;
		if (p.family == MSS_FAMILY_IPV4)
			put_be16(p.bytes + 2, (uint16_t)cut);
		else
			put_be16(p.bytes + 4, (uint16_t)(cut - IPV6_HEADER));
		if (cut >= original->tcp + TCP_HEADER)
			tcp_seal(&p);
		want = cut >= options_end ? MSS_CLAMPED : MSS_PASS_MALFORMED;
		check_clamp(&p, limit, want);
	}
}

START_TEST(shrunk_every_length)
{
	struct packet p;

	build_ipv4(&p, 4, TCP_SYN, linux_syn_options, sizeof(linux_syn_options), 7);
	shrink_everywhere(&p, 1400);
	build_ipv6(&p, ipv6_chain, sizeof(ipv6_chain), NEXT_HOP_BY_HOP, TCP_SYN,
		   linux_syn_options, sizeof(linux_syn_options), 7);
	shrink_everywhere(&p, 1400);
}
END_TEST

static uint16_t random_mss(void)
{
	switch (random_below(4)) {
	case 0:
		return (uint16_t)random_next();
	case 1:
		return (uint16_t)(1380 + random_below(100));
	default:
		return (uint16_t)(random_below(9000));
	}
}

/* A well-formed option area of 0-40 bytes: every known option shape, some unknown ones. */
static size_t random_options(uint8_t *options)
{
	size_t room = 4 * random_below(11), len = 0;

	while (len < room) {
		size_t left = room - len;

		switch (random_below(9)) {
		case 0:
			options[len++] = 1;
			break;
		case 1:
		case 2:
			if (left < 4)
				break;
			options[len] = 2;
			options[len + 1] = 4;
			put_be16(options + len + 2, random_mss());
			len += 4;
			break;
		case 3:
			if (left < 3)
				break;
			options[len] = 3;
			options[len + 1] = 3;
			options[len + 2] = (uint8_t)random_below(15);
			len += 3;
			break;
		case 4:
			if (left < 2)
				break;
			options[len] = 4;
			options[len + 1] = 2;
			len += 2;
			break;
		case 5:
			if (left < 10)
				break;
			options[len] = 8;
			options[len + 1] = 10;
			for (size_t i = 2; i < 10; i++)
				options[len + i] = (uint8_t)random_next();
			len += 10;
			break;
		case 6: {
			/* SACK blocks, or any unknown kind: a length to skip by. */
			uint8_t kind = (uint8_t)(3 + random_below(253));
			size_t option_len;

			if (left < 2)
				break;
			option_len = 2 + random_below((uint32_t)left - 1);
			if (kind == 3 || kind == 4 || kind == 8)
				kind = 5;
			options[len] = kind;
			options[len + 1] = (uint8_t)option_len;
			for (size_t i = 2; i < option_len; i++)
				options[len + i] = (uint8_t)random_next();
			len += option_len;
			break;
		}
		case 7:
			if (random_below(4))
				break;
			/* End of List: what follows is never looked at. */
			options[len++] = 0;
			while (len < room)
				options[len++] = (uint8_t)random_next();
			break;
		default:
			break;
		}
	}
	return room;
}

static const uint8_t random_flags[] = {
	TCP_SYN, TCP_SYN, TCP_SYN | TCP_ACK, TCP_SYN | TCP_ACK, TCP_ACK, TCP_ACK | TCP_PSH,
	TCP_FIN | TCP_ACK, TCP_RST, TCP_SYN | 0xc0, TCP_SYN | TCP_FIN,
};

static void random_packet(struct packet *p)
{
	uint8_t options[40];
	size_t options_len = random_options(options);
	uint8_t flags = random_flags[random_below(sizeof(random_flags))];
	size_t data_len = random_below(3) ? 0 : random_below(64);

	if (random_below(2)) {
		build_ipv4(p, 4 * random_below(3), flags, options, options_len, data_len);
	} else {
		size_t ext_len = 8 * random_below(7);

		build_ipv6(p, ipv6_chain, ext_len, NEXT_HOP_BY_HOP, flags, options, options_len,
			   data_len);
		/* End the chain early at a random header boundary. */
		if (ext_len == 8 || ext_len == 24 || ext_len == 48) {
			if (ext_len == 8)
				p->bytes[IPV6_HEADER] = NEXT_TCP;
			else if (ext_len == 24)
				p->bytes[IPV6_HEADER + 8] = NEXT_TCP;
			tcp_seal(p);
		} else {
			build_ipv6(p, NULL, 0, NEXT_TCP, flags, options, options_len, data_len);
		}
	}
	/* Random ports and sequence numbers: random checksums. */
	for (size_t i = 0; i < 8; i++)
		p->bytes[p->tcp + i] = (uint8_t)random_next();
	tcp_seal(p);
}

START_TEST(random_syns)
{
	uint8_t frame[PACKET_MAX + 2 + 16], expected_frame[PACKET_MAX + 2 + 16];
	unsigned clamped = 0, within = 0;

	random_seed(0x2545f491);
	for (unsigned round = 0; round < 20000; round++) {
		struct packet p, expected;
		size_t at[10], count, header, len, padding = random_below(4) ? 0 : random_below(17);
		uint16_t limit = random_below(8) ? (uint16_t)(88 + random_below(1500))
						 : (uint16_t)random_next();
		struct mss_limit limits;
		enum clamp_result want, result;
		bool syn, above = false;
		int framing = (int)random_below(3);

		random_packet(&p);
		ck_assert(tcp_checksum_ok(&p));
		syn = p.bytes[p.tcp + 13] & TCP_SYN;
		count = mss_options(&p, at, 10);
		for (size_t i = 0; i < count; i++)
			above |= get_be16(p.bytes + at[i]) > limit;
		if (!syn)
			want = MSS_PASS_NOT_SYN;
		else if (limit == 0)
			want = MSS_PASS_DISABLED;
		else if (count == 0)
			want = MSS_PASS_NO_MSS;
		else
			want = above ? MSS_CLAMPED : MSS_PASS_WITHIN_LIMIT;
		expected_clamp(&p, limit, &expected);
		if (want != MSS_CLAMPED)
			expected = p;

		/* Bare, or in a PPP frame with either protocol form and some padding. */
		header = framing == 0 ? 0 : framing == 1 ? 1 : 2;
		if (header) {
			len = ppp_frame(frame, ppp_protocol(p.family), header == 1, p.bytes, p.len);
			ppp_frame(expected_frame, ppp_protocol(p.family), header == 1,
				  expected.bytes, p.len);
		} else {
			memcpy(frame, p.bytes, p.len);
			memcpy(expected_frame, expected.bytes, p.len);
			len = p.len;
		}
		for (size_t i = 0; i < padding; i++)
			frame[len + i] = expected_frame[len + i] = (uint8_t)random_next();
		len += padding;

		if (header) {
			limits.ipv4 = p.family == MSS_FAMILY_IPV4 ? limit : (uint16_t)random_next();
			limits.ipv6 = p.family == MSS_FAMILY_IPV6 ? limit : (uint16_t)random_next();
			result = clamp_frame(frame, len, limits, NULL);
		} else {
			result = clamp_bytes(p.family, frame, len, limit);
		}
		ck_assert_int_eq(result, want);
		ck_assert_mem_eq(frame, expected_frame, len);
		if (result == MSS_CLAMPED) {
			clamped++;
			memcpy(p.bytes, frame + header, p.len);
			ck_assert(tcp_checksum_ok(&p));
			for (size_t i = 0; i < count; i++) {
				ck_assert_uint_le(get_be16(p.bytes + at[i]), limit);
				ck_assert_uint_le(get_be16(p.bytes + at[i]),
						  get_be16(expected.bytes + at[i]));
			}
		} else if (result == MSS_PASS_WITHIN_LIMIT) {
			within++;
		}
	}
	/* The generator must actually reach both interesting outcomes. */
	ck_assert_uint_gt(clamped, 2000);
	ck_assert_uint_gt(within, 500);
}
END_TEST

START_TEST(random_mutations)
{
	/* Flip bytes anywhere in valid SYNs: never a crash, never a write unless clamped. */
	const struct mss_limit limits = { .ipv4 = 1400, .ipv6 = 1380 };
	uint8_t frame[PACKET_MAX + 2];

	random_seed(0x9e3779b9);
	for (unsigned round = 0; round < 20000; round++) {
		struct packet p;
		size_t len, flips = 1 + random_below(4);

		random_packet(&p);
		len = ppp_frame(frame, ppp_protocol(p.family), random_below(2), p.bytes, p.len);
		for (size_t i = 0; i < flips; i++)
			frame[random_below((uint32_t)len)] ^= (uint8_t)(1 + random_below(255));
		len -= random_below(4) ? 0 : random_below((uint32_t)len + 1);
		clamp_frame(frame, len, limits, NULL);
	}
}
END_TEST

TCase *clamp_robustness_tcase(void)
{
	TCase *tc = tcase_create("robustness");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, truncated_every_length);
	tcase_add_test(tc, shrunk_every_length);
	tcase_add_test(tc, random_syns);
	tcase_add_test(tc, random_mutations);
	return tc;
}
