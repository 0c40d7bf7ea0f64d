/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The clamp policy: user setting + negotiated MTU/MRU -> per-direction limits. */
#include "clamp_policy.h"

#include <string.h>

#include "parse.h"

void clamp_policy_default(struct clamp_policy *policy)
{
	policy->ipv4 = (struct mss_setting){ .mode = MSS_MODE_AUTO };
	policy->ipv6 = (struct mss_setting){ .mode = MSS_MODE_AUTO };
}

bool mss_setting_parse(const char *text, struct mss_setting *out)
{
	unsigned long value;

	if (text == NULL)
		return false;
	if (strcmp(text, "auto") == 0) {
		*out = (struct mss_setting){ .mode = MSS_MODE_AUTO };
		return true;
	}
	if (strcmp(text, "off") == 0 || strcmp(text, "no") == 0 ||
	    strcmp(text, "none") == 0 || strcmp(text, "0") == 0) {
		*out = (struct mss_setting){ .mode = MSS_MODE_OFF };
		return true;
	}
	if (!parse_uint(text, MSS_FLOOR, MSS_SETTING_MAX, &value))
		return false;
	*out = (struct mss_setting){ .mode = MSS_MODE_FIXED, .value = (uint16_t)value };
	return true;
}

void clamp_policy_fixed_ipv4(struct clamp_policy *policy, uint16_t mss)
{
	uint16_t ipv6 = mss >= MSS_FLOOR + (MSS_IPV6_OVERHEAD - MSS_IPV4_OVERHEAD)
				? (uint16_t)(mss - (MSS_IPV6_OVERHEAD - MSS_IPV4_OVERHEAD))
				: MSS_FLOOR;

	policy->ipv4 = (struct mss_setting){ .mode = MSS_MODE_FIXED, .value = mss };
	policy->ipv6 = (struct mss_setting){ .mode = MSS_MODE_FIXED, .value = ipv6 };
}

bool clamp_policy_set_mss(struct clamp_policy *policy, const char *text, bool keep_ipv6)
{
	struct mss_setting setting, ipv6 = policy->ipv6;

	if (!mss_setting_parse(text, &setting))
		return false;
	if (setting.mode == MSS_MODE_FIXED)
		clamp_policy_fixed_ipv4(policy, setting.value);
	else
		policy->ipv4 = policy->ipv6 = setting;
	if (keep_ipv6)
		policy->ipv6 = ipv6;
	return true;
}

static uint16_t limit_for(const struct mss_setting *setting, uint16_t automatic)
{
	switch (setting->mode) {
	case MSS_MODE_OFF:
		return 0;
	case MSS_MODE_FIXED:
		return setting->value;
	case MSS_MODE_AUTO:
	default:
		return automatic;
	}
}

struct clamp_limits clamp_policy_limits(const struct clamp_policy *policy,
					unsigned mtu, unsigned mru)
{
	struct mss_limit from_mru = clamp_limit_for_mtu(mru);
	struct mss_limit from_mtu = clamp_limit_for_mtu(mtu);
	struct clamp_limits limits;

	limits.outbound.ipv4 = limit_for(&policy->ipv4, from_mru.ipv4);
	limits.outbound.ipv6 = limit_for(&policy->ipv6, from_mru.ipv6);
	limits.inbound.ipv4 = limit_for(&policy->ipv4, from_mtu.ipv4);
	limits.inbound.ipv6 = limit_for(&policy->ipv6, from_mtu.ipv6);
	return limits;
}
