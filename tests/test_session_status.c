/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for src/session_status.c: the text it formats and parses, the
 * files it publishes.  pppoe-mss-sessions run on those files is tested in
 * test_pppoe_mss_sessions.c.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check_main.h"
#include "session_status.h"
#include "test_session_status.h"

void status_example(struct session_status *s)
{
	static const uint8_t ac_mac[PPPOE_MAC_LEN] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0xaa };
	static const uint8_t our_mac[PPPOE_MAC_LEN] = { 0x02, 0, 0, 0, 0, 0x01 };

	memset(s, 0, sizeof(*s));
	strcpy(s->nic, "eth0");
	strcpy(s->ac_name, "ISP BRAS 1");
	memcpy(s->ac_mac, ac_mac, sizeof(ac_mac));
	memcpy(s->our_mac, our_mac, sizeof(our_mac));
	s->session_id = 4711;
	s->datapath = SESSION_DATAPATH_USER;
	s->started = 1764900000;
	s->pid = 12345;
	s->pppd_pid = 12344;
	s->mtu = 1492;
	s->mru = 1480;
	s->limits.outbound = (struct mss_limit){ 1440, 1420 };
	s->limits.inbound = (struct mss_limit){ 1452, 1432 };
	s->clamped[PPP_OUTBOUND][MSS_FAMILY_IPV4] = 11;
	s->clamped[PPP_OUTBOUND][MSS_FAMILY_IPV6] = 12;
	s->clamped[PPP_INBOUND][MSS_FAMILY_IPV4] = 21;
	s->clamped[PPP_INBOUND][MSS_FAMILY_IPV6] = 22;
	s->malformed[PPP_OUTBOUND] = 31;
	s->malformed[PPP_INBOUND] = 32;
	s->frames[PPP_OUTBOUND] = 41;
	s->frames[PPP_INBOUND] = 42;
	s->bytes[PPP_OUTBOUND] = 51;
	s->bytes[PPP_INBOUND] = UINT64_MAX;
	for (int reason = 0; reason < RELAY_DROP_COUNT; reason++)
		s->dropped[reason] = 61 + (uint64_t)reason;
}

static const char example_text[] =
	"pppoe-mss-status 1\n"
	"nic eth0\n"
	"session 4711\n"
	"ac-mac 00:11:22:33:44:aa\n"
	"our-mac 02:00:00:00:00:01\n"
	"datapath user\n"
	"started 1764900000\n"
	"pid 12345\n"
	"pppd-pid 12344\n"
	"mtu 1492\n"
	"mru 1480\n"
	"mss-outbound-ipv4 1440\n"
	"mss-outbound-ipv6 1420\n"
	"mss-inbound-ipv4 1452\n"
	"mss-inbound-ipv6 1432\n"
	"clamped-outbound-ipv4 11\n"
	"clamped-outbound-ipv6 12\n"
	"clamped-inbound-ipv4 21\n"
	"clamped-inbound-ipv6 22\n"
	"malformed-outbound 31\n"
	"malformed-inbound 32\n"
	"frames-outbound 41\n"
	"frames-inbound 42\n"
	"bytes-outbound 51\n"
	"bytes-inbound 18446744073709551615\n"
	"dropped-not-session 61\n"
	"dropped-not-to-us 62\n"
	"dropped-wrong-ac 63\n"
	"dropped-wrong-session 64\n"
	"dropped-empty 65\n"
	"dropped-too-big 66\n"
	"dropped-pppd-busy 67\n"
	"dropped-socket-full 68\n"
	"ac-name ISP BRAS 1\n";

/* Field by field: a struct compare would also compare padding. */
static void assert_status_eq(const struct session_status *a, const struct session_status *b)
{
	ck_assert_str_eq(a->nic, b->nic);
	ck_assert_str_eq(a->ac_name, b->ac_name);
	ck_assert_mem_eq(a->ac_mac, b->ac_mac, PPPOE_MAC_LEN);
	ck_assert_mem_eq(a->our_mac, b->our_mac, PPPOE_MAC_LEN);
	ck_assert_uint_eq(a->session_id, b->session_id);
	ck_assert_int_eq(a->datapath, b->datapath);
	ck_assert_int_eq(a->started, b->started);
	ck_assert_int_eq(a->pid, b->pid);
	ck_assert_int_eq(a->pppd_pid, b->pppd_pid);
	ck_assert_uint_eq(a->mtu, b->mtu);
	ck_assert_uint_eq(a->mru, b->mru);
	ck_assert_uint_eq(a->limits.outbound.ipv4, b->limits.outbound.ipv4);
	ck_assert_uint_eq(a->limits.outbound.ipv6, b->limits.outbound.ipv6);
	ck_assert_uint_eq(a->limits.inbound.ipv4, b->limits.inbound.ipv4);
	ck_assert_uint_eq(a->limits.inbound.ipv6, b->limits.inbound.ipv6);
	ck_assert_mem_eq(a->clamped, b->clamped, sizeof(a->clamped));
	ck_assert_mem_eq(a->malformed, b->malformed, sizeof(a->malformed));
	ck_assert_mem_eq(a->frames, b->frames, sizeof(a->frames));
	ck_assert_mem_eq(a->bytes, b->bytes, sizeof(a->bytes));
	ck_assert_mem_eq(a->dropped, b->dropped, sizeof(a->dropped));
}

