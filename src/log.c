/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The shell's one logging sink (stderr until someone sets another). */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

#include "log_limit.h"
#include "monotonic.h"

static void log_to_stderr(enum log_level level, const char *message)
{
	static const char *const prefixes[] = {
		[LOG_LEVEL_DEBUG] = "debug: ", [LOG_LEVEL_INFO] = "",
		[LOG_LEVEL_NOTICE] = "", [LOG_LEVEL_WARN] = "warning: ",
		[LOG_LEVEL_ERROR] = "error: ",
	};
	fprintf(stderr, "pppoe-mss: %s%s\n", prefixes[level], message);
}

static log_sink_fn current_sink = log_to_stderr;
static int debug_enabled;

void log_set_sink(log_sink_fn sink)
{
	current_sink = sink != NULL ? sink : log_to_stderr;
}

void log_set_debug(int enabled)
{
	debug_enabled = enabled;
}

void log_message(enum log_level level, const char *format, ...)
{
	char message[512];
	va_list args;

	if (level == LOG_LEVEL_DEBUG && !debug_enabled)
		return;
	va_start(args, format);
	vsnprintf(message, sizeof(message), format, args);
	va_end(args);
	current_sink(level, message);
}

bool log_within_limit(struct log_limit *limit, enum log_level level, const char *what)
{
	uint64_t held_back;

	if (!log_limit_allow(limit, monotonic_ms(), &held_back))
		return false;
	if (held_back > 0)
		log_message(level, "%s: %llu not logged (more than %u in %u s)", what,
			    (unsigned long long)held_back, limit->burst, limit->interval_ms / 1000);
	return true;
}
