/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Which data path carries a session, and the one log line that says why. */
#include "pppd_api.h"  /* first: pppd 2.4's bool must come before <stdbool.h> */

#include <stdio.h>

#include "datapath.h"

int datapath_start(struct plugin_session *s, const struct plugin_settings *settings)
{
	char why[512];
	int fd;

	if (settings->datapath == DATAPATH_CHOICE_USER) {
		snprintf(why, sizeof(why), "pppoe-datapath user");
	} else {
		fd = datapath_kernel.start(s, settings, why, sizeof(why));
		if (fd >= 0) {
			s->datapath = &datapath_kernel;
			if (s->clamp != NULL)
				notice("pppoe-mss: session %u runs in the kernel (PPPoE socket on %s, "
				       "MSS clamp in eBPF)", s->disc.session_id, s->iface.name);
			else
				notice("pppoe-mss: session %u runs in the kernel (PPPoE socket on %s, "
				       "no MSS clamp: pppoe-mss off)", s->disc.session_id, s->iface.name);
			return fd;
		}
		if (settings->datapath == DATAPATH_CHOICE_KERNEL) {
			error("pppoe-mss: pppoe-datapath kernel: session %u cannot run in the kernel: %s",
			      s->disc.session_id, why);
			return -1;
		}
	}
	char relay_why[256];
	fd = datapath_relay.start(s, settings, relay_why, sizeof(relay_why));
	if (fd < 0) {
		error("pppoe-mss: %s", relay_why);
		return -1;
	}
	s->datapath = &datapath_relay;
	notice("pppoe-mss: session %u runs on the user-space relay: %s", s->disc.session_id, why);
	return fd;
}