/* Parse an exact-size heap copy, so that AddressSanitizer sees any read past len. */
static bool parse_copy(const char *text, size_t len, struct session_status *s)
{
	char *copy = malloc(len ? len : 1);
	bool ok;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, text, len);
	ok = session_status_parse(copy, len, s);
	free(copy);
	return ok;
}

/* base with the line of key replaced by replacement ("" removes it). */
static char *text_replace_line(const char *base, const char *key, const char *replacement)
{
	char prefix[64];
	const char *start, *end;
	char *out;

	snprintf(prefix, sizeof(prefix), "\n%s ", key);
	start = strstr(base, prefix);
	ck_assert_msg(start != NULL, "no line %s", key);
	start++;
	end = strchr(start, '\n') + 1;
	out = malloc(strlen(base) + strlen(replacement) + 1);
	ck_assert_ptr_nonnull(out);
	sprintf(out, "%.*s%s%s", (int)(start - base), base, replacement, end);
	return out;
}

START_TEST(test_format_is_stable)
{
	struct session_status s;
	char buf[SESSION_STATUS_FILE_MAX];

	status_example(&s);
	ck_assert_uint_eq(session_status_format(&s, buf, sizeof(buf)), strlen(example_text));
	ck_assert_str_eq(buf, example_text);
}
END_TEST

START_TEST(test_format_parse_round_trip)
{
	struct session_status s, back;
	char buf[SESSION_STATUS_FILE_MAX];
	size_t len;

	status_example(&s);
	len = session_status_format(&s, buf, sizeof(buf));
	ck_assert_uint_gt(len, 0);
	ck_assert(parse_copy(buf, len, &back));
	assert_status_eq(&back, &s);

	/* The kernel path, the edges of every range, and the optional fields at 0. */
	memset(&s, 0, sizeof(s));
	strcpy(s.nic, "enp1s0.100-ppp1");  /* 15 characters: IFNAMSIZ - 1 */
	memset(s.ac_mac, 0xff, sizeof(s.ac_mac));
	s.session_id = 65535;
	s.datapath = SESSION_DATAPATH_KERNEL;
	s.started = INT64_MAX;
	s.pid = INT_MAX;
	len = session_status_format(&s, buf, sizeof(buf));
	ck_assert_uint_gt(len, 0);
	ck_assert(strstr(buf, "\nac-name \n") != NULL);
	ck_assert(parse_copy(buf, len, &back));
	assert_status_eq(&back, &s);
}
END_TEST

START_TEST(test_format_refuses_what_cannot_be_read_back)
{
	static const char *const bad_nics[] = { "", ".", "..", "a/b", "eth 0", "eth0:1", "eth\n0" };
	struct session_status s;
	char buf[SESSION_STATUS_FILE_MAX];

	for (size_t i = 0; i < sizeof(bad_nics) / sizeof(bad_nics[0]); i++) {
		status_example(&s);
		strcpy(s.nic, bad_nics[i]);
		ck_assert_msg(session_status_format(&s, buf, sizeof(buf)) == 0, "nic '%s'", bad_nics[i]);
	}
	status_example(&s);
	memset(s.nic, 'a', sizeof(s.nic));  /* not terminated */
	ck_assert_uint_eq(session_status_format(&s, buf, sizeof(buf)), 0);
	status_example(&s);
	s.session_id = 0;
	ck_assert_uint_eq(session_status_format(&s, buf, sizeof(buf)), 0);
	status_example(&s);
	s.pid = 0;
	ck_assert_uint_eq(session_status_format(&s, buf, sizeof(buf)), 0);
	s.pid = -1;
	ck_assert_uint_eq(session_status_format(&s, buf, sizeof(buf)), 0);
	status_example(&s);
	s.pppd_pid = -5;
	ck_assert_uint_eq(session_status_format(&s, buf, sizeof(buf)), 0);
	status_example(&s);
	s.started = -1;
	ck_assert_uint_eq(session_status_format(&s, buf, sizeof(buf)), 0);
	status_example(&s);
	s.datapath = SESSION_DATAPATH_COUNT;
	ck_assert_uint_eq(session_status_format(&s, buf, sizeof(buf)), 0);
}
END_TEST

