/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Session records in the state directory (session_record.h). */
#include "session_record.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse.h"
#include "render.h"

#define RECORD_SUFFIX ".session"
#define RECORD_TEXT_MAX 512

/* ---- text ---- */

size_t session_record_format(const struct session_record_entry *entry, char *buf, size_t len)
{
	const struct tc_clamp_filters *filters = &entry->filters;
	char ac[RENDER_MAC_LEN], ours[RENDER_MAC_LEN], boot[64] = "", clamp[96] = "";
	int written;

	render_mac(entry->ac_mac, ac);
	render_mac(entry->our_mac, ours);
	if (entry->boot_id[0] != '\0')
		snprintf(boot, sizeof(boot), "boot-id %s\n", entry->boot_id);
	if (entry->has_filters)
		snprintf(clamp, sizeof(clamp), "clamp %d %u %u %u %u\n", filters->ifindex,
			 filters->handle[PPP_OUTBOUND], filters->program_id[PPP_OUTBOUND],
			 filters->handle[PPP_INBOUND], filters->program_id[PPP_INBOUND]);
	written = snprintf(buf, len, "nic %s\nsession %u\nac-mac %s\nour-mac %s\n%s%s", entry->nic,
			   entry->session_id, ac, ours, boot, clamp);
	return written > 0 && (size_t)written < len ? (size_t)written : 0;
}

enum record_field {
	FIELD_NIC, FIELD_SESSION, FIELD_AC_MAC, FIELD_OUR_MAC,
	FIELD_REQUIRED,  /* the fields before this one */
	FIELD_BOOT_ID = FIELD_REQUIRED, FIELD_CLAMP,
	FIELD_COUNT
};

static bool parse_boot_id(const char *value, char *boot_id)
{
	if (strlen(value) != SESSION_RECORD_BOOT_ID_LEN ||
	    strspn(value, "0123456789abcdef-") != SESSION_RECORD_BOOT_ID_LEN)
		return false;
	strcpy(boot_id, value);
	return true;
}

/* "IFINDEX EGRESS-HANDLE EGRESS-PROGRAM INGRESS-HANDLE INGRESS-PROGRAM" */
static bool parse_filters(const char *value, struct tc_clamp_filters *filters)
{
	unsigned long numbers[5];
	const char *next = value;

	for (int i = 0; i < 5; i++) {
		size_t len = strcspn(next, " ");
		char word[16];

		if (len == 0 || len >= sizeof(word))
			return false;
		memcpy(word, next, len);
		word[len] = '\0';
		if (!parse_uint(word, i == 0 ? 1 : 0, i == 0 ? INT32_MAX : UINT32_MAX,
				&numbers[i]))
			return false;
		next += len;
		if (i < 4 && *next++ != ' ')
			return false;
	}
	if (*next != '\0')
		return false;
	filters->ifindex = (int)numbers[0];
	filters->handle[PPP_OUTBOUND] = (uint32_t)numbers[1];
	filters->program_id[PPP_OUTBOUND] = (uint32_t)numbers[2];
	filters->handle[PPP_INBOUND] = (uint32_t)numbers[3];
	filters->program_id[PPP_INBOUND] = (uint32_t)numbers[4];
	return true;
}

static bool parse_field(enum record_field field, const char *value,
			struct session_record_entry *entry)
{
	unsigned long number;

	switch (field) {
	case FIELD_NIC:
		if (value[0] == '\0' || strlen(value) >= sizeof(entry->nic) || strchr(value, '/'))
			return false;
		strcpy(entry->nic, value);
		return true;
	case FIELD_SESSION:
		if (!parse_uint(value, 1, 0xffff, &number))
			return false;
		entry->session_id = (uint16_t)number;
		return true;
	case FIELD_AC_MAC:
		return parse_mac(value, entry->ac_mac);
	case FIELD_OUR_MAC:
		return parse_mac(value, entry->our_mac);
	case FIELD_BOOT_ID:
		return parse_boot_id(value, entry->boot_id);
	case FIELD_CLAMP:
		return entry->has_filters = parse_filters(value, &entry->filters);
	case FIELD_COUNT:
		break;
	}
	return false;
}

bool session_record_parse(const char *buf, size_t len, struct session_record_entry *entry)
{
	static const char *const keys[FIELD_COUNT] = {
		[FIELD_NIC] = "nic", [FIELD_SESSION] = "session",
		[FIELD_AC_MAC] = "ac-mac", [FIELD_OUR_MAC] = "our-mac",
		[FIELD_BOOT_ID] = "boot-id", [FIELD_CLAMP] = "clamp",
	};
	bool seen[FIELD_COUNT] = { false };
	char line[RECORD_TEXT_MAX];
	size_t start = 0;

	memset(entry, 0, sizeof(*entry));
	while (start < len) {
		const char *end = memchr(buf + start, '\n', len - start);
		size_t line_len;
		char *space;
		int field;

		if (end == NULL)
			return false;  /* a record is written whole, newline included */
		line_len = (size_t)(end - (buf + start));
		if (line_len >= sizeof(line))
			return false;
		memcpy(line, buf + start, line_len);
		line[line_len] = '\0';
		start += line_len + 1;
		space = strchr(line, ' ');
		if (space == NULL)
			return false;
		*space = '\0';
		for (field = 0; field < FIELD_COUNT; field++)
			if (strcmp(line, keys[field]) == 0)
				break;
		if (field == FIELD_COUNT || seen[field] ||
		    !parse_field((enum record_field)field, space + 1, entry))
			return false;
		seen[field] = true;
	}
	for (int field = 0; field < FIELD_REQUIRED; field++)
		if (!seen[field])
			return false;
	return true;
}

/* ---- files ---- */

