/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The session status file: one table of fields (status_fields) says which
 * keys there are, in which order they are written and what each may hold,
 * so that format and parse cannot drift apart.  Readers run without
 * privileges on files anyone with access to the run directory could have
 * left there, so parsing is strict: a file is taken whole or not at all.
 */
#include "session_status.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse.h"
#include "render.h"
#include "small_file.h"

/* First line; a reader refuses other versions, so bump it only when a key
 * changes meaning (new keys are simply ignored by older readers). */
#define STATUS_HEADER "pppoe-mss-status 1\n"
#define STATUS_KEY_MAX 32   /* NUL included */
/* The longest line we write is the AC name's: its key and 255 characters. */
#define STATUS_LINE_MAX 512
#define STATUS_NUMBER_DIGITS_MAX 20  /* UINT64_MAX */

static const char *const direction_keys[PPP_DIRECTION_COUNT] = {
	[PPP_OUTBOUND] = "outbound",
	[PPP_INBOUND] = "inbound",
};

static const char *const family_keys[MSS_FAMILY_COUNT] = {
	[MSS_FAMILY_IPV4] = "ipv4",
	[MSS_FAMILY_IPV6] = "ipv6",
};

/* Stable file keys; relay_drop_reason_name() has the words for people. */
static const char *const drop_keys[] = {
	[RELAY_DROP_NOT_SESSION] = "not-session",
	[RELAY_DROP_NOT_TO_US] = "not-to-us",
	[RELAY_DROP_WRONG_AC] = "wrong-ac",
	[RELAY_DROP_WRONG_SESSION] = "wrong-session",
	[RELAY_DROP_EMPTY] = "empty",
	[RELAY_DROP_TOO_BIG] = "too-big",
	[RELAY_DROP_PPPD_BUSY] = "pppd-busy",
	[RELAY_DROP_SOCKET_FULL] = "socket-full",
};
_Static_assert(sizeof(drop_keys) / sizeof(drop_keys[0]) == RELAY_DROP_COUNT,
	       "every relay drop reason needs a status file key");

static const char *const datapath_names[] = {
	[SESSION_DATAPATH_KERNEL] = "kernel",
	[SESSION_DATAPATH_USER] = "user",
};
_Static_assert(sizeof(datapath_names) / sizeof(datapath_names[0]) == SESSION_DATAPATH_COUNT,
	       "every data path needs a name");

const char *session_status_drop_key(enum relay_drop_reason reason)
{
	return (unsigned)reason < RELAY_DROP_COUNT ? drop_keys[reason] : "unknown";
}

const char *session_status_datapath_name(enum session_datapath datapath)
{
	return (unsigned)datapath < SESSION_DATAPATH_COUNT ? datapath_names[datapath] : "unknown";
}

enum field_type {
	FIELD_NIC,       /* char[SESSION_STATUS_NIC_MAX] */
	FIELD_AC_NAME,   /* char[SESSION_STATUS_AC_NAME_MAX] */
	FIELD_MAC,       /* uint8_t[PPPOE_MAC_LEN] */
	FIELD_DATAPATH,  /* enum session_datapath */
	FIELD_U16,
	FIELD_PID,
	FIELD_I64,
	FIELD_U64,
};

struct status_field {
	char key[STATUS_KEY_MAX];
	enum field_type type;
	void *value;
	uint64_t min, max;  /* numbers only */
	bool required;
};

/* status_fields(): 10 single ones, MSS limits and clamped SYNs per direction
 * and family, 3 counters per direction, the drops, the AC name. */
#define STATUS_FIELDS_MAX (10 + 2 * PPP_DIRECTION_COUNT * MSS_FAMILY_COUNT + \
			   3 * PPP_DIRECTION_COUNT + RELAY_DROP_COUNT + 1)

