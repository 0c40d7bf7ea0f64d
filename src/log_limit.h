/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * How many log lines frames from the segment may cause.  Anyone there can
 * send PADOs, PADMs or junk by the thousand a second, and a line for each
 * would fill the log (and the disk under it): up to burst lines of one kind
 * get through per interval, the rest are only counted, for one line that
 * says how many were not logged.  Sans-IO: the caller passes the time.
 */
#ifndef PPPOE_MSS_LOG_LIMIT_H
#define PPPOE_MSS_LOG_LIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct log_limit {
	unsigned burst;            /* lines let through per interval */
	uint32_t interval_ms;
	bool started;
	uint64_t window_start_ms;  /* the interval under way began with its first line */
	unsigned logged;           /* lines let through in it */
	uint64_t held_back;        /* not logged, and not yet said so */
	uint64_t held_back_total;  /* not logged, ever */
};

void log_limit_init(struct log_limit *limit, unsigned burst, uint32_t interval_ms);

/*
 * May one more line be logged at now_ms?  When it may and lines were held
 * back before it, *held_back says how many -- for the caller to say so
 * first -- and that count starts again; otherwise *held_back is 0.
 */
bool log_limit_allow(struct log_limit *limit, uint64_t now_ms, uint64_t *held_back);

/* The lines held back and not yet said so, for a summary; that count starts again. */
uint64_t log_limit_take_held_back(struct log_limit *limit);

#endif
