/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hex + ASCII dump of frames, timestamped so a dump can be read against syslog. */
#include "frame_dump.h"

#include <time.h>

void frame_dump(FILE *out, const char *label, const uint8_t *frame, size_t len)
{
	struct timespec now;

	if (out == NULL)
		return;
	clock_gettime(CLOCK_REALTIME, &now);
	fprintf(out, "%lld.%03ld %s (%zu bytes)\n", (long long)now.tv_sec, now.tv_nsec / 1000000,
		label, len);
	for (size_t line = 0; line < len; line += 16) {
		size_t end = line + 16 < len ? line + 16 : len;
		fprintf(out, "  %04zx ", line);
		for (size_t i = line; i < line + 16; i++) {
			if (i < end)
				fprintf(out, " %02x", frame[i]);
			else
				fputs("   ", out);
		}
		fputs("  ", out);
		for (size_t i = line; i < end; i++)
			fputc(frame[i] >= 0x20 && frame[i] < 0x7f ? frame[i] : '.', out);
		fputc('\n', out);
	}
	fflush(out);
}