START_TEST(test_format_stays_within_the_buffer)
{
	struct session_status s;
	size_t full = strlen(example_text);
	char *buf = malloc(full + 1);

	ck_assert_ptr_nonnull(buf);
	status_example(&s);
	/* Exact-size buffers: AddressSanitizer sees a write past len. */
	for (size_t len = 0; len <= full; len++) {
		char *small = malloc(len ? len : 1);

		ck_assert_ptr_nonnull(small);
		ck_assert_msg(session_status_format(&s, small, len) == 0, "fits in %zu", len);
		free(small);
	}
	ck_assert_uint_eq(session_status_format(&s, buf, full + 1), full);
	free(buf);
}
END_TEST

START_TEST(test_format_masks_the_ac_name)
{
	struct session_status s, back;
	char buf[SESSION_STATUS_FILE_MAX];
	size_t len;

	/* render_printable's job, but a line must never end inside a value. */
	status_example(&s);
	strcpy(s.ac_name, "evil\npid 1\n\x1b[2J\xc3\xa9");
	len = session_status_format(&s, buf, sizeof(buf));
	ck_assert(strstr(buf, "\nac-name evil?pid 1??[2J??\n") != NULL);
	ck_assert(parse_copy(buf, len, &back));
	ck_assert_int_eq(back.pid, 12345);
	ck_assert_str_eq(back.ac_name, "evil?pid 1??[2J??");

	/* A full, unterminated array: cut to what the field holds. */
	memset(s.ac_name, 'x', sizeof(s.ac_name));
	len = session_status_format(&s, buf, sizeof(buf));
	ck_assert(parse_copy(buf, len, &back));
	ck_assert_uint_eq(strlen(back.ac_name), SESSION_STATUS_AC_NAME_MAX - 1);
}
END_TEST

