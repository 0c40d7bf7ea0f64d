/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PPP's own vocabulary (RFC 1661), as the frames inside PPPoE carry it: the
 * protocol numbers we look at, the address and control bytes that pppd
 * writes on a pty and PPPoE leaves out (RFC 2516 section 7), the MRU when
 * LCP negotiates none, and which way a frame goes.  (Names chosen apart
 * from <linux/ppp_defs.h>, which the plugin sees through pppd's headers.)
 */
#ifndef PPPOE_MSS_PPP_H
#define PPPOE_MSS_PPP_H

#define PPP_PROTOCOL_LEN 2
#define PPP_PROTOCOL_IPV4 0x0021
#define PPP_PROTOCOL_IPV6 0x0057
#define PPP_PROTOCOL_LCP 0xc021

#define PPP_ADDRESS_ALL_STATIONS 0xff
#define PPP_CONTROL_UI 0x03
#define PPP_ADDRESS_CONTROL_LEN 2

/* RFC 1661: the MRU when the option is not negotiated. */
#define LCP_DEFAULT_MRU 1500

enum ppp_direction {
	PPP_OUTBOUND,  /* from pppd towards the access concentrator */
	PPP_INBOUND,   /* from the access concentrator towards pppd */
	PPP_DIRECTION_COUNT,
};

#endif
