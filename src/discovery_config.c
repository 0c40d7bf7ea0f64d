/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The discovery configuration from the user's wishes (discovery_config.h). */
#include "discovery_config.h"

#include <string.h>

#include "byte_order.h"

void discovery_config_build(struct discovery_config *config, const struct discovery_wishes *wishes,
			    const uint8_t our_mac[PPPOE_MAC_LEN], uint32_t pid,
			    uint8_t pid_host_uniq[DISCOVERY_PID_HOST_UNIQ_LEN])
{
	discovery_config_defaults(config);
	memcpy(config->our_mac, our_mac, PPPOE_MAC_LEN);
	if (wishes->service_name != NULL) {
		config->service_name = (const uint8_t *)wishes->service_name;
		config->service_name_len = strlen(wishes->service_name);
	}
	if (wishes->ac_name != NULL) {
		config->ac_name = (const uint8_t *)wishes->ac_name;
		config->ac_name_len = strlen(wishes->ac_name);
	}
	config->ac_mac = wishes->ac_mac;
	if (wishes->host_uniq != NULL) {
		config->host_uniq = wishes->host_uniq;
		config->host_uniq_len = wishes->host_uniq_len;
	} else {
		put_be32(pid_host_uniq, pid);
		config->host_uniq = pid_host_uniq;
		config->host_uniq_len = DISCOVERY_PID_HOST_UNIQ_LEN;
	}
	if (wishes->timeout_s != 0)
		config->timeout_ms = wishes->timeout_s * 1000u;
	if (wishes->padi_attempts != 0)
		config->padi_attempts = wishes->padi_attempts;
}
