/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The live status of a running session, published as a small text file in
 * the run directory (PPPOE_MSS_RUN_DIR) by the process that carries the
 * session's data, and read by pppoe-mss-sessions.  The file is "key value"
 * lines, one key per line, after a "pppoe-mss-status 1" header; readers
 * ignore keys they do not know, so new keys need no new version.
 *
 * The codec (format, parse, file name) is pure; publish and withdraw are the
 * only functions that touch the file system.
 */
#ifndef PPPOE_MSS_SESSION_STATUS_H
#define PPPOE_MSS_SESSION_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "clamp.h"
#include "clamp_policy.h"
#include "lcp_snoop.h"
#include "pppoe.h"
#include "relay.h"

#define SESSION_STATUS_NIC_MAX 16       /* IFNAMSIZ, NUL included */
#define SESSION_STATUS_AC_NAME_MAX 256  /* NUL included; longer names are cut */
/* A formatted status is under 2 KiB; readers refuse files larger than this. */
#define SESSION_STATUS_FILE_MAX 8192
/* "<nic>-<session>-<ac mac, 12 hex digits>.status" and its NUL. */
#define SESSION_STATUS_FILE_NAME_MAX (SESSION_STATUS_NIC_MAX - 1 + 1 + 5 + 1 + 12 + 7 + 1)

enum session_datapath {
	SESSION_DATAPATH_KERNEL,  /* AF_PPPOX socket, clamp in eBPF: the guardian writes */
	SESSION_DATAPATH_USER,    /* the user-space relay writes */
	SESSION_DATAPATH_COUNT,
};

struct session_status {
	char nic[SESSION_STATUS_NIC_MAX];
	char ac_name[SESSION_STATUS_AC_NAME_MAX];  /* printable ASCII (render_printable) */
	uint8_t ac_mac[PPPOE_MAC_LEN];
	uint8_t our_mac[PPPOE_MAC_LEN];
	uint16_t session_id;                       /* 1..65535 */
	enum session_datapath datapath;
	int64_t started;                           /* wall clock, unix seconds, session up */
	pid_t pid;                                 /* the writer: readers check it is alive */
	pid_t pppd_pid;                            /* 0: unknown */
	uint16_t mtu, mru;                         /* as LCP negotiated them; 0: not yet */
	struct clamp_limits limits;                /* 0 in a family: not clamped */
	uint64_t clamped[PPP_DIRECTION_COUNT][MSS_FAMILY_COUNT];
	uint64_t malformed[PPP_DIRECTION_COUNT];   /* IP packets the clamp left untouched */
	/* Counted by the relay only: 0 on the kernel path. */
	uint64_t frames[PPP_DIRECTION_COUNT];
	uint64_t bytes[PPP_DIRECTION_COUNT];
	uint64_t dropped[RELAY_DROP_COUNT];
};

/*
 * The status as the file's text, NUL-terminated; returns its length without
 * the NUL, or 0 when it does not fit in len or the status could not be read
 * back (no valid nic, session id 0, pid not positive, ...).  Bytes of ac_name
 * outside printable ASCII are written as '?', so no value spans two lines.
 */
size_t session_status_format(const struct session_status *s, char *buf, size_t len);

/*
 * The file's text back, reading exactly len bytes (no NUL needed).  False,
 * and *s untouched, unless every line is a printable "key value" ending in a
 * newline, no known key repeats or has a value out of range, and the header,
 * nic, session, ac-mac, our-mac, datapath, started and pid are there.
 * Unknown keys are ignored; absent optional ones read as 0 or "".
 */
bool session_status_parse(const char *buf, size_t len, struct session_status *s);

/* "eth0-4711-001122334455.status"; false when it does not fit or nic is not
 * an interface name (which keeps '/' and ".." out of the path). */
bool session_status_file_name(const struct session_status *s, char *out, size_t len);

/* The file key of a drop reason ("wrong-ac" in "dropped-wrong-ac"). */
const char *session_status_drop_key(enum relay_drop_reason reason);

/* "kernel" or "user", as in the file. */
const char *session_status_datapath_name(enum session_datapath datapath);

/*
 * Write the status to dir atomically (a temporary file renamed over the
 * last one), mode 0644 whatever the umask, creating dir (0755) when missing.
 * 0, or -1 with errno: ENOTDIR when dir is a symbolic link (ELOOP on some
 * kernels) or not a directory, EINVAL when the status cannot be formatted.
 */
int session_status_publish(const char *dir, const struct session_status *s);

/* Remove the session's file, if any (the session is over).  Only nic,
 * session_id and ac_mac are read. */
void session_status_withdraw(const char *dir, const struct session_status *s);

/* Whether the process that wrote s still runs (readers skip it otherwise). */
bool session_status_writer_alive(const struct session_status *s);

/* Remove the files of nic's sessions whose writer is gone: killed before it
 * could withdraw its status. */
void session_status_sweep(const char *dir, const char *nic);

#endif
