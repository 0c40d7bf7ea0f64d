/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Logging for the I/O shell.  The core never logs; the shell reports through
 * one sink that the standalone program points at syslog/stderr and the
 * plugin points at pppd's info/notice/warn/error.
 */
#ifndef PPPOE_MSS_LOG_H
#define PPPOE_MSS_LOG_H

#include <stdbool.h>

enum log_level {
	LOG_LEVEL_DEBUG,
	LOG_LEVEL_INFO,
	LOG_LEVEL_NOTICE,
	LOG_LEVEL_WARN,
	LOG_LEVEL_ERROR,
};

typedef void (*log_sink_fn)(enum log_level level, const char *message);

void log_set_sink(log_sink_fn sink);
void log_set_debug(int enabled);
void log_message(enum log_level level, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

struct log_limit;

/*
 * For a kind of line that frames from the segment cause: whether one more
 * may be logged now, within limit (log_limit.h).  When lines of the kind
 * were held back before it, first says how many, at level, naming them
 * what ("offers not chosen").
 */
bool log_within_limit(struct log_limit *limit, enum log_level level, const char *what);

#endif