/* The directory, made if missing (parents 0755, itself 0700); never a symlink. */
static int state_dir_ready(const char *dir, char *error, size_t error_len)
{
	char partial[PATH_MAX];
	struct stat st;
	size_t len = strlen(dir);

	if (len == 0 || len >= sizeof(partial)) {
		snprintf(error, error_len, "state directory '%s': bad path", dir);
		return -1;
	}
	memcpy(partial, dir, len + 1);
	for (char *slash = strchr(partial + 1, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(partial, 0755) < 0 && errno != EEXIST) {
			snprintf(error, error_len, "cannot create %s: %s", partial, strerror(errno));
			return -1;
		}
		*slash = '/';
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		snprintf(error, error_len, "cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		snprintf(error, error_len, "state directory %s is not a directory (a symlink?)", dir);
		return -1;
	}
	return 0;
}

int session_record_create(struct session_record *record, const char *dir, const char *nic,
			  char *error, size_t error_len)
{
	char temporary[PATH_MAX];
	int fd;

	record->fd = -1;
	if (state_dir_ready(dir, error, error_len) < 0)
		return -1;
	/* Made under a name no scan looks at, locked, then renamed: a scan
	 * never sees a record before its owner holds it. */
	snprintf(temporary, sizeof(temporary), "%s/.%s-%ld.new", dir, nic, (long)getpid());
	unlink(temporary);
	fd = open(temporary, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(error, error_len, "cannot create %s: %s", temporary, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		snprintf(error, error_len, "cannot lock %s: %s", temporary, strerror(errno));
		goto fail;
	}
	for (unsigned n = 0; n < 10; n++) {
		struct stat st;

		if (n == 0)
			snprintf(record->path, sizeof(record->path), "%s/%s-%ld" RECORD_SUFFIX, dir, nic,
				 (long)getpid());
		else
			snprintf(record->path, sizeof(record->path), "%s/%s-%ld.%u" RECORD_SUFFIX, dir,
				 nic, (long)getpid(), n);
		/* A leftover of another boot under our pid stays for its own scan. */
		if (lstat(record->path, &st) == 0)
			continue;
		if (rename(temporary, record->path) == 0) {
			record->fd = fd;
			return 0;
		}
		snprintf(error, error_len, "cannot create %s: %s", record->path, strerror(errno));
		goto fail;
	}
	snprintf(error, error_len, "cannot find a free record name in %s", dir);
fail:
	close(fd);
	unlink(temporary);
	return -1;
}

int session_record_write(const struct session_record *record,
			 const struct session_record_entry *entry)
{
	char text[RECORD_TEXT_MAX];
	size_t len = session_record_format(entry, text, sizeof(text));

	if (record->fd < 0 || len == 0) {
		errno = EINVAL;
		return -1;
	}
	/* Written over, then cut: a kill in between leaves the old text or the
	 * new (a record only grows during a session), never an empty file. */
	if (pwrite(record->fd, text, len, 0) != (ssize_t)len || ftruncate(record->fd, (off_t)len) < 0)
		return -1;
	/* It is for after a power cut too. */
	return fdatasync(record->fd);
}

int session_record_read(const struct session_record *record, struct session_record_entry *entry)
{
	char text[RECORD_TEXT_MAX];
	ssize_t got;

	if (record->fd < 0) {
		errno = EBADF;
		return -1;
	}
	got = pread(record->fd, text, sizeof(text), 0);
	if (got < 0)
		return -1;
	if (!session_record_parse(text, (size_t)got, entry)) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

void session_record_remove(struct session_record *record)
{
	if (record == NULL || record->fd < 0)
		return;
	unlink(record->path);
	session_record_close(record);
}

void session_record_close(struct session_record *record)
{
	if (record == NULL)
		return;
	if (record->fd >= 0)
		close(record->fd);
	record->fd = -1;
}

static bool names_record_of(const char *name, const char *nic)
{
	size_t nic_len = strlen(nic), len = strlen(name), suffix_len = strlen(RECORD_SUFFIX);

	return len > nic_len + 1 + suffix_len && strncmp(name, nic, nic_len) == 0 &&
	       name[nic_len] == '-' && strcmp(name + len - suffix_len, RECORD_SUFFIX) == 0;
}

/* Whether the record at path was left over, and what it holds. */
static bool take_leftover(int dir_fd, const char *name, int *fd_out, char *text, size_t *len)
{
	int fd = openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	ssize_t got;

	if (fd < 0)
		return false;
	/* Held: a live client's session.  Not a plain file: not ours. */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		return false;
	}
	got = read(fd, text, RECORD_TEXT_MAX);
	*len = got > 0 ? (size_t)got : 0;
	*fd_out = fd;
	return true;
}

unsigned session_record_end_leftovers(const char *dir, const char *nic,
				      bool (*end_session)(const struct session_record_entry *entry,
							  void *context),
				      void *context)
{
	DIR *listing = opendir(dir);
	struct dirent *item;
	unsigned ended = 0;

	if (listing == NULL)
		return 0;
	while ((item = readdir(listing)) != NULL) {
		struct session_record_entry entry;
		char text[RECORD_TEXT_MAX];
		size_t len;
		int fd;
		bool done = true;

		if (!names_record_of(item->d_name, nic) ||
		    !take_leftover(dirfd(listing), item->d_name, &fd, text, &len))
			continue;
		/* Empty: its client died before a session was set up. */
		if (len > 0 && session_record_parse(text, len, &entry) && strcmp(entry.nic, nic) == 0) {
			done = end_session(&entry, context);
			ended += done;
		}
		if (done)
			unlinkat(dirfd(listing), item->d_name, 0);
		close(fd);
	}
	closedir(listing);
	return ended;
}
