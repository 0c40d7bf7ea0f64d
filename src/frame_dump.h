/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A readable dump of every frame (rp-pppoe's -D, the plugin's pppoe-dump),
 * for debugging a line.  The dump holds whatever the line carries, the PAP
 * password in clear too, and frames are dumped before anything checks them,
 * so anyone on the Ethernet segment decides how much is written: the file is
 * private to its owner and stops growing at a limit.
 */
#ifndef PPPOE_MSS_FRAME_DUMP_H
#define PPPOE_MSS_FRAME_DUMP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* The limit, in MiB: -L and pppoe-dump-max. */
#define FRAME_DUMP_DEFAULT_LIMIT_MIB 4
#define FRAME_DUMP_LIMIT_MIB_MAX 1024

struct frame_dump {
	FILE *file;        /* NULL: no dump */
	off_t limit;       /* bytes: once the file is this long, no frame is added */
	const char *path;  /* for the log: the caller's string, which outlives the dump */
};

/*
 * Open path for appending: created 0600, never through a symbolic link, and
 * only a regular file of our own with no other name (hard link); an existing
 * one is made 0600.  The descriptor is closed on exec.  Returns 0, or -1
 * with a line for the log in error.  A file already at its limit is logged
 * here: nothing will be added to it.
 */
int frame_dump_open(struct frame_dump *dump, const char *path, off_t limit, char *error,
		    size_t error_len);

/*
 * One header line with label and length, then 16 bytes per line in hex and
 * ASCII; nothing when dump is NULL or not open.  The frame that takes the
 * file to its limit is the last: a closing line in the file and one in the
 * log say so.  The size is the file's, so every process sharing the dump
 * (pppd, its session's children) stops at the same limit.
 */
void frame_dump(const struct frame_dump *dump, const char *label, const uint8_t *frame, size_t len);

void frame_dump_close(struct frame_dump *dump);

/* The dump's descriptor, for a process that keeps only its own; -1: no dump. */
int frame_dump_fd(const struct frame_dump *dump);

#endif
