/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Text for logs, state files and scripts: MAC addresses, and safe
 * renderings of the texts the access concentrator chooses.
 */
#ifndef PPPOE_MSS_RENDER_H
#define PPPOE_MSS_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "pppoe.h"

#define RENDER_MAC_LEN 18  /* "aa:bb:cc:dd:ee:ff" and its NUL */

/* Lower-case hex pairs with ':' between them, as parse_mac reads them back. */
void render_mac(const uint8_t mac[PPPOE_MAC_LEN], char out[RENDER_MAC_LEN]);

/* Printable rendering of a tag value (AC-Name, Service-Name, error text) for
 * logs: control and non-ASCII bytes become '?', cut to capacity - 1. */
void render_printable(const uint8_t *value, size_t len, char *out, size_t capacity);

/*
 * A tag value chosen by the peer (AC-Name) for the environment of the
 * scripts pppd runs as root, which may well expand it unquoted or make a
 * file name of it: only the POSIX portable filename characters A-Z a-z 0-9
 * . _ - pass, every other byte becomes '_', and so does a leading '-' or '.'
 * (never an option, never "." or "..").  Cut to capacity - 1.
 */
void render_script_safe(const uint8_t *value, size_t len, char *out, size_t capacity);

#endif
