/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A record of each running session in the state directory, kept across a
 * reboot: the one thing that survives what no process of ours survives (a
 * SIGKILL of the whole process group, a crash, a power cut).  Every live
 * process of the session holds an flock on its record; a record nobody
 * holds is left over, and the next start on that NIC ends its session with a
 * PADT before discovery.  A record of a live client on the same NIC is
 * locked, and is never touched.
 */
#ifndef PPPOE_MSS_SESSION_RECORD_H
#define PPPOE_MSS_SESSION_RECORD_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pppoe.h"
#include "tc_clamp.h"

/* Compiled in from configure's --with-state-dir. */
#ifndef PPPOE_MSS_STATE_DIR
#define PPPOE_MSS_STATE_DIR "/var/lib/pppoe-mss"
#endif

#define SESSION_RECORD_NIC_MAX 16  /* IFNAMSIZ */

#define SESSION_RECORD_BOOT_ID_LEN 36  /* /proc/sys/kernel/random/boot_id, a UUID */

/* What a PADT needs to end the session, from the same NIC and MAC; and the
 * kernel clamp's filters to remove, which only last as long as the boot. */
struct session_record_entry {
	char nic[SESSION_RECORD_NIC_MAX];
	uint16_t session_id;
	uint8_t ac_mac[PPPOE_MAC_LEN];
	uint8_t our_mac[PPPOE_MAC_LEN];
	char boot_id[SESSION_RECORD_BOOT_ID_LEN + 1];  /* "": unknown */
	bool has_filters;
	struct tc_clamp_filters filters;
};

/* ---- the file's text, without I/O ---- */

/* "nic wan0\nsession 7\nac-mac ...\nour-mac ...\n" (then boot-id and clamp
 * when known); 0 if it does not fit. */
size_t session_record_format(const struct session_record_entry *entry, char *buf, size_t len);
/* Strict: the first four fields present, every field at most once, valid. */
bool session_record_parse(const char *buf, size_t len, struct session_record_entry *entry);

/* ---- the files ---- */

struct session_record {
	int fd;               /* open and locked while the session may live; -1: none */
	char path[PATH_MAX];
};

/*
 * Create and lock an empty record for a session about to be set up on nic
 * (in dir, created 0700 if missing; a symlinked dir is refused).  Children
 * forked afterwards share the lock.  0, or -1 with a reason in error.
 */
int session_record_create(struct session_record *record, const char *dir, const char *nic,
			  char *error, size_t error_len);

/* The session is known: write it down (durably).  0 or -1 (errno). */
int session_record_write(const struct session_record *record,
			 const struct session_record_entry *entry);

/* What the record holds now (another process of the session may have
 * written it).  0, or -1 with errno (EINVAL: empty or not a record). */
int session_record_read(const struct session_record *record, struct session_record_entry *entry);

/* The session ended properly: remove the record.  NULL or none: nothing. */
void session_record_remove(struct session_record *record);

/* Let go of the lock, leaving the file: whoever is left (or the next start)
 * ends the session. */
void session_record_close(struct session_record *record);

/*
 * Every record in dir for nic that no live process holds: end_session (a
 * PADT) is called for it, and the record is removed when it returns true or
 * holds no session.  Records of other NICs, and held ones, are left alone.
 * Returns how many sessions were ended.
 */
unsigned session_record_end_leftovers(const char *dir, const char *nic,
				      bool (*end_session)(const struct session_record_entry *entry,
							  void *context),
				      void *context);

#endif
