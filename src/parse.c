/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Parsing what users type on the command line or in pppd options, and what
 * our own state files hold.  Strict on purpose: a half-parsed MAC or a
 * session id with trailing junk would send a PADT to the wrong session.
 */
#include "parse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int hex_digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool parse_mac(const char *text, uint8_t mac[PPPOE_MAC_LEN])
{
	uint8_t parsed[PPPOE_MAC_LEN];
	size_t pos = 0;

	if (text == NULL)
		return false;
	for (int i = 0; i < PPPOE_MAC_LEN; i++) {
		if (i > 0) {
			if (text[pos] != ':' && text[pos] != '-')
				return false;
			pos++;
		}
		int high = hex_digit_value(text[pos]);
		int low = high < 0 ? -1 : hex_digit_value(text[pos + 1]);
		if (low < 0)
			return false;
		parsed[i] = (uint8_t)(high << 4 | low);
		pos += 2;
	}
	if (text[pos] != '\0')
		return false;
	memcpy(mac, parsed, PPPOE_MAC_LEN);
	return true;
}

int parse_hex(const char *text, uint8_t *out, size_t capacity)
{
	size_t digits;

	if (text == NULL)
		return -1;
	if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
		text += 2;
	digits = strlen(text);
	if (digits == 0 || digits % 2 != 0 || digits / 2 > capacity || digits / 2 > INT32_MAX)
		return -1;
	for (size_t i = 0; i < digits / 2; i++) {
		int high = hex_digit_value(text[2 * i]);
		int low = hex_digit_value(text[2 * i + 1]);
		if (high < 0 || low < 0)
			return -1;
		out[i] = (uint8_t)(high << 4 | low);
	}
	return (int)(digits / 2);
}

bool parse_uint(const char *text, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long value;

	if (text == NULL || text[0] < '0' || text[0] > '9')
		return false;
	errno = 0;
	value = strtoul(text, &end, 10);
	if (errno != 0 || *end != '\0' || value < min || value > max)
		return false;
	*out = value;
	return true;
}

bool parse_session(const char *text, uint16_t *session_id, uint8_t mac[PPPOE_MAC_LEN])
{
	const char *colon;
	char number[8];
	unsigned long value;
	size_t len;

	if (text == NULL || (colon = strchr(text, ':')) == NULL)
		return false;
	len = (size_t)(colon - text);
	if (len == 0 || len >= sizeof(number))
		return false;
	memcpy(number, text, len);
	number[len] = '\0';
	/* Session id 0 is reserved for discovery (RFC 2516 section 4). */
	if (!parse_uint(number, 1, 0xffff, &value))
		return false;
	if (!parse_mac(colon + 1, mac))
		return false;
	*session_id = (uint16_t)value;
	return true;
}

static bool parse_hex16(const char *text, size_t len, uint16_t *out)
{
	unsigned value = 0;

	if (len == 0 || len > 4)
		return false;
	for (size_t i = 0; i < len; i++) {
		int digit = hex_digit_value(text[i]);
		if (digit < 0)
			return false;
		value = value << 4 | (unsigned)digit;
	}
	*out = (uint16_t)value;
	return true;
}

bool parse_ethertypes(const char *text, struct pppoe_ethertypes *types)
{
	const char *colon;
	struct pppoe_ethertypes parsed;

	if (text == NULL || (colon = strchr(text, ':')) == NULL)
		return false;
	if (!parse_hex16(text, (size_t)(colon - text), &parsed.discovery) ||
	    !parse_hex16(colon + 1, strlen(colon + 1), &parsed.session))
		return false;
	if (parsed.discovery == 0 || parsed.session == 0 || parsed.discovery == parsed.session)
		return false;
	*types = parsed;
	return true;
}
