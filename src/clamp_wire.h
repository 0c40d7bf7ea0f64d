/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The IPv4, IPv6 and TCP header facts the MSS clamp reads, shared by its two
 * implementations (src/clamp.c and the tc program src/clamp.bpf.c), so that
 * both walk the same headers by the same numbers.  Macros only: the BPF
 * side has no libc.
 */
#ifndef PPPOE_MSS_CLAMP_WIRE_H
#define PPPOE_MSS_CLAMP_WIRE_H

#define IPV4_HEADER_MIN 20
#define IPV6_HEADER_LEN 40
#define TCP_HEADER_MIN 20
#define TCP_OPTIONS_MAX 40

#define IP_PROTOCOL_TCP 6
#define IPV6_HOP_BY_HOP 0
#define IPV6_ROUTING 43
#define IPV6_FRAGMENT 44
#define IPV6_DESTINATION 60
/* Enough for any sane chain; a longer one is not worth the work per frame. */
#define IPV6_EXTENSION_HEADERS_MAX 8

#define TCP_FLAG_SYN 0x02
#define TCP_CHECKSUM 16

#define TCP_OPTION_EOL 0
#define TCP_OPTION_NOP 1
#define TCP_OPTION_MSS 2
#define TCP_OPTION_MSS_LEN 4

#endif