/* The key is its parts joined by '-': ("clamped", "outbound", "ipv4"); NULL ends it. */
static void field_add(struct status_field *fields, size_t *n, enum field_type type, void *value,
		      uint64_t min, uint64_t max, bool required, const char *key,
		      const char *part1, const char *part2)
{
	struct status_field *f;

	/* A field added without room is left out: the unit test's file shows it. */
	if (*n >= STATUS_FIELDS_MAX)
		return;
	f = &fields[(*n)++];
	snprintf(f->key, sizeof(f->key), "%s%s%s%s%s", key, part1 ? "-" : "", part1 ? part1 : "",
		 part2 ? "-" : "", part2 ? part2 : "");
	f->type = type;
	f->value = value;
	f->min = min;
	f->max = max;
	f->required = required;
}

/* Every field of s, in file order (the AC name last: the one value from the
 * network). */
static size_t status_fields(struct session_status *s, struct status_field *fields)
{
	size_t n = 0;

	field_add(fields, &n, FIELD_NIC, s->nic, 0, 0, true, "nic", NULL, NULL);
	field_add(fields, &n, FIELD_U16, &s->session_id, 1, UINT16_MAX, true, "session", NULL, NULL);
	field_add(fields, &n, FIELD_MAC, s->ac_mac, 0, 0, true, "ac-mac", NULL, NULL);
	field_add(fields, &n, FIELD_MAC, s->our_mac, 0, 0, true, "our-mac", NULL, NULL);
	field_add(fields, &n, FIELD_DATAPATH, &s->datapath, 0, 0, true, "datapath", NULL, NULL);
	field_add(fields, &n, FIELD_I64, &s->started, 0, INT64_MAX, true, "started", NULL, NULL);
	/* Never 0 or negative: kill(0, 0) and kill(-1, 0) ask about many processes. */
	field_add(fields, &n, FIELD_PID, &s->pid, 1, INT_MAX, true, "pid", NULL, NULL);
	field_add(fields, &n, FIELD_PID, &s->pppd_pid, 0, INT_MAX, false, "pppd-pid", NULL, NULL);
	field_add(fields, &n, FIELD_U16, &s->mtu, 0, UINT16_MAX, false, "mtu", NULL, NULL);
	field_add(fields, &n, FIELD_U16, &s->mru, 0, UINT16_MAX, false, "mru", NULL, NULL);
	for (int dir = 0; dir < PPP_DIRECTION_COUNT; dir++) {
		struct mss_limit *limit = dir == PPP_OUTBOUND ? &s->limits.outbound : &s->limits.inbound;

		field_add(fields, &n, FIELD_U16, &limit->ipv4, 0, UINT16_MAX, false, "mss",
			  direction_keys[dir], family_keys[MSS_FAMILY_IPV4]);
		field_add(fields, &n, FIELD_U16, &limit->ipv6, 0, UINT16_MAX, false, "mss",
			  direction_keys[dir], family_keys[MSS_FAMILY_IPV6]);
	}
	for (int dir = 0; dir < PPP_DIRECTION_COUNT; dir++)
		for (int family = 0; family < MSS_FAMILY_COUNT; family++)
			field_add(fields, &n, FIELD_U64, &s->clamped[dir][family], 0, UINT64_MAX,
				  false, "clamped", direction_keys[dir], family_keys[family]);
	for (int dir = 0; dir < PPP_DIRECTION_COUNT; dir++)
		field_add(fields, &n, FIELD_U64, &s->malformed[dir], 0, UINT64_MAX, false,
			  "malformed", direction_keys[dir], NULL);
	for (int dir = 0; dir < PPP_DIRECTION_COUNT; dir++)
		field_add(fields, &n, FIELD_U64, &s->frames[dir], 0, UINT64_MAX, false,
			  "frames", direction_keys[dir], NULL);
	for (int dir = 0; dir < PPP_DIRECTION_COUNT; dir++)
		field_add(fields, &n, FIELD_U64, &s->bytes[dir], 0, UINT64_MAX, false,
			  "bytes", direction_keys[dir], NULL);
	for (int reason = 0; reason < RELAY_DROP_COUNT; reason++)
		field_add(fields, &n, FIELD_U64, &s->dropped[reason], 0, UINT64_MAX, false,
			  "dropped", drop_keys[reason], NULL);
	field_add(fields, &n, FIELD_AC_NAME, s->ac_name, 0, 0, false, "ac-name", NULL, NULL);
	return n;
}