START_TEST(test_parse_rejects_hostile_files)
{
	/* Each replaces one line of the example (key, then what takes its place). */
	static const char *const edits[][2] = {
		{ "session", "session 0\n" },
		{ "session", "session 65536\n" },
		{ "session", "session -1\n" },
		{ "pid", "pid 0\n" },
		{ "pid", "pid 2147483648\n" },
		{ "pid", "pid +5\n" },
		{ "pid", "pid 05\n" },
		{ "pid", "pid \n" },
		{ "pid", "pid 5 \n" },
		{ "pid", "pid 0x10\n" },
		{ "pid", "pid\n" },
		{ "pid", "" },  /* required */
		{ "pid", "pid 5\npid 6\n" },  /* a second value */
		{ "pppd-pid", "pppd-pid -1\n" },
		{ "mtu", "mtu 65536\n" },
		{ "started", "started -1\n" },
		{ "started", "started 9223372036854775808\n" },
		{ "clamped-outbound-ipv4", "clamped-outbound-ipv4 18446744073709551616\n" },
		{ "clamped-outbound-ipv4", "clamped-outbound-ipv4 99999999999999999999999\n" },
		{ "nic", "" },
		{ "nic", "nic ..\n" },
		{ "nic", "nic ../../etc\n" },
		{ "nic", "nic eth0123456789abc\n" },  /* IFNAMSIZ */
		{ "nic", "nic eth0\nnic eth1\n" },
		{ "ac-mac", "ac-mac 00:11:22:33:44:5g\n" },
		{ "ac-mac", "ac-mac 00:11:22:33:44:55:66\n" },
		{ "ac-mac", "ac-mac 00:11:22:33:44\n" },
		{ "our-mac", "" },
		{ "datapath", "datapath xdp\n" },
		{ "datapath", "datapath kernel \n" },
		{ "ac-name", "ac-name tab\there\n" },
		{ "ac-name", "ac-name \x1b[31mred\n" },
		{ "ac-name", "ac-name caf\xc3\xa9\n" },
		{ "ac-name", "ac-name one\rtwo\n" },
		{ "mru", "MRU 1492\n" },
		{ "mru", " mru 1492\n" },
		{ "mru", "\n" },
	};
	struct session_status s, untouched;
	char text[SESSION_STATUS_FILE_MAX * 4];
	char *edited;

	memset(&s, 0x5a, sizeof(s));
	untouched = s;
	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		edited = text_replace_line(example_text, edits[i][0], edits[i][1]);
		ck_assert_msg(!parse_copy(edited, strlen(edited), &s), "accepted %s", edits[i][1]);
		free(edited);
	}

	/* The header: ours, first, this version. */
	ck_assert(!parse_copy(example_text + 19, strlen(example_text) - 19, &s));
	snprintf(text, sizeof(text), "pppoe-mss-status 2\n%s", example_text + 19);
	ck_assert(!parse_copy(text, strlen(text), &s));
	snprintf(text, sizeof(text), "x-first 1\n%s", example_text);
	ck_assert(!parse_copy(text, strlen(text), &s));
	/* Cut short: no newline after the last value. */
	ck_assert(!parse_copy(example_text, strlen(example_text) - 1, &s));
	/* A NUL in a line. */
	memcpy(text, example_text, sizeof(example_text));
	text[strlen("pppoe-mss-status 1\nnic eth")] = '\0';
	ck_assert(!parse_copy(text, strlen(example_text), &s));
	/* A huge line, even of a key we would ignore. */
	snprintf(text, sizeof(text), "%sx-padding ", example_text);
	memset(text + strlen(text), 'a', SESSION_STATUS_FILE_MAX);
	text[sizeof(example_text) - 1 + 10 + SESSION_STATUS_FILE_MAX] = '\n';
	ck_assert(!parse_copy(text, sizeof(example_text) + 10 + SESSION_STATUS_FILE_MAX, &s));
	/* An AC name longer than the field. */
	snprintf(text, sizeof(text), "%.*sac-name %0256d\n",
		 (int)(strlen(example_text) - strlen("ac-name ISP BRAS 1\n")), example_text, 0);
	ck_assert(!parse_copy(text, strlen(text), &s));
	ck_assert(!parse_copy("", 0, &s));
	ck_assert_mem_eq(&s, &untouched, sizeof(s));
}
END_TEST

START_TEST(test_parse_ignores_unknown_keys)
{
	struct session_status s, expected;
	char text[SESSION_STATUS_FILE_MAX];

	status_example(&expected);
	/* Keys of a later version, repeated or empty, anywhere after the header. */
	snprintf(text, sizeof(text), "pppoe-mss-status 1\nx-future 1\n%sx-future 2\nx-empty \n",
		 example_text + 19);
	ck_assert(parse_copy(text, strlen(text), &s));
	assert_status_eq(&s, &expected);
}
END_TEST

START_TEST(test_parse_truncated_at_every_length)
{
	size_t full = strlen(example_text);
	struct session_status s, expected;

	status_example(&expected);
	for (size_t len = 0; len < full; len++) {
		if (!parse_copy(example_text, len, &s))
			continue;
		/* Only whole lines, with the required ones, and those as written. */
		ck_assert_msg(example_text[len - 1] == '\n', "accepted a cut line at %zu", len);
		ck_assert_int_eq(s.pid, expected.pid);
		ck_assert_uint_eq(s.session_id, expected.session_id);
		ck_assert_str_eq(s.nic, expected.nic);
	}
	ck_assert(parse_copy(example_text, full, &s));
}
END_TEST

START_TEST(test_file_name)
{
	struct session_status s;
	char name[SESSION_STATUS_FILE_NAME_MAX];

	status_example(&s);
	ck_assert(session_status_file_name(&s, name, sizeof(name)));
	ck_assert_str_eq(name, "eth0-4711-0011223344aa.status");
	ck_assert(!session_status_file_name(&s, name, strlen("eth0-4711-0011223344aa.status")));
	/* The longest name fits the buffer the header sizes. */
	strcpy(s.nic, "abcdefghijklmno");
	s.session_id = 65535;
	ck_assert(session_status_file_name(&s, name, sizeof(name)));
	ck_assert_uint_eq(strlen(name), SESSION_STATUS_FILE_NAME_MAX - 1);
	strcpy(s.nic, "..");
	ck_assert(!session_status_file_name(&s, name, sizeof(name)));
	strcpy(s.nic, "a/b");
	ck_assert(!session_status_file_name(&s, name, sizeof(name)));
	status_example(&s);
	s.session_id = 0;
	ck_assert(!session_status_file_name(&s, name, sizeof(name)));
}
END_TEST

