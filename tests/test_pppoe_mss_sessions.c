/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pppoe-mss-sessions (src/pppoe-mss-sessions.c) run on the files that
 * src/session_status.c publishes, in a run directory that also holds what
 * it must not show; part of test_session_status.
 */
#include <check.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "session_status.h"
#include "test_session_status.h"

#define OUTPUT_MAX 16384

/* Runs the program with args; its stdout and stderr in out, exit status returned. */
static int sessions_run(const char *args, char *out, size_t len)
{
	char command[PATH_MAX + 512];
	size_t used = 0, n;
	FILE *pipe;
	int status;

	snprintf(command, sizeof(command), "'%s' %s 2>&1", SESSIONS_PROGRAM, args);
	pipe = popen(command, "r");
	ck_assert_ptr_nonnull(pipe);
	while (used + 1 < len && (n = fread(out + used, 1, len - 1 - used, pipe)) > 0)
		used += n;
	out[used] = '\0';
	status = pclose(pipe);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* A pid no process has: a child that has exited and been reaped. */
static void file_write(const char *dir, const char *name, const char *text, size_t len)
{
	char path[PATH_MAX];
	int fd;

	path_join(path, sizeof(path), dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
}

/*
 * A run directory with two live sessions (the relay on eth0, the kernel on
 * eth1), and what must not show: a stale file, a file too large, a symlink,
 * a directory, junk, and a file not named *.status.
 */
static void run_dir_fill(void)
{
	struct session_status s;
	char text[SESSION_STATUS_FILE_MAX * 2], path[PATH_MAX];
	size_t len;

	status_example(&s);
	s.pid = getpid();
	s.started = (int64_t)time(NULL) - 7390;  /* 2h 03m 10s */
	memset(s.dropped, 0, sizeof(s.dropped));
	s.dropped[RELAY_DROP_WRONG_SESSION] = 3;
	s.dropped[RELAY_DROP_NOT_TO_US] = 1;
	ck_assert_int_eq(session_status_publish(temp_dir, &s), 0);

	status_example(&s);
	strcpy(s.nic, "eth1");
	strcpy(s.ac_name, "ISP \"BRAS\" \\ 2");
	s.session_id = 17;
	s.datapath = SESSION_DATAPATH_KERNEL;
	s.pid = getpid();
	s.pppd_pid = 0;
	s.limits.outbound.ipv6 = 0;
	s.limits.inbound.ipv6 = 0;
	memset(s.frames, 0, sizeof(s.frames));
	memset(s.bytes, 0, sizeof(s.bytes));
	memset(s.dropped, 0, sizeof(s.dropped));
	s.started = (int64_t)time(NULL) + 3600;  /* the clock was stepped back */
	ck_assert_int_eq(session_status_publish(temp_dir, &s), 0);

	status_example(&s);
	strcpy(s.nic, "eth2");
	s.pid = pid_dead();
	ck_assert_int_eq(session_status_publish(temp_dir, &s), 0);

	status_example(&s);
	strcpy(s.nic, "eth3");
	s.pid = getpid();
	len = session_status_format(&s, text, sizeof(text));
	while (len <= SESSION_STATUS_FILE_MAX)
		len += (size_t)sprintf(text + len, "x-padding %0100d\n", 0);
	file_write(temp_dir, "big.status", text, len);

	strcpy(s.nic, "eth4");
	len = session_status_format(&s, text, sizeof(text));
	file_write(temp_dir, "elsewhere", text, len);
	path_join(path, sizeof(path), temp_dir, "link.status");
	ck_assert_int_eq(symlink("elsewhere", path), 0);
	path_join(path, sizeof(path), temp_dir, "dir.status");
	ck_assert_int_eq(mkdir(path, 0755), 0);
	file_write(temp_dir, "junk.status", "pppoe-mss-status 1\nnic eth5\n", 28);
	strcpy(s.nic, "eth6");
	len = session_status_format(&s, text, sizeof(text));
	file_write(temp_dir, "eth6.txt", text, len);
}

START_TEST(test_sessions_text)
{
	char args[PATH_MAX], out[OUTPUT_MAX];

	run_dir_fill();
	snprintf(args, sizeof(args), "--run-dir '%s'", temp_dir);
	ck_assert_int_eq(sessions_run(args, out, sizeof(out)), 0);
	ck_assert_msg(strstr(out,
		"eth0: session 4711 with AC \"ISP BRAS 1\" (00:11:22:33:44:aa)\n"
		"  data path:     user-space relay, pid ") == out, "%s", out);
	ck_assert_msg(strstr(out, ", pppd 12344\n  our MAC:       02:00:00:00:00:01\n"
			     "  up:            2h 03m 1") != NULL, "%s", out);
	ck_assert(strstr(out, "  MTU/MRU:       1492/1480\n"
			 "  MSS limit:     outbound IPv4 1440, IPv6 1420; inbound IPv4 1452, IPv6 1432\n"
			 "  SYNs clamped:  outbound IPv4 11, IPv6 12; inbound IPv4 21, IPv6 22\n"
			 "  malformed IP:  outbound 31, inbound 32\n"
			 "  frames:        outbound 41 (51 bytes), inbound 42 (18446744073709551615 bytes)\n"
			 "  dropped:       1 not addressed to us, 3 another session id\n"
			 "\n"
			 "eth1: session 17 with AC \"ISP \"BRAS\" \\ 2\" (00:11:22:33:44:aa)\n"
			 "  data path:     kernel (eBPF clamp), pid ") != NULL);
	/* No pppd known, no frames counted, and no uptime below zero. */
	ck_assert(strstr(out, "  up:            0s (since ") != NULL);
	ck_assert(strstr(out, "  MSS limit:     outbound IPv4 1440, IPv6 off; inbound IPv4 1452, IPv6 off\n"
			 "  SYNs clamped:  outbound IPv4 11, IPv6 12; inbound IPv4 21, IPv6 22\n"
			 "  malformed IP:  outbound 31, inbound 32\n") != NULL);
	ck_assert_ptr_null(strstr(out, "frames:        outbound 0"));
	for (int nic = 2; nic <= 6; nic++) {
		char name[16];

		snprintf(name, sizeof(name), "eth%d", nic);
		ck_assert_msg(strstr(out, name) == NULL, "%s shown:\n%s", name, out);
	}

	/* Only the interfaces asked for. */
	snprintf(args, sizeof(args), "--run-dir '%s' eth1 eth2", temp_dir);
	ck_assert_int_eq(sessions_run(args, out, sizeof(out)), 0);
	ck_assert(strncmp(out, "eth1: session 17 ", 17) == 0);
	ck_assert_ptr_null(strstr(out, "eth0"));
	snprintf(args, sizeof(args), "--run-dir '%s' eth2 eth7", temp_dir);
	ck_assert_int_eq(sessions_run(args, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "no PPPoE session is running on eth2 or eth7\n");
}
END_TEST

/* ---- a JSON checker, just enough to tell the output is one valid value ---- */

static const char *json_value(const char *p, int depth);

static const char *json_space(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

static const char *json_string_end(const char *p)
{
	if (*p++ != '"')
		return NULL;
	while (*p != '"') {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (strchr("0123456789abcdefABCDEF", p[i]) == NULL || p[i] == '\0')
						return NULL;
				p += 4;
			} else if (*p == '\0' || strchr("\"\\/bfnrt", *p) == NULL) {
				return NULL;
			}
		}
		p++;
	}
	return p + 1;
}

static const char *json_members(const char *p, int depth, char close, bool keys)
{
	p = json_space(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (keys) {
			p = json_string_end(json_space(p));
			if (p == NULL || *(p = json_space(p)) != ':')
				return NULL;
			p++;
		}
		p = json_value(p, depth + 1);
		if (p == NULL)
			return NULL;
		p = json_space(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

static const char *json_value(const char *p, int depth)
{
	if (depth > 16)
		return NULL;
	p = json_space(p);
	if (*p == '{')
		return json_members(p, depth, '}', true);
	if (*p == '[')
		return json_members(p, depth, ']', false);
	if (*p == '"')
		return json_string_end(p);
	if (*p >= '0' && *p <= '9') {
		if (*p == '0' && p[1] >= '0' && p[1] <= '9')
			return NULL;
		while (*p >= '0' && *p <= '9')
			p++;
		return p;
	}
	return NULL;  /* the output has no other kind of value */
}

static void assert_json(const char *text)
{
	const char *end = json_value(text, 0);

	ck_assert_msg(end != NULL && *json_space(end) == '\0', "not JSON:\n%s", text);
}

START_TEST(test_sessions_json)
{
	static const char first[] =
		"[\n  {\n    \"nic\": \"eth0\",\n    \"session\": 4711,\n"
		"    \"ac_name\": \"ISP BRAS 1\",\n    \"ac_mac\": \"00:11:22:33:44:aa\",\n"
		"    \"our_mac\": \"02:00:00:00:00:01\",\n    \"datapath\": \"user\",\n"
		"    \"started\": ";
	char args[PATH_MAX], out[OUTPUT_MAX];
	const char *eth1;

	/* The checker itself. */
	ck_assert_ptr_null(json_value("[{\"a\": 1,}]", 0));
	ck_assert_ptr_null(json_value("{\"a\" 1}", 0));
	ck_assert_ptr_null(json_value("[\"a\nb\"]", 0));
	ck_assert_ptr_null(json_value("[01]", 0));
	ck_assert_ptr_nonnull(json_value("[{\"a\": [1, \"\\u00e9\\\"\"]}, {}]", 0));

	run_dir_fill();
	snprintf(args, sizeof(args), "--json --run-dir '%s'", temp_dir);
	ck_assert_int_eq(sessions_run(args, out, sizeof(out)), 0);
	assert_json(out);
	ck_assert_msg(strncmp(out, first, strlen(first)) == 0, "%s", out);
	ck_assert(strstr(out, "    \"uptime\": 739") != NULL);
	ck_assert(strstr(out, "    \"pppd_pid\": 12344,\n    \"mtu\": 1492,\n    \"mru\": 1480,\n"
			 "    \"mss\": {\"outbound\": {\"ipv4\": 1440, \"ipv6\": 1420}, "
			 "\"inbound\": {\"ipv4\": 1452, \"ipv6\": 1432}},\n"
			 "    \"clamped\": {\"outbound\": {\"ipv4\": 11, \"ipv6\": 12}, "
			 "\"inbound\": {\"ipv4\": 21, \"ipv6\": 22}},\n"
			 "    \"malformed\": {\"outbound\": 31, \"inbound\": 32},\n"
			 "    \"frames\": {\"outbound\": 41, \"inbound\": 42},\n"
			 "    \"bytes\": {\"outbound\": 51, \"inbound\": 18446744073709551615},\n"
			 "    \"dropped\": {\"not_session\": 0, \"not_to_us\": 1, \"wrong_ac\": 0, "
			 "\"wrong_session\": 3, \"empty\": 0, \"too_big\": 0, \"pppd_busy\": 0, "
			 "\"socket_full\": 0}\n"
			 "  },\n  {\n    \"nic\": \"eth1\",\n") != NULL);
	eth1 = strstr(out, "\"nic\": \"eth1\"");
	ck_assert(strstr(eth1, "\"ac_name\": \"ISP \\\"BRAS\\\" \\\\ 2\",") != NULL);
	ck_assert(strstr(eth1, "\"datapath\": \"kernel\",") != NULL);
	ck_assert(strstr(eth1, "\"uptime\": 0,") != NULL);
	ck_assert(strstr(eth1, "\"pppd_pid\": 0,") != NULL);
	ck_assert(strstr(eth1, "\"mss\": {\"outbound\": {\"ipv4\": 1440, \"ipv6\": 0}") != NULL);
	ck_assert(strstr(eth1, "\"frames\": {\"outbound\": 0, \"inbound\": 0},") != NULL);
	ck_assert_str_eq(strstr(eth1, "\"socket_full\": 0}\n  }\n]\n"), "\"socket_full\": 0}\n  }\n]\n");
	ck_assert_ptr_null(strstr(out, "eth2"));
	ck_assert_ptr_null(strstr(out, "eth3"));

	snprintf(args, sizeof(args), "--json --run-dir '%s' eth7", temp_dir);
	ck_assert_int_eq(sessions_run(args, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "[]\n");
}
END_TEST

START_TEST(test_sessions_without_sessions)
{
	char args[PATH_MAX], out[OUTPUT_MAX];

	snprintf(args, sizeof(args), "--run-dir '%s'", temp_dir);
	ck_assert_int_eq(sessions_run(args, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "no PPPoE session is running\n");
	/* No session since boot: nobody created the directory yet. */
	snprintf(args, sizeof(args), "--json --run-dir '%s/missing'", temp_dir);
	ck_assert_int_eq(sessions_run(args, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "[]\n");
	file_write(temp_dir, "file", "", 0);
	snprintf(args, sizeof(args), "--run-dir '%s/file'", temp_dir);
	ck_assert_int_eq(sessions_run(args, out, sizeof(out)), 1);
	ck_assert(strstr(out, "pppoe-mss-sessions: cannot read ") == out);
}
END_TEST

START_TEST(test_sessions_usage)
{
	char out[OUTPUT_MAX];

	ck_assert_int_eq(sessions_run("--bogus", out, sizeof(out)), 2);
	ck_assert_str_eq(out, "pppoe-mss-sessions: wrong option --bogus (see pppoe-mss-sessions --help)\n");
	ck_assert_int_eq(sessions_run("--json=yes", out, sizeof(out)), 2);
	ck_assert_int_eq(sessions_run("--run-dir", out, sizeof(out)), 2);
	ck_assert(strstr(out, "--run-dir needs a directory") != NULL);
	ck_assert_int_eq(sessions_run("eth0123456789abcdef", out, sizeof(out)), 2);
	ck_assert(strstr(out, "not an interface name: eth0123456789abcdef") != NULL);
	ck_assert_int_eq(sessions_run("--help", out, sizeof(out)), 0);
	ck_assert(strncmp(out, "Usage: pppoe-mss-sessions ", 26) == 0);
}
END_TEST

TCase *pppoe_mss_sessions_tcase(void)
{
	TCase *command = tcase_create("command");

	tcase_add_checked_fixture(command, fixture_setup, fixture_teardown);
	/* Each runs the program a few times; sanitizer builds start slowly. */
	tcase_set_timeout(command, 60);
	tcase_add_test(command, test_sessions_text);
	tcase_add_test(command, test_sessions_json);
	tcase_add_test(command, test_sessions_without_sessions);
	tcase_add_test(command, test_sessions_usage);
	return command;
}
