/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A readable dump of every frame (rp-pppoe's -D), for debugging a line. */
#ifndef PPPOE_MSS_FRAME_DUMP_H
#define PPPOE_MSS_FRAME_DUMP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* One header line with label and length, then 16 bytes per line in hex and ASCII. */
void frame_dump(FILE *out, const char *label, const uint8_t *frame, size_t len);

#endif
