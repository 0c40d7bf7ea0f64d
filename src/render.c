/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Text for logs, state files and scripts: MACs, and what the access
 * concentrator chose (AC-Name and other tag values), which must neither
 * start a line of its own nor mean anything to a shell.
 */
#include "render.h"

#include <stdbool.h>
#include <stdio.h>

void render_mac(const uint8_t mac[PPPOE_MAC_LEN], char out[RENDER_MAC_LEN])
{
	snprintf(out, RENDER_MAC_LEN, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

void render_printable(const uint8_t *value, size_t len, char *out, size_t capacity)
{
	size_t n = 0;

	if (capacity == 0)
		return;
	for (size_t i = 0; i < len && n + 1 < capacity; i++)
		out[n++] = (value[i] >= 0x20 && value[i] < 0x7f) ? (char)value[i] : '?';
	out[n] = '\0';
}

static bool portable_filename_char(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

void render_script_safe(const uint8_t *value, size_t len, char *out, size_t capacity)
{
	size_t n = 0;

	if (capacity == 0)
		return;
	for (size_t i = 0; i < len && n + 1 < capacity; i++) {
		bool safe = portable_filename_char(value[i]) &&
			    !(i == 0 && (value[i] == '-' || value[i] == '.'));

		out[n++] = safe ? (char)value[i] : '_';
	}
	out[n] = '\0';
}