static bool char_printable(char c)
{
	return c >= 0x20 && c < 0x7f;
}

/*
 * What Linux accepts as an interface name (dev_valid_name()), restricted to
 * printable ASCII: it becomes part of a file name and of a line.
 */
static bool nic_valid(const char *nic, size_t len)
{
	if (len == 0 || len >= SESSION_STATUS_NIC_MAX)
		return false;
	if ((len == 1 && nic[0] == '.') || (len == 2 && nic[0] == '.' && nic[1] == '.'))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!char_printable(nic[i]) || nic[i] == ' ' || nic[i] == '/' || nic[i] == ':')
			return false;
	return true;
}

/* ---- format ---- */

/* A number field's value, false when it is outside what parse accepts. */
static bool field_number(const struct status_field *f, uint64_t *out)
{
	int64_t value;

	switch (f->type) {
	case FIELD_U16:
		*out = *(const uint16_t *)f->value;
		break;
	case FIELD_U64:
		*out = *(const uint64_t *)f->value;
		break;
	case FIELD_PID:
	case FIELD_I64:
		value = f->type == FIELD_PID ? *(const pid_t *)f->value : *(const int64_t *)f->value;
		if (value < 0)
			return false;
		*out = (uint64_t)value;
		break;
	default:
		return false;
	}
	return *out >= f->min && *out <= f->max;
}

/* The value of f at buf; bytes written, or -1 when f cannot be read back. */
static int field_format(const struct status_field *f, char *buf, size_t len)
{
	char mac[RENDER_MAC_LEN];
	uint64_t number;
	const char *text;
	size_t n;

	switch (f->type) {
	case FIELD_NIC:
		text = f->value;
		if (!nic_valid(text, strnlen(text, SESSION_STATUS_NIC_MAX)))
			return -1;
		return snprintf(buf, len, "%s", text);
	case FIELD_AC_NAME:
		text = f->value;
		n = strnlen(text, SESSION_STATUS_AC_NAME_MAX - 1);
		if (n >= len)
			return (int)n;
		for (size_t i = 0; i < n; i++)
			buf[i] = char_printable(text[i]) ? text[i] : '?';
		buf[n] = '\0';
		return (int)n;
	case FIELD_MAC:
		render_mac(f->value, mac);
		return snprintf(buf, len, "%s", mac);
	case FIELD_DATAPATH:
		if ((unsigned)*(const enum session_datapath *)f->value >= SESSION_DATAPATH_COUNT)
			return -1;
		return snprintf(buf, len, "%s", datapath_names[*(const enum session_datapath *)f->value]);
	default:
		if (!field_number(f, &number))
			return -1;
		return snprintf(buf, len, "%" PRIu64, number);
	}
}

size_t session_status_format(const struct session_status *s, char *buf, size_t len)
{
	struct session_status copy = *s;  /* the field table points into a writable status */
	struct status_field fields[STATUS_FIELDS_MAX];
	size_t count = status_fields(&copy, fields);
	size_t used;
	int n;

	if (len < sizeof(STATUS_HEADER))
		return 0;
	memcpy(buf, STATUS_HEADER, sizeof(STATUS_HEADER));
	used = sizeof(STATUS_HEADER) - 1;
	for (size_t i = 0; i < count; i++) {
		n = snprintf(buf + used, len - used, "%s ", fields[i].key);
		if (n < 0 || (size_t)n >= len - used)
			return 0;
		used += (size_t)n;
		n = field_format(&fields[i], buf + used, len - used);
		/* The newline needs room as well as the NUL. */
		if (n < 0 || (size_t)n + 1 >= len - used)
			return 0;
		used += (size_t)n;
		buf[used++] = '\n';
		buf[used] = '\0';
	}
	return used;
}

