/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * From what the user asked for ("auto", "off" or a fixed MSS) and what LCP
 * negotiated (MTU, MRU) to the clamp limit of each direction.  The plugin and
 * the standalone program both go through here, so the same negotiation gives
 * the same limits whichever way the client runs.
 *
 * A SYN leaving towards the AC announces how much the far end may send us:
 * that must fit our MRU.  A SYN arriving from the AC tells the LAN host how
 * much to send: that must fit our MTU.
 */
#ifndef PPPOE_MSS_CLAMP_POLICY_H
#define PPPOE_MSS_CLAMP_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "clamp.h"

enum mss_mode {
	MSS_MODE_AUTO,   /* follow the negotiated MTU/MRU */
	MSS_MODE_OFF,    /* never touch this family */
	MSS_MODE_FIXED,  /* this value in both directions */
};

struct mss_setting {
	enum mss_mode mode;
	uint16_t value;  /* MSS_MODE_FIXED only */
};

struct clamp_policy {
	struct mss_setting ipv4;
	struct mss_setting ipv6;
};

struct clamp_limits {
	struct mss_limit outbound;  /* SYNs towards the AC */
	struct mss_limit inbound;   /* SYNs from the AC */
};

/* The largest fixed MSS we accept: a 65535-byte IPv4 packet less its headers. */
#define MSS_SETTING_MAX 65495

/* Both families automatic. */
void clamp_policy_default(struct clamp_policy *policy);

/* "auto", "off" (also "no", "none", "0"), or a number MSS_FLOOR..MSS_SETTING_MAX. */
bool mss_setting_parse(const char *text, struct mss_setting *out);

/*
 * A fixed IPv4 MSS (rp-pppoe's -m N) expressed for both families: IPv6
 * headers are 20 bytes longer, so the same link fits N - 20.
 */
void clamp_policy_fixed_ipv4(struct clamp_policy *policy, uint16_t mss);

/*
 * The pppoe-mss option and -m: "auto", "off" or N for both families (IPv6
 * gets N - 20), except that IPv6 keeps its own setting when keep_ipv6 says it
 * was given separately (pppoe-mss-ipv6).  False, and nothing changed, when the
 * text is not a valid setting.
 */
bool clamp_policy_set_mss(struct clamp_policy *policy, const char *text, bool keep_ipv6);

struct clamp_limits clamp_policy_limits(const struct clamp_policy *policy,
					unsigned mtu, unsigned mru);

#endif
