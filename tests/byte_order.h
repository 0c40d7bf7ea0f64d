/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Big-endian (network order) fields for the test and benchmark programs,
 * which build and read frames byte by byte on their own rather than
 * through the engine they test.
 */
#ifndef PPPOE_MSS_TESTS_BYTE_ORDER_H
#define PPPOE_MSS_TESTS_BYTE_ORDER_H

#include <stdint.h>

static inline uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

static inline void put16(uint8_t *p, uint16_t value)
{
	p[0] = (uint8_t)(value >> 8);
	p[1] = (uint8_t)value;
}

static inline void put32(uint8_t *p, uint32_t value)
{
	put16(p, (uint16_t)(value >> 16));
	put16(p + 2, (uint16_t)value);
}

#endif
