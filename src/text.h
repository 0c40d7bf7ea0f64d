/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The text forms users type: MAC addresses, hex strings, "sess:mac",
 * "disc:sess" ethertypes.  Shared by the standalone program and the plugin so
 * that both accept exactly the same spellings.  And the safe renderings of
 * the texts the access concentrator chooses, for logs and for scripts.
 */
#ifndef PPPOE_MSS_TEXT_H
#define PPPOE_MSS_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pppoe.h"

#define TEXT_MAC_LEN 18  /* "aa:bb:cc:dd:ee:ff" and its NUL */

/* "aa:bb:cc:dd:ee:ff" (also '-' separated); exactly six hex pairs. */
bool text_parse_mac(const char *text, uint8_t mac[PPPOE_MAC_LEN]);
void text_format_mac(const uint8_t mac[PPPOE_MAC_LEN], char out[TEXT_MAC_LEN]);

/* An even number of hex digits, optionally prefixed "0x"; returns the byte
 * count, or -1 when malformed, empty or longer than capacity. */
int text_parse_hex(const char *text, uint8_t *out, size_t capacity);

/* "sess:mac" with sess in decimal 1..65535 (rp-pppoe's -e, pppd's pppoe-sess). */
bool text_parse_session(const char *text, uint16_t *session_id, uint8_t mac[PPPOE_MAC_LEN]);

/* "disc:sess" in hex (rp-pppoe's -f), e.g. "3c12:3c13"; both non-zero and different. */
bool text_parse_ethertypes(const char *text, struct pppoe_ethertypes *types);

/* A decimal in [min, max], nothing else on the line. */
bool text_parse_uint(const char *text, unsigned long min, unsigned long max, unsigned long *out);

/* Printable rendering of a tag value (AC-Name, Service-Name, error text) for
 * logs: control and non-ASCII bytes become '?', cut to capacity - 1. */
void text_printable(const uint8_t *value, size_t len, char *out, size_t capacity);

/*
 * A tag value chosen by the peer (AC-Name) for the environment of the
 * scripts pppd runs as root, which may well expand it unquoted or make a
 * file name of it: only the POSIX portable filename characters A-Z a-z 0-9
 * . _ - pass, every other byte becomes '_', and so does a leading '-' or '.'
 * (never an option, never "." or "..").  Cut to capacity - 1.
 */
void text_script_safe(const uint8_t *value, size_t len, char *out, size_t capacity);

#endif
