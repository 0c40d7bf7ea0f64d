/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Log lines per interval (log_limit.h): a fixed window, as Linux's printk_ratelimit. */
#include "log_limit.h"

void log_limit_init(struct log_limit *limit, unsigned burst, uint32_t interval_ms)
{
	*limit = (struct log_limit){ .burst = burst, .interval_ms = interval_ms };
}

bool log_limit_allow(struct log_limit *limit, uint64_t now_ms, uint64_t *held_back)
{
	*held_back = 0;
	/* A clock that went back starts a window too, rather than none ever again. */
	if (!limit->started || now_ms < limit->window_start_ms ||
	    now_ms - limit->window_start_ms >= limit->interval_ms) {
		limit->started = true;
		limit->window_start_ms = now_ms;
		limit->logged = 0;
	}
	if (limit->logged >= limit->burst) {
		limit->held_back++;
		limit->held_back_total++;
		return false;
	}
	limit->logged++;
	*held_back = log_limit_take_held_back(limit);
	return true;
}

uint64_t log_limit_take_held_back(struct log_limit *limit)
{
	uint64_t held_back = limit->held_back;

	limit->held_back = 0;
	return held_back;
}
