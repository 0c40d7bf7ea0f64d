/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pppoe-mss-sessions: what the running PPPoE sessions publish in the run
 * directory (session_status.h), for people or, with --json, for scripts.
 * It needs no privileges: the files are world-readable, and it only reads.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "relay.h"
#include "render.h"
#include "session_status.h"

#define PROGRAM "pppoe-mss-sessions"

struct options {
	bool json;
	const char *run_dir;
	char **nics;    /* only these interfaces; all when nic_count is 0 */
	int nic_count;
};

struct session_list {
	struct session_status *items;
	size_t count, capacity;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: " PROGRAM " [--json] [--run-dir DIR] [NIC...]\n"
		"Show the PPPoE sessions pppoe-mss is running: access concentrator, data path,\n"
		"uptime, MTU/MRU, MSS limits and clamp counters.\n"
		"\n"
		"  --json          a JSON array of sessions, for scripts\n"
		"  --run-dir DIR   where sessions publish their status (default %s)\n"
		"  NIC...          only the sessions on these Ethernet interfaces\n"
		"  -V, --version   print the version and exit\n"
		"  -h, --help      this help\n",
		PPPOE_MSS_RUN_DIR);
}

static void fail_usage(const char *message, const char *arg)
{
	fprintf(stderr, PROGRAM ": %s%s (see " PROGRAM " --help)\n", message, arg);
	exit(2);
}

static void parse_options(int argc, char **argv, struct options *opt)
{
	static const struct option long_options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "run-dir", required_argument, NULL, 'r' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opt->json = false;
	opt->run_dir = PPPOE_MSS_RUN_DIR;
	/* "+": options before the first NIC only, as getopt does in POSIX mode. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+Vh", long_options, NULL)) != -1) {
		switch (c) {
		case 'j':
			opt->json = true;
			break;
		case 'r':
			if (optarg[0] == '\0')
				fail_usage("--run-dir needs a directory", "");
			opt->run_dir = optarg;
			break;
		case 'V':
			printf(PROGRAM " %s\n", PACKAGE_VERSION);
			exit(0);
		case 'h':
			usage(stdout);
			exit(0);
		default:
			if (optopt == 'r')
				fail_usage("--run-dir needs a directory", "");
			/* Unknown, or a value given to an option that takes none. */
			fail_usage("wrong option ", argv[optind - 1]);
		}
	}
	opt->nics = argv + optind;
	opt->nic_count = argc - optind;
	for (int i = 0; i < opt->nic_count; i++)
		if (opt->nics[i][0] == '\0' || strlen(opt->nics[i]) >= SESSION_STATUS_NIC_MAX)
			fail_usage("not an interface name: ", opt->nics[i]);
}

/* ---- reading the run directory ---- */

static bool nic_wanted(const struct options *opt, const char *nic)
{
	if (opt->nic_count == 0)
		return true;
	for (int i = 0; i < opt->nic_count; i++)
		if (strcmp(opt->nics[i], nic) == 0)
			return true;
	return false;
}

static bool name_is_status_file(const char *name)
{
	static const char suffix[] = ".status";
	size_t len = strlen(name);

	/* Not the writers' temporary files: ".<name>.status.<pid>". */
	return len > sizeof(suffix) - 1 && strcmp(name + len - (sizeof(suffix) - 1), suffix) == 0;
}

/*
 * One status file, opened without following links and read only when it is
 * a small regular file; false for anything else (not ours, or being
 * replaced: the writer renames a new one over it every second).
 */
