/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * From what the user asked for, in the words both front ends take (the
 * plugin's pppoe-* options, the program's -S -C -W -t), to the discovery
 * configuration: one place, so that both ask the same of an access
 * concentrator, with the same Host-Uniq rule.
 */
#ifndef PPPOE_MSS_DISCOVERY_CONFIG_H
#define PPPOE_MSS_DISCOVERY_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "discovery.h"

/* Bytes of the Host-Uniq a client sends when the user gave none. */
#define DISCOVERY_PID_HOST_UNIQ_LEN 4

struct discovery_wishes {
	const char *service_name;    /* NULL: any service */
	const char *ac_name;         /* NULL: any AC-Name */
	const uint8_t *ac_mac;       /* NULL: any access concentrator */
	const uint8_t *host_uniq;    /* NULL: derived from the process id */
	size_t host_uniq_len;
	unsigned timeout_s;          /* first wait for PADO/PADS; 0: the default */
	unsigned padi_attempts;      /* 0: the default */
};

/*
 * Fill config for a client on our_mac.  Without a Host-Uniq from the user,
 * the process id (pid) becomes one in pid_host_uniq, which must outlive
 * config: unique among the clients of one host, as pppd's pppoe.so does, so
 * that parallel clients tell their replies apart.
 */
void discovery_config_build(struct discovery_config *config, const struct discovery_wishes *wishes,
			    const uint8_t our_mac[PPPOE_MAC_LEN], uint32_t pid,
			    uint8_t pid_host_uniq[DISCOVERY_PID_HOST_UNIQ_LEN]);

#endif