/* ---- parse ---- */

/* A decimal in canonical form (no sign, no leading zero) that fits 64 bits. */
static bool number_parse(const char *text, size_t len, uint64_t *out)
{
	uint64_t value = 0;

	if (len == 0 || len > STATUS_NUMBER_DIGITS_MAX || (len > 1 && text[0] == '0'))
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned digit = (unsigned)(text[i] - '0');

		if (text[i] < '0' || text[i] > '9')
			return false;
		if (value > (UINT64_MAX - digit) / 10)
			return false;
		value = value * 10 + digit;
	}
	*out = value;
	return true;
}

static bool field_parse(const struct status_field *f, const char *value, size_t len)
{
	char mac[RENDER_MAC_LEN];
	uint64_t number;

	switch (f->type) {
	case FIELD_NIC:
		if (!nic_valid(value, len))
			return false;
		memcpy(f->value, value, len);
		((char *)f->value)[len] = '\0';
		return true;
	case FIELD_AC_NAME:
		if (len >= SESSION_STATUS_AC_NAME_MAX)
			return false;
		memcpy(f->value, value, len);
		((char *)f->value)[len] = '\0';
		return true;
	case FIELD_MAC:
		/* parse_mac wants a string; a MAC is exactly 17 characters. */
		if (len != RENDER_MAC_LEN - 1)
			return false;
		memcpy(mac, value, len);
		mac[len] = '\0';
		return parse_mac(mac, f->value);
	case FIELD_DATAPATH:
		for (int d = 0; d < SESSION_DATAPATH_COUNT; d++) {
			if (strlen(datapath_names[d]) == len && memcmp(datapath_names[d], value, len) == 0) {
				*(enum session_datapath *)f->value = (enum session_datapath)d;
				return true;
			}
		}
		return false;
	default:
		break;
	}
	if (!number_parse(value, len, &number) || number < f->min || number > f->max)
		return false;
	switch (f->type) {
	case FIELD_U16:
		*(uint16_t *)f->value = (uint16_t)number;
		break;
	case FIELD_PID:
		*(pid_t *)f->value = (pid_t)number;
		break;
	case FIELD_I64:
		*(int64_t *)f->value = (int64_t)number;
		break;
	default:
		*(uint64_t *)f->value = number;
		break;
	}
	return true;
}

static bool key_valid(const char *key, size_t len)
{
	if (len == 0 || len >= STATUS_KEY_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((key[i] >= 'a' && key[i] <= 'z') || (key[i] >= '0' && key[i] <= '9') ||
		      key[i] == '-'))
			return false;
	return true;
}

bool session_status_parse(const char *buf, size_t len, struct session_status *s)
{
	struct session_status parsed;
	struct status_field fields[STATUS_FIELDS_MAX];
	bool seen[STATUS_FIELDS_MAX] = { false };
	size_t count, pos;

	memset(&parsed, 0, sizeof(parsed));
	count = status_fields(&parsed, fields);
	if (len < sizeof(STATUS_HEADER) - 1 ||
	    memcmp(buf, STATUS_HEADER, sizeof(STATUS_HEADER) - 1) != 0)
		return false;
	pos = sizeof(STATUS_HEADER) - 1;
	while (pos < len) {
		const char *line = buf + pos;
		size_t rest = len - pos < STATUS_LINE_MAX ? len - pos : STATUS_LINE_MAX;
		const char *end = memchr(line, '\n', rest);
		const char *space;
		size_t line_len, key_len, i;

		/* No newline: a line too long to be ours, or a file cut short,
		 * whose last number may have lost digits. */
		if (end == NULL)
			return false;
		line_len = (size_t)(end - line);
		for (i = 0; i < line_len; i++)
			if (!char_printable(line[i]))
				return false;
		space = memchr(line, ' ', line_len);
		if (space == NULL)
			return false;
		key_len = (size_t)(space - line);
		if (!key_valid(line, key_len))
			return false;
		for (i = 0; i < count; i++)
			if (strlen(fields[i].key) == key_len && memcmp(fields[i].key, line, key_len) == 0)
				break;
		if (i < count) {
			/* A second value for a key is a file someone appended to. */
			if (seen[i] || !field_parse(&fields[i], space + 1, line_len - key_len - 1))
				return false;
			seen[i] = true;
		}
		pos += line_len + 1;
	}
	for (size_t i = 0; i < count; i++)
		if (fields[i].required && !seen[i])
			return false;
	*s = parsed;
	return true;
}