START_TEST(test_names)
{
	for (int i = 0; i < RELAY_DROP_COUNT; i++) {
		const char *key = session_status_drop_key((enum relay_drop_reason)i);

		ck_assert_uint_gt(strlen(key), 0);
		ck_assert_uint_eq(strspn(key, "abcdefghijklmnopqrstuvwxyz-"), strlen(key));
		for (int j = 0; j < i; j++)
			ck_assert_str_ne(key, session_status_drop_key((enum relay_drop_reason)j));
	}
	ck_assert_str_eq(session_status_drop_key(RELAY_DROP_COUNT), "unknown");
	ck_assert_str_eq(session_status_datapath_name(SESSION_DATAPATH_KERNEL), "kernel");
	ck_assert_str_eq(session_status_datapath_name(SESSION_DATAPATH_USER), "user");
}
END_TEST

/* ---- the file ---- */

char temp_dir[TEMP_DIR_MAX];

void fixture_setup(void)
{
	temp_dir_make(temp_dir, "test_session_status");
}

void fixture_teardown(void)
{
	temp_dir_remove(temp_dir);
}

void path_join(char *out, size_t len, const char *dir, const char *name)
{
	ck_assert_int_lt(snprintf(out, len, "%s/%s", dir, name), (int)len);
}

pid_t pid_dead(void)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(0);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	return pid;
}

/* Entries but . and .., dot files included: a temporary file would be one. */
static size_t dir_entries(const char *path)
{
	DIR *dir = opendir(path);
	struct dirent *entry;
	size_t n = 0;

	ck_assert_ptr_nonnull(dir);
	while ((entry = readdir(dir)) != NULL)
		if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0)
			n++;
	closedir(dir);
	return n;
}

static size_t file_read(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	n = read(fd, buf, len);
	ck_assert_int_ge(n, 0);
	close(fd);
	return (size_t)n;
}

