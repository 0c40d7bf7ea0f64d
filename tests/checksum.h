/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An independent Internet checksum for the tests (RFC 1071, byte by byte),
 * so that what the clamps patch incrementally is checked against a full
 * recomputation that shares no code with them.
 */
#ifndef PPPOE_MSS_TESTS_CHECKSUM_H
#define PPPOE_MSS_TESTS_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

/* Adds len bytes to sum as big-endian 16-bit words (data starts a word). */
static inline uint32_t sum_bytes(uint32_t sum, const uint8_t *data, size_t len)
{
	for (size_t i = 0; i < len; i++)
		sum += (i & 1) ? data[i] : (uint32_t)data[i] << 8;
	return sum;
}

static inline uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

#endif
