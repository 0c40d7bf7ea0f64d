/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The FCS-16 of RFC 1662 (reflected polynomial 0x8408), sixteen bytes per
 * step (slice-by-16): fcs_table[0] is the usual byte table, fcs_table[k][i]
 * the contribution of byte i followed by k zero bytes, which lets sixteen
 * independent lookups advance the FCS by sixteen bytes instead of a chain of
 * sixteen dependent ones.  The table is built when the program (or pppd's
 * plugin) is loaded, from the recurrence below; tests/test_hdlc.c checks
 * the result against a bitwise FCS.
 */
#include "hdlc.h"

#define FCS_POLYNOMIAL 0x8408  /* x^16 + x^12 + x^5 + 1, reflected */

static uint16_t fcs_table[16][256];

/*
 *	t[0][i] = i shifted right eight times, xoring the polynomial whenever a 1 drops out
 *	t[k][i] = (t[k-1][i] >> 8) ^ t[0][t[k-1][i] & 0xff]
 */
__attribute__((constructor)) static void fcs_table_build(void)
{
	for (unsigned int i = 0; i < 256; i++) {
		uint16_t value = (uint16_t)i;

		for (int bit = 0; bit < 8; bit++)
			value = (uint16_t)(value & 1 ? (value >> 1) ^ FCS_POLYNOMIAL : value >> 1);
		fcs_table[0][i] = value;
	}
	for (unsigned int k = 1; k < 16; k++)
		for (unsigned int i = 0; i < 256; i++)
			fcs_table[k][i] = (uint16_t)((fcs_table[k - 1][i] >> 8) ^
						     fcs_table[0][fcs_table[k - 1][i] & 0xff]);
}

uint16_t hdlc_fcs16(uint16_t fcs, const uint8_t *data, size_t len)
{
	/* Bytes are combined explicitly, so this works in any host byte order. */
	while (len >= 16) {
		/*
		 * Only the first two lookups depend on the FCS so far; xoring
		 * the other fourteen separately keeps them off that chain
		 * (clang otherwise strings all sixteen along it).
		 */
		uint16_t rest = fcs_table[13][data[2]] ^ fcs_table[12][data[3]] ^
				fcs_table[11][data[4]] ^ fcs_table[10][data[5]] ^
				fcs_table[9][data[6]] ^ fcs_table[8][data[7]] ^
				fcs_table[7][data[8]] ^ fcs_table[6][data[9]] ^
				fcs_table[5][data[10]] ^ fcs_table[4][data[11]] ^
				fcs_table[3][data[12]] ^ fcs_table[2][data[13]] ^
				fcs_table[1][data[14]] ^ fcs_table[0][data[15]];

		fcs ^= (uint16_t)(data[0] | data[1] << 8);
		fcs = fcs_table[15][fcs & 0xff] ^ fcs_table[14][fcs >> 8] ^ rest;
		data += 16;
		len -= 16;
	}
	/* One eight-byte step halves the byte steps left for the last 8-15. */
	if (len >= 8) {
		uint16_t rest = fcs_table[5][data[2]] ^ fcs_table[4][data[3]] ^
				fcs_table[3][data[4]] ^ fcs_table[2][data[5]] ^
				fcs_table[1][data[6]] ^ fcs_table[0][data[7]];

		fcs ^= (uint16_t)(data[0] | data[1] << 8);
		fcs = fcs_table[7][fcs & 0xff] ^ fcs_table[6][fcs >> 8] ^ rest;
		data += 8;
		len -= 8;
	}
	while (len--)
		fcs = (fcs >> 8) ^ fcs_table[0][(fcs ^ *data++) & 0xff];
	return fcs;
}
