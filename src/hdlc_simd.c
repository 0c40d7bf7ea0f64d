/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SSSE3 paths of the HDLC codec (hdlc_simd.h): sixteen bytes per step
 * where the portable word loops of hdlc.c take eight.  Built only for
 * x86-64 with GCC or clang; elsewhere the functions take nothing.
 */
#include "hdlc_simd.h"

#include <string.h>

#include "hdlc.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

/* The plans are built once, before the first encoder or decoder can use
 * them; the relay and pppd are single-threaded. */
static bool simd_ready;

/*
 * Escaping sixteen bytes per step with SSSE3, for the ACCM that escapes every
 * control character.  Compares find the bytes to escape; for each group of
 * eight, a plan picked by their bit mask shuffles the group and its
 * 0x20-xored copy into up to sixteen output bytes (escaped bytes take their
 * xored copy) and ORs the escape characters in front of them.  No branch
 * depends on the data, which is what hdlc.c's word loop loses most time
 * to: in compressed or encrypted data one group in three has no escape and
 * the others have a random number of them.
 */
struct escape_plan {
	uint8_t shuffle[16];  /* source byte per output byte: 0-7 as is, 8-15 xored, 0x80 none */
	uint8_t escape[16];   /* HDLC_ESCAPE where an escaped byte follows */
};

static struct escape_plan escape_plans[256] __attribute__((aligned(16)));
static uint8_t escape_plan_length[256];  /* output bytes: 8 plus one per escape */
/* needs_escape as hdlc_encoder_init() sets it for HDLC_ACCM_ALL: the set the
 * compares find.  Callers may change their table after init (pppd's
 * "escape" option), so each frame checks it still matches. */
static uint8_t all_controls_escaped[256];

static void escape_plans_build(void)
{
	for (unsigned int mask = 0; mask < 256; mask++) {
		struct escape_plan *plan = &escape_plans[mask];
		unsigned int out = 0;

		memset(plan->shuffle, 0x80, sizeof(plan->shuffle));
		memset(plan->escape, 0, sizeof(plan->escape));
		for (unsigned int k = 0; k < 8; k++) {
			if (mask & (1u << k)) {
				plan->escape[out++] = HDLC_ESCAPE;
				plan->shuffle[out++] = (uint8_t)(8 + k);
			} else {
				plan->shuffle[out++] = (uint8_t)k;
			}
		}
		escape_plan_length[mask] = (uint8_t)out;
	}
	for (unsigned int c = 0; c < 32; c++)
		all_controls_escaped[c] = 1;
	all_controls_escaped[HDLC_FLAG] = 1;
	all_controls_escaped[HDLC_ESCAPE] = 1;
}

bool hdlc_simd_escapes(const uint8_t needs_escape[256])
{
	return simd_ready && memcmp(needs_escape, all_controls_escaped, sizeof(all_controls_escaped)) == 0;
}

/* Store the group in source (eight bytes, then the same eight xored) as mask says. */
__attribute__((target("ssse3")))
static inline uint8_t *expand_group(__m128i source, unsigned int mask, uint8_t *out)
{
	const struct escape_plan *plan = &escape_plans[mask];
	__m128i bytes = _mm_shuffle_epi8(source, _mm_load_si128((const __m128i *)plan->shuffle));

	_mm_storeu_si128((__m128i *)out,
			 _mm_or_si128(bytes, _mm_load_si128((const __m128i *)plan->escape)));
	return out + escape_plan_length[mask];
}

/*
 * Escape whole steps of sixteen bytes while at least eight more remain after
 * the step, and report in *done how many were taken.  Each group store may
 * write up to eight bytes past its output; the eight or more bytes still to
 * come overwrite them, so nothing past the encoded frame is touched.
 */
__attribute__((target("ssse3")))
uint8_t *hdlc_simd_escape(const uint8_t *in, size_t n, uint8_t *out, size_t *done)
{
	const __m128i last_control = _mm_set1_epi8(0x1f);
	const __m128i flag = _mm_set1_epi8((char)HDLC_FLAG);
	const __m128i escape = _mm_set1_epi8((char)HDLC_ESCAPE);
	const __m128i xor_mask = _mm_set1_epi8(HDLC_ESCAPE_XOR);
	size_t i = 0;

	for (; i + 24 <= n; i += 16) {
		__m128i bytes = _mm_loadu_si128((const __m128i *)(in + i));
		/* Unsigned bytes up to 0x1f are those min(byte, 0x1f) leaves unchanged. */
		__m128i control = _mm_cmpeq_epi8(_mm_min_epu8(bytes, last_control), bytes);
		__m128i special = _mm_or_si128(_mm_cmpeq_epi8(bytes, flag), _mm_cmpeq_epi8(bytes, escape));
		unsigned int mask = (unsigned int)_mm_movemask_epi8(_mm_or_si128(control, special));
		__m128i xored = _mm_xor_si128(bytes, xor_mask);

		out = expand_group(_mm_unpacklo_epi64(bytes, xored), mask & 0xff, out);
		out = expand_group(_mm_unpackhi_epi64(bytes, xored), mask >> 8, out);
	}
	*done = i;
	return out;
}