bool session_status_file_name(const struct session_status *s, char *out, size_t len)
{
	const uint8_t *mac = s->ac_mac;
	size_t nic_len = strnlen(s->nic, sizeof(s->nic));
	int n;

	if (!nic_valid(s->nic, nic_len) || s->session_id == 0)
		return false;
	n = snprintf(out, len, "%.*s-%u-%02x%02x%02x%02x%02x%02x.status", (int)nic_len, s->nic,
		     (unsigned)s->session_id, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	return n > 0 && (size_t)n < len;
}

/* ---- the file ---- */

/*
 * The run directory, never through a symbolic link in its last component:
 * the writer is root and the directory is where it creates files.
 */
static int run_dir_open(const char *dir, bool create)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd >= 0 || errno != ENOENT || !create)
		return fd;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -1;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	/* 0755 whatever the umask: pppoe-mss-sessions runs without privileges. */
	if (fd >= 0 && fchmod(fd, 0755) < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

int session_status_publish(const char *dir, const struct session_status *s)
{
	char text[SESSION_STATUS_FILE_MAX];
	char name[SESSION_STATUS_FILE_NAME_MAX];
	size_t len = session_status_format(s, text, sizeof(text));
	int dir_fd, result, saved;

	if (len == 0 || !session_status_file_name(s, name, sizeof(name))) {
		errno = EINVAL;
		return -1;
	}
	dir_fd = run_dir_open(dir, true);
	if (dir_fd < 0)
		return -1;
	/* Its temporary name is not *.status: readers skip it. */
	result = small_file_replace_at(dir_fd, name, text, len, 0644);
	saved = errno;
	close(dir_fd);
	errno = saved;
	return result;
}

void session_status_withdraw(const char *dir, const struct session_status *s)
{
	char name[SESSION_STATUS_FILE_NAME_MAX];
	int dir_fd;

	if (!session_status_file_name(s, name, sizeof(name)))
		return;
	dir_fd = run_dir_open(dir, false);
	if (dir_fd < 0)
		return;
	unlinkat(dir_fd, name, 0);
	close(dir_fd);
}

bool session_status_writer_alive(const struct session_status *s)
{
	/* EPERM: it exists, as another user's. */
	return kill(s->pid, 0) == 0 || errno == EPERM;
}

/* The status in dir_fd's file name, if it parses (bounded, no links followed). */
static bool status_read_at(int dir_fd, const char *name, struct session_status *s)
{
	char text[SESSION_STATUS_FILE_MAX];
	ssize_t got = small_file_read_at(dir_fd, name, text, sizeof(text));

	return got > 0 && (size_t)got < sizeof(text) && session_status_parse(text, (size_t)got, s);
}

void session_status_sweep(const char *dir, const char *nic)
{
	size_t nic_len = strlen(nic);
	int dir_fd = run_dir_open(dir, false);
	struct dirent *item;
	DIR *listing;

	if (dir_fd < 0)
		return;
	listing = fdopendir(dir_fd);
	if (listing == NULL) {
		close(dir_fd);
		return;
	}
	while ((item = readdir(listing)) != NULL) {
		struct session_status s;

		if (strncmp(item->d_name, nic, nic_len) != 0 || item->d_name[nic_len] != '-' ||
		    !status_read_at(dir_fd, item->d_name, &s) || strcmp(s.nic, nic) != 0 ||
		    session_status_writer_alive(&s))
			continue;
		unlinkat(dir_fd, item->d_name, 0);
	}
	closedir(listing);
}