START_TEST(test_publish_and_withdraw)
{
	struct session_status s, back;
	char run_dir[PATH_MAX], file[PATH_MAX], name[SESSION_STATUS_FILE_NAME_MAX];
	char buf[SESSION_STATUS_FILE_MAX];
	struct stat st;
	ino_t first;
	mode_t old_umask;

	path_join(run_dir, sizeof(run_dir), temp_dir, "run");
	status_example(&s);
	ck_assert(session_status_file_name(&s, name, sizeof(name)));
	path_join(file, sizeof(file), run_dir, name);

	/* pppd runs with umask 077 in some setups: the modes must not follow it. */
	old_umask = umask(077);
	ck_assert_int_eq(session_status_publish(run_dir, &s), 0);
	umask(old_umask);
	ck_assert_int_eq(lstat(run_dir, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 07777, 0755);
	ck_assert_int_eq(lstat(file, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 07777, 0644);
	first = st.st_ino;
	ck_assert(session_status_parse(buf, file_read(file, buf, sizeof(buf)), &back));
	assert_status_eq(&back, &s);
	ck_assert_uint_eq(dir_entries(run_dir), 1);

	/* A new file renamed over the old: readers see one or the other, whole. */
	s.clamped[PPP_INBOUND][MSS_FAMILY_IPV4]++;
	ck_assert_int_eq(session_status_publish(run_dir, &s), 0);
	ck_assert_int_eq(lstat(file, &st), 0);
	ck_assert_uint_ne(st.st_ino, first);
	ck_assert(session_status_parse(buf, file_read(file, buf, sizeof(buf)), &back));
	ck_assert_uint_eq(back.clamped[PPP_INBOUND][MSS_FAMILY_IPV4], 22);
	ck_assert_uint_eq(dir_entries(run_dir), 1);

	session_status_withdraw(run_dir, &s);
	ck_assert_int_eq(lstat(file, &st), -1);
	ck_assert_uint_eq(dir_entries(run_dir), 0);
	session_status_withdraw(run_dir, &s);  /* twice: harmless */
}
END_TEST

START_TEST(test_sweep_removes_only_dead_writers_files)
{
	struct session_status live, dead, other_nic;
	char name[SESSION_STATUS_FILE_NAME_MAX], path[PATH_MAX];
	pid_t gone = pid_dead();

	status_example(&live);
	live.pid = getpid();
	dead = live;
	dead.session_id = 2;
	dead.pid = gone;  /* killed before it could withdraw its status */
	other_nic = dead;
	strcpy(other_nic.nic, "eth1");
	ck_assert_int_eq(session_status_publish(temp_dir, &live), 0);
	ck_assert_int_eq(session_status_publish(temp_dir, &dead), 0);
	ck_assert_int_eq(session_status_publish(temp_dir, &other_nic), 0);
	ck_assert(session_status_writer_alive(&live));
	ck_assert(!session_status_writer_alive(&dead));
	session_status_sweep(temp_dir, live.nic);
	ck_assert_uint_eq(dir_entries(temp_dir), 2);
	ck_assert(session_status_file_name(&dead, name, sizeof(name)));
	path_join(path, sizeof(path), temp_dir, name);
	ck_assert_int_eq(access(path, F_OK), -1);
	ck_assert(session_status_file_name(&live, name, sizeof(name)));
	path_join(path, sizeof(path), temp_dir, name);
	ck_assert_int_eq(access(path, F_OK), 0);
}
END_TEST

START_TEST(test_publish_refuses_a_symlinked_dir)
{
	struct session_status s;
	char real[PATH_MAX], link[PATH_MAX], file[PATH_MAX];

	path_join(real, sizeof(real), temp_dir, "real");
	path_join(link, sizeof(link), temp_dir, "link");
	ck_assert_int_eq(mkdir(real, 0755), 0);
	ck_assert_int_eq(symlink(real, link), 0);
	status_example(&s);

	errno = 0;
	ck_assert_int_eq(session_status_publish(link, &s), -1);
	ck_assert(errno == ELOOP || errno == ENOTDIR);
	ck_assert_uint_eq(dir_entries(real), 0);
	/* Nor does withdraw reach through it. */
	ck_assert_int_eq(session_status_publish(real, &s), 0);
	session_status_withdraw(link, &s);
	ck_assert_uint_eq(dir_entries(real), 1);

	path_join(file, sizeof(file), temp_dir, "file");
	ck_assert_int_eq(close(open(file, O_WRONLY | O_CREAT, 0644)), 0);
	errno = 0;
	ck_assert_int_eq(session_status_publish(file, &s), -1);
	ck_assert_int_eq(errno, ENOTDIR);
}
END_TEST

START_TEST(test_publish_replaces_a_stale_temporary_file)
{
	struct session_status s;
	char name[SESSION_STATUS_FILE_NAME_MAX], temp[PATH_MAX];
	int fd;

	status_example(&s);
	ck_assert(session_status_file_name(&s, name, sizeof(name)));
	/* What a writer with our pid left when killed between create and rename. */
	snprintf(temp, sizeof(temp), "%s/.%s.%ld", temp_dir, name, (long)getpid());
	fd = open(temp, O_WRONLY | O_CREAT, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "junk", 4), 4);
	close(fd);
	ck_assert_int_eq(session_status_publish(temp_dir, &s), 0);
	ck_assert_uint_eq(dir_entries(temp_dir), 1);
	ck_assert_int_eq(access(temp, F_OK), -1);

	s.session_id = 0;
	errno = 0;
	ck_assert_int_eq(session_status_publish(temp_dir, &s), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

static Suite *session_status_suite(void)
{
	Suite *suite = suite_create("session_status");
	TCase *codec = tcase_create("codec");
	TCase *file = tcase_create("file");

	tcase_add_test(codec, test_format_is_stable);
	tcase_add_test(codec, test_format_parse_round_trip);
	tcase_add_test(codec, test_format_refuses_what_cannot_be_read_back);
	tcase_add_test(codec, test_format_stays_within_the_buffer);
	tcase_add_test(codec, test_format_masks_the_ac_name);
	tcase_add_test(codec, test_parse_rejects_hostile_files);
	tcase_add_test(codec, test_parse_ignores_unknown_keys);
	tcase_add_test(codec, test_parse_truncated_at_every_length);
	tcase_add_test(codec, test_file_name);
	tcase_add_test(codec, test_names);
	suite_add_tcase(suite, codec);
	tcase_add_checked_fixture(file, fixture_setup, fixture_teardown);
	tcase_add_test(file, test_publish_and_withdraw);
	tcase_add_test(file, test_publish_refuses_a_symlinked_dir);
	tcase_add_test(file, test_sweep_removes_only_dead_writers_files);
	tcase_add_test(file, test_publish_replaces_a_stale_temporary_file);
	suite_add_tcase(suite, file);
	suite_add_tcase(suite, pppoe_mss_sessions_tcase());
	return suite;
}

int main(void)
{
	return check_main_run(session_status_suite());
}