/*
 * The decoding side of hdlc_simd_escape(): sixteen bytes per step, for
 * each half a plan picked by the mask of its escape characters says which
 * bytes stay, in order, and the byte after each escape is xored first.
 */
struct unescape_plan {
	uint8_t shuffle[16];  /* the bytes that stay, 0x80 after them */
};

static struct unescape_plan unescape_plans[256] __attribute__((aligned(16)));
static uint8_t unescape_plan_length[256];  /* 8 minus the escapes */

static void unescape_plans_build(void)
{
	for (unsigned int mask = 0; mask < 256; mask++) {
		struct unescape_plan *plan = &unescape_plans[mask];
		unsigned int out = 0;

		memset(plan->shuffle, 0x80, sizeof(plan->shuffle));
		for (unsigned int k = 0; k < 8; k++)
			if (!(mask & (1u << k)))
				plan->shuffle[out++] = (uint8_t)k;
		unescape_plan_length[mask] = (uint8_t)out;
	}
}

__attribute__((target("ssse3")))
static inline uint8_t *compress_group(__m128i group, unsigned int escapes, uint8_t *out)
{
	const struct unescape_plan *plan = &unescape_plans[escapes];

	_mm_storel_epi64((__m128i *)out,
			 _mm_shuffle_epi8(group, _mm_load_si128((const __m128i *)plan->shuffle)));
	return out + unescape_plan_length[escapes];
}

/*
 * Unescape steps of sixteen flag-free bytes from in[*done] on while sixteen
 * remain, and leave the rest to the word loop.  An escape in the last byte
 * of a step carries over to the first byte of the next; every step takes
 * exactly sixteen bytes, so no load waits for the one before it.  It stops
 * early, leaving the rest to the word loop, at 7d 7d (0x5d escaped, which
 * only an "escape 5d" peer sends): there the second 7d is data, not an
 * escape.  Each group store writes eight bytes however many stay; output
 * never runs ahead of input, so they fall inside the room the caller
 * checked.
 */
__attribute__((target("ssse3")))
static uint8_t *unescape_steps(const uint8_t *in, size_t n, uint8_t *out, bool *pending,
			       size_t *done)
{
	const __m128i escape = _mm_set1_epi8((char)HDLC_ESCAPE);
	const __m128i xor_mask = _mm_set1_epi8(HDLC_ESCAPE_XOR);
	/* A local, as stores through out could otherwise alias it. */
	unsigned int carried = *pending;
	size_t i = *done;

	for (; n - i >= 16; i += 16) {
		__m128i bytes = _mm_loadu_si128((const __m128i *)(in + i));
		__m128i escapes = _mm_cmpeq_epi8(bytes, escape);
		unsigned int mask = (unsigned int)_mm_movemask_epi8(escapes);

		if ((mask & (mask << 1 | carried)) != 0)
			break;
		/* Each escaped byte sits one place after its escape, the first
		 * one maybe after the last byte of the step before. */
		__m128i escaped = _mm_or_si128(_mm_slli_si128(escapes, 1),
					       _mm_cvtsi32_si128((int)(carried * 0xff)));
		bytes = _mm_xor_si128(bytes, _mm_and_si128(escaped, xor_mask));
		out = compress_group(bytes, mask & 0xff, out);
		out = compress_group(_mm_srli_si128(bytes, 8), mask >> 8, out);
		carried = mask >> 15;
	}
	*pending = carried;
	*done = i;
	return out;
}

void hdlc_simd_prepare(void)
{
	if (simd_ready || !__builtin_cpu_supports("ssse3"))
		return;
	escape_plans_build();
	unescape_plans_build();
	simd_ready = true;
}

uint8_t *hdlc_simd_unescape(const uint8_t *in, size_t n, uint8_t *out, bool *pending, size_t *done)
{
	return simd_ready ? unescape_steps(in, n, out, pending, done) : out;
}
#else
void hdlc_simd_prepare(void)
{
}

bool hdlc_simd_escapes(const uint8_t needs_escape[256])
{
	(void)needs_escape;
	return false;
}

uint8_t *hdlc_simd_escape(const uint8_t *in, size_t n, uint8_t *out, size_t *done)
{
	(void)in;
	(void)n;
	*done = 0;
	return out;
}

uint8_t *hdlc_simd_unescape(const uint8_t *in, size_t n, uint8_t *out, bool *pending, size_t *done)
{
	(void)in;
	(void)n;
	(void)pending;
	(void)done;
	return out;
}
#endif
