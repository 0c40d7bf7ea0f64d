/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every fuzz target shares: reading the fuzzer's input as a little
 * stream of fields and records, exact-size heap copies (so AddressSanitizer
 * sees a read one byte past what was "received"), and aborting with a line
 * that names the broken invariant.  Missing input reads as zeros, so every
 * input means something and short inputs stay cheap.
 */
#ifndef PPPOE_MSS_FUZZ_INPUT_H
#define PPPOE_MSS_FUZZ_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fuzz_input {
	const uint8_t *data;
	size_t len;
};

static inline uint8_t fuzz_u8(struct fuzz_input *in)
{
	uint8_t value;

	if (in->len == 0)
		return 0;
	value = in->data[0];
	in->data++;
	in->len--;
	return value;
}

static inline uint16_t fuzz_u16(struct fuzz_input *in)
{
	uint16_t high = fuzz_u8(in);

	return (uint16_t)(high << 8 | fuzz_u8(in));
}

static inline uint32_t fuzz_u32(struct fuzz_input *in)
{
	uint32_t high = fuzz_u16(in);

	return high << 16 | fuzz_u16(in);
}

/* Up to want bytes (fewer when the input runs out); *got says how many. */
static inline const uint8_t *fuzz_bytes(struct fuzz_input *in, size_t want, size_t *got)
{
	const uint8_t *start = in->data;

	*got = want < in->len ? want : in->len;
	in->data += *got;
	in->len -= *got;
	return start;
}

/*
 * One record of a stream of frames: a 16-bit big-endian length, then that
 * many bytes (fewer when the input ends first).  False once nothing is left.
 */
static inline bool fuzz_record(struct fuzz_input *in, const uint8_t **data, size_t *len)
{
	if (in->len == 0)
		return false;
	*data = fuzz_bytes(in, fuzz_u16(in), len);
	return true;
}

/*
 * An exact-size heap copy of len bytes plus headroom writable bytes in front.
 * An empty copy still gets a valid pointer (malloc(0) may return NULL), as
 * the code under test may do pointer arithmetic on it.
 */
static inline uint8_t *fuzz_copy(const uint8_t *data, size_t len, size_t headroom)
{
	uint8_t *copy = malloc(headroom + len ? headroom + len : 1);

	if (!copy)
		abort();
	if (len)
		memcpy(copy + headroom, data, len);
	return copy;
}

/*
 * For the targets' own reference models and byte-by-byte comparisons: their
 * branches guide the fuzzer nowhere the code under test does not, and
 * without comparison tracing they run several times faster.
 */
#if defined(__clang__)
#define FUZZ_UNTRACED __attribute__((no_sanitize("coverage")))
#else
#define FUZZ_UNTRACED
#endif

#define FUZZ_CHECK(condition)                                                         \
	do {                                                                          \
		if (!(condition)) {                                                   \
			fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__,    \
				__LINE__, #condition);                                \
			abort();                                                      \
		}                                                                     \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
