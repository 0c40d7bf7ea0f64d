/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The text forms users type: numbers, MAC addresses, hex strings,
 * "sess:mac", "disc:sess" ethertypes.  Shared by the standalone program, the
 * plugin and the state files so that all accept exactly the same spellings.
 */
#ifndef PPPOE_MSS_PARSE_H
#define PPPOE_MSS_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pppoe.h"

/* "aa:bb:cc:dd:ee:ff" (also '-' separated); exactly six hex pairs. */
bool parse_mac(const char *text, uint8_t mac[PPPOE_MAC_LEN]);

/* An even number of hex digits, optionally prefixed "0x"; returns the byte
 * count, or -1 when malformed, empty or longer than capacity. */
int parse_hex(const char *text, uint8_t *out, size_t capacity);

/* "sess:mac" with sess in decimal 1..65535 (rp-pppoe's -e, pppd's pppoe-sess). */
bool parse_session(const char *text, uint16_t *session_id, uint8_t mac[PPPOE_MAC_LEN]);

/* "disc:sess" in hex (rp-pppoe's -f), e.g. "3c12:3c13"; both non-zero and different. */
bool parse_ethertypes(const char *text, struct pppoe_ethertypes *types);

/* A decimal in [min, max], nothing else on the line. */
bool parse_uint(const char *text, unsigned long min, unsigned long max, unsigned long *out);

#endif
