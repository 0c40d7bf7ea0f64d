/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Big-endian (network order) 16- and 32-bit fields at any alignment: the one
 * set of helpers for the engine and for the tests, which build and read
 * their frames byte by byte with them rather than through the engine.
 */
#ifndef PPPOE_MSS_BYTE_ORDER_H
#define PPPOE_MSS_BYTE_ORDER_H

#include <stdint.h>

static inline uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)get_be16(p) << 16 | get_be16(p + 2);
}

static inline void put_be16(uint8_t *p, uint16_t value)
{
	p[0] = (uint8_t)(value >> 8);
	p[1] = (uint8_t)value;
}

static inline void put_be32(uint8_t *p, uint32_t value)
{
	put_be16(p, (uint16_t)(value >> 16));
	put_be16(p + 2, (uint16_t)value);
}

#endif