static bool status_file_read(int dir_fd, const char *name, struct session_status *s)
{
	char buf[SESSION_STATUS_FILE_MAX + 1];
	struct stat st;
	size_t len = 0;
	ssize_t n;
	bool ok = false;
	/* O_NONBLOCK: a FIFO named like a status file must not hang us. */
	int fd = openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return false;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > SESSION_STATUS_FILE_MAX)
		goto out;
	/* One byte more than allowed, to see a file that grew after fstat. */
	while (len < sizeof(buf)) {
		n = read(fd, buf + len, sizeof(buf) - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto out;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	ok = len <= SESSION_STATUS_FILE_MAX && session_status_parse(buf, len, s);
out:
	close(fd);
	return ok;
}

static void session_list_add(struct session_list *list, const struct session_status *s)
{
	if (list->count == list->capacity) {
		size_t capacity = list->capacity ? 2 * list->capacity : 8;
		struct session_status *items = realloc(list->items, capacity * sizeof(*items));

		if (items == NULL) {
			fprintf(stderr, PROGRAM ": out of memory\n");
			exit(1);
		}
		list->items = items;
		list->capacity = capacity;
	}
	list->items[list->count++] = *s;
}

static int session_compare(const void *a, const void *b)
{
	const struct session_status *x = a, *y = b;
	int order = strcmp(x->nic, y->nic);

	if (order != 0)
		return order;
	if (x->session_id != y->session_id)
		return x->session_id < y->session_id ? -1 : 1;
	return memcmp(x->ac_mac, y->ac_mac, sizeof(x->ac_mac));
}

/*
 * The live sessions in run_dir, sorted by NIC and session id.  A missing
 * directory means no session has run since boot; files of writers that are
 * gone are stale (killed with SIGKILL) and left out without a word.
 */
static bool sessions_read(const struct options *opt, struct session_list *list)
{
	DIR *dir = opendir(opt->run_dir);
	struct dirent *entry;
	struct session_status s;

	if (dir == NULL) {
		if (errno == ENOENT)
			return true;
		fprintf(stderr, PROGRAM ": cannot read %s: %s\n", opt->run_dir, strerror(errno));
		return false;
	}
	while ((entry = readdir(dir)) != NULL) {
		if (!name_is_status_file(entry->d_name))
			continue;
		if (!status_file_read(dirfd(dir), entry->d_name, &s))
			continue;
		if (session_status_writer_alive(&s) && nic_wanted(opt, s.nic))
			session_list_add(list, &s);
	}
	closedir(dir);
	if (list->count > 1)
		qsort(list->items, list->count, sizeof(list->items[0]), session_compare);
	return true;
}

/* ---- text ---- */

/* "2h 03m 10s", "3d 00h 00m 05s", "42s". */
static void duration_format(int64_t seconds, char *out, size_t len)
{
	int64_t days = seconds / 86400, hours = seconds / 3600 % 24;
	int64_t minutes = seconds / 60 % 60, secs = seconds % 60;

	if (days > 0)
		snprintf(out, len, "%" PRId64 "d %02" PRId64 "h %02" PRId64 "m %02" PRId64 "s",
			 days, hours, minutes, secs);
	else if (hours > 0)
		snprintf(out, len, "%" PRId64 "h %02" PRId64 "m %02" PRId64 "s", hours, minutes, secs);
	else if (minutes > 0)
		snprintf(out, len, "%" PRId64 "m %02" PRId64 "s", minutes, secs);
	else
		snprintf(out, len, "%" PRId64 "s", secs);
}

static int64_t session_uptime(const struct session_status *s, time_t now)
{
	/* A clock stepped back since the session came up reads as just started. */
	return (int64_t)now > s->started ? (int64_t)now - s->started : 0;
}

static bool session_clamps(const struct session_status *s)
{
	return s->limits.outbound.ipv4 || s->limits.outbound.ipv6 ||
	       s->limits.inbound.ipv4 || s->limits.inbound.ipv6;
}

static const char *datapath_description(const struct session_status *s)
{
	if (s->datapath == SESSION_DATAPATH_USER)
		return "user-space relay";
	/* pppoe-mss off: the kernel carries the session with no eBPF program. */
	return session_clamps(s) ? "kernel (eBPF clamp)" : "kernel (no MSS clamp)";
}

static void limit_print(const char *family, uint16_t mss)
{
	if (mss == 0)
		printf("%s off", family);
	else
		printf("%s %u", family, (unsigned)mss);
}

static void limits_print(const char *label, const struct mss_limit *limit)
{
	printf("%s ", label);
	limit_print("IPv4", limit->ipv4);
	printf(", ");
	limit_print("IPv6", limit->ipv6);
}

static void session_print_text(const struct session_status *s, time_t now)
{
	char ac_mac[RENDER_MAC_LEN], our_mac[RENDER_MAC_LEN], uptime[48], since[32];
	time_t started = (time_t)s->started;
	struct tm tm;
	bool any_drop = false;

	render_mac(s->ac_mac, ac_mac);
	render_mac(s->our_mac, our_mac);
	duration_format(session_uptime(s, now), uptime, sizeof(uptime));
	if (localtime_r(&started, &tm) == NULL || strftime(since, sizeof(since), "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(since, sizeof(since), "%" PRId64, s->started);

	printf("%s: session %u with AC \"%s\" (%s)\n", s->nic, (unsigned)s->session_id, s->ac_name,
	       ac_mac);
	printf("  data path:     %s, pid %ld", datapath_description(s), (long)s->pid);
	if (s->pppd_pid > 0)
		printf(", pppd %ld", (long)s->pppd_pid);
	printf("\n  our MAC:       %s\n", our_mac);
	printf("  up:            %s (since %s)\n", uptime, since);
	if (s->mtu == 0 && s->mru == 0)
		printf("  MTU/MRU:       not negotiated yet\n");
	else
		printf("  MTU/MRU:       %u/%u\n", (unsigned)s->mtu, (unsigned)s->mru);
	printf("  MSS limit:     ");
	limits_print("outbound", &s->limits.outbound);
	limits_print("; inbound", &s->limits.inbound);
	printf("\n  SYNs clamped:  outbound IPv4 %" PRIu64 ", IPv6 %" PRIu64
	       "; inbound IPv4 %" PRIu64 ", IPv6 %" PRIu64 "\n",
	       s->clamped[PPP_OUTBOUND][MSS_FAMILY_IPV4], s->clamped[PPP_OUTBOUND][MSS_FAMILY_IPV6],
	       s->clamped[PPP_INBOUND][MSS_FAMILY_IPV4], s->clamped[PPP_INBOUND][MSS_FAMILY_IPV6]);
	printf("  malformed IP:  outbound %" PRIu64 ", inbound %" PRIu64 "\n",
	       s->malformed[PPP_OUTBOUND], s->malformed[PPP_INBOUND]);
	/* The kernel counts its frames itself (ip -s link show ppp0). */
	if (s->datapath != SESSION_DATAPATH_USER)
		return;
	printf("  frames:        outbound %" PRIu64 " (%" PRIu64 " bytes), inbound %" PRIu64
	       " (%" PRIu64 " bytes)\n",
	       s->frames[PPP_OUTBOUND], s->bytes[PPP_OUTBOUND], s->frames[PPP_INBOUND],
	       s->bytes[PPP_INBOUND]);
	printf("  dropped:       ");
	for (int reason = 0; reason < RELAY_DROP_COUNT; reason++) {
		if (s->dropped[reason] == 0)
			continue;
		printf("%s%" PRIu64 " %s", any_drop ? ", " : "", s->dropped[reason],
		       relay_drop_reason_name((enum relay_drop_reason)reason));
		any_drop = true;
	}
	printf("%s\n", any_drop ? "" : "none");
}

static void sessions_print_text(const struct options *opt, const struct session_list *list, time_t now)
{
	if (list->count == 0) {
		printf("no PPPoE session is running");
		for (int i = 0; i < opt->nic_count; i++)
			printf("%s%s", i == 0 ? " on " : i + 1 == opt->nic_count ? " or " : ", ", opt->nics[i]);
		printf("\n");
		return;
	}
	for (size_t i = 0; i < list->count; i++) {
		if (i > 0)
			printf("\n");
		session_print_text(&list->items[i], now);
	}
}

/* ---- JSON ---- */

/* A JSON string; bytes outside printable ASCII as \u00XX (the AC name came
 * from the network, even though the writer already masked it). */
static void json_string(const char *text)
{
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

static void json_directions(const char *key, const uint64_t values[PPP_DIRECTION_COUNT])
{
	printf(",\n    \"%s\": {\"outbound\": %" PRIu64 ", \"inbound\": %" PRIu64 "}", key,
	       values[PPP_OUTBOUND], values[PPP_INBOUND]);
}

static void json_limits(const struct clamp_limits *limits)
{
	printf(",\n    \"mss\": {\"outbound\": {\"ipv4\": %u, \"ipv6\": %u}, "
	       "\"inbound\": {\"ipv4\": %u, \"ipv6\": %u}}",
	       (unsigned)limits->outbound.ipv4, (unsigned)limits->outbound.ipv6,
	       (unsigned)limits->inbound.ipv4, (unsigned)limits->inbound.ipv6);
}

/* JSON keys are snake_case; the file's drop keys are kebab-case. */
static void json_drop_key(enum relay_drop_reason reason)
{
	putchar('"');
	for (const char *p = session_status_drop_key(reason); *p != '\0'; p++)
		putchar(*p == '-' ? '_' : *p);
	putchar('"');
}

static void session_print_json(const struct session_status *s, time_t now)
{
	char mac[RENDER_MAC_LEN];
	const uint64_t (*clamped)[MSS_FAMILY_COUNT] = s->clamped;

	printf("  {\n    \"nic\": ");
	json_string(s->nic);
	printf(",\n    \"session\": %u", (unsigned)s->session_id);
	printf(",\n    \"ac_name\": ");
	json_string(s->ac_name);
	render_mac(s->ac_mac, mac);
	printf(",\n    \"ac_mac\": \"%s\"", mac);
	render_mac(s->our_mac, mac);
	printf(",\n    \"our_mac\": \"%s\"", mac);
	printf(",\n    \"datapath\": \"%s\"", session_status_datapath_name(s->datapath));
	printf(",\n    \"started\": %" PRId64 ",\n    \"uptime\": %" PRId64, s->started,
	       session_uptime(s, now));
	printf(",\n    \"pid\": %ld,\n    \"pppd_pid\": %ld", (long)s->pid, (long)s->pppd_pid);
	printf(",\n    \"mtu\": %u,\n    \"mru\": %u", (unsigned)s->mtu, (unsigned)s->mru);
	json_limits(&s->limits);
	printf(",\n    \"clamped\": {\"outbound\": {\"ipv4\": %" PRIu64 ", \"ipv6\": %" PRIu64 "}, "
	       "\"inbound\": {\"ipv4\": %" PRIu64 ", \"ipv6\": %" PRIu64 "}}",
	       clamped[PPP_OUTBOUND][MSS_FAMILY_IPV4], clamped[PPP_OUTBOUND][MSS_FAMILY_IPV6],
	       clamped[PPP_INBOUND][MSS_FAMILY_IPV4], clamped[PPP_INBOUND][MSS_FAMILY_IPV6]);
	json_directions("malformed", s->malformed);
	json_directions("frames", s->frames);
	json_directions("bytes", s->bytes);
	printf(",\n    \"dropped\": {");
	for (int reason = 0; reason < RELAY_DROP_COUNT; reason++) {
		printf("%s", reason == 0 ? "" : ", ");
		json_drop_key((enum relay_drop_reason)reason);
		printf(": %" PRIu64, s->dropped[reason]);
	}
	printf("}\n  }");
}

static void sessions_print_json(const struct session_list *list, time_t now)
{
	printf("[");
	for (size_t i = 0; i < list->count; i++) {
		printf("%s\n", i == 0 ? "" : ",");
		session_print_json(&list->items[i], now);
	}
	printf("%s]\n", list->count ? "\n" : "");
}

int main(int argc, char **argv)
{
	struct options opt;
	struct session_list list = { NULL, 0, 0 };
	time_t now;

	parse_options(argc, argv, &opt);
	if (!sessions_read(&opt, &list))
		return 1;
	now = time(NULL);
	if (opt.json)
		sessions_print_json(&list, now);
	else
		sessions_print_text(&opt, &list, now);
	free(list.items);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, PROGRAM ": cannot write the output: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
