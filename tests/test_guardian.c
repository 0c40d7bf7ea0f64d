/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tests for plugin/guardian.c, the kernel session's guardian, on a veth pair
 * in a network namespace of each test's own (root): a stand-in for pppd
 * starts the guardian as pppd does, and the other end of the veth plays the
 * access concentrator.  The guardian must send the PADT when pppd is killed
 * without a word and when it is asked to stop, must not answer the AC's own
 * PADT with one, and must hold neither the PPPoE socket nor pppd's end of
 * the pipe.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_main.h"
#include "discovery.h"
#include "guardian.h"
#include "log.h"
#include "packet_socket.h"
#include "pppoe.h"
#include "session_lifecycle.h"
#include "veth_bench.h"

#define CLIENT_IF "pmg0"
#define AC_IF "pmg1"
#define SESSION_ID 0x1234

struct bench {
	struct veth_bench veth;
	struct discovery disc;
	int discovery_fd;     /* the client's: handed to the guardian */
	int session_socket;   /* stands for the PPPoE socket pppd holds */
	int frames_socket;    /* stands for the packet socket auto opened for a relay */
	int pipe_fds[2];
	struct confinement confinement;  /* the worker's, as the plugin's */
};

static void quiet_log(enum log_level level, const char *message)
{
	(void)level, (void)message;
}

static void bench_setup(struct bench *b)
{
	char error[256];
	struct discovery_config config;

	veth_bench_setup(&b->veth, CLIENT_IF, AC_IF);
	b->discovery_fd = packet_socket_open(&b->veth.client, PPPOE_ETHERTYPE_DISCOVERY, error,
					     sizeof(error));
	ck_assert_msg(b->discovery_fd >= 0, "%s", error);
	b->session_socket = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(b->session_socket, 0);
	b->frames_socket = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(b->frames_socket, 0);
	ck_assert_int_eq(pipe2(b->pipe_fds, O_CLOEXEC), 0);

	discovery_config_defaults(&config);
	memcpy(config.our_mac, b->veth.client.mac, PPPOE_MAC_LEN);
	discovery_init(&b->disc, &config);
	discovery_resume_session(&b->disc, SESSION_ID, b->veth.ac.mac);
	ck_assert_int_eq(confinement_prepare(&b->confinement, PPPOE_MSS_UNPRIVILEGED_USER,
					     error, sizeof(error)), 0);
	log_set_sink(quiet_log);
}

static struct guardian_params bench_params(struct bench *b)
{
	struct guardian_params params = {
		.disc = &b->disc, .discovery_fd = b->discovery_fd, .pppd_gone_fd = b->pipe_fds[0],
		.pppd_end_fd = b->pipe_fds[1], .session_socket = b->session_socket,
		.session_frames_fd = b->frames_socket, .clamp = NULL,
		.ifname = CLIENT_IF, .dump = NULL, .record = NULL, .early_guardian_fd = -1,
		.confinement = &b->confinement,
	};
	return params;
}

static bool ac_receive_padt(const struct bench *b, int timeout_ms, uint16_t *session_id)
{
	return veth_bench_receive_padt(&b->veth, timeout_ms, session_id);
}

static int wait_exit_status(pid_t pid)
{
	return veth_bench_wait_exit(pid, 3000);
}

static void assert_exited_clean(int status)
{
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == SESSION_CHILD_EXIT_CLEAN,
		      "guardian status 0x%x, expected a clean exit", status);
}

START_TEST(test_padt_when_pppd_is_killed)
{
	struct bench b;
	int report[2];
	pid_t pppd, guardian = -1;
	uint16_t session_id = 0;

	bench_setup(&b);
	/* The guardian is pppd's child: once pppd is gone it is ours to reap. */
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	ck_assert_int_eq(pipe(report), 0);
	pppd = fork();
	ck_assert_int_ge(pppd, 0);
	if (pppd == 0) {
		struct guardian_params params = bench_params(&b);
		pid_t child = guardian_start(&params);

		close(b.pipe_fds[0]);
		if (write(report[1], &child, sizeof(child)) != sizeof(child))
			_exit(1);
		pause();
		_exit(0);
	}
	close(b.pipe_fds[1]);
	close(b.pipe_fds[0]);
	ck_assert_int_eq(read(report[0], &guardian, sizeof(guardian)), (ssize_t)sizeof(guardian));
	ck_assert_int_gt(guardian, 0);
	/* No PADT while pppd lives. */
	ck_assert(!ac_receive_padt(&b, 300, &session_id));
	kill(pppd, SIGKILL);
	waitpid(pppd, NULL, 0);
	ck_assert_msg(ac_receive_padt(&b, 1000, &session_id),
		      "no PADT within 1 s of pppd's SIGKILL");
	ck_assert_uint_eq(session_id, SESSION_ID);
	assert_exited_clean(wait_exit_status(guardian));
}
END_TEST

START_TEST(test_padt_when_asked_to_stop)
{
	struct bench b;
	struct guardian_params params;
	pid_t guardian;
	uint16_t session_id = 0;

	bench_setup(&b);
	params = bench_params(&b);
	guardian = guardian_start(&params);
	ck_assert_int_gt(guardian, 0);
	close(b.pipe_fds[0]);
	usleep(100 * 1000);
	kill(guardian, SIGTERM);
	ck_assert_msg(ac_receive_padt(&b, 1000, &session_id), "no PADT after SIGTERM");
	ck_assert_uint_eq(session_id, SESSION_ID);
	assert_exited_clean(wait_exit_status(guardian));
	close(b.pipe_fds[1]);
}
END_TEST

START_TEST(test_no_padt_after_the_acs_own)
{
	struct bench b;
	struct guardian_params params;
	uint8_t frame[64];
	size_t len;
	pid_t guardian;
	uint16_t session_id = 0;
	struct discovery ac_view;
	struct discovery_config config;

	bench_setup(&b);
	params = bench_params(&b);
	guardian = guardian_start(&params);
	ck_assert_int_gt(guardian, 0);
	close(b.pipe_fds[0]);
	/* The AC's PADT: built as ours would be, from its side of the wire. */
	discovery_config_defaults(&config);
	memcpy(config.our_mac, b.veth.ac.mac, PPPOE_MAC_LEN);
	discovery_init(&ac_view, &config);
	len = discovery_build_padt(&ac_view, SESSION_ID, b.veth.client.mac, NULL, frame, sizeof(frame));
	ck_assert_uint_gt(len, 0);
	usleep(100 * 1000);
	veth_bench_send(&b.veth, frame, len);
	assert_exited_clean(wait_exit_status(guardian));
	ck_assert_msg(!ac_receive_padt(&b, 300, &session_id),
		      "the guardian answered the AC's PADT with one of its own");
	close(b.pipe_fds[1]);
}
END_TEST

/* The inode behind an fd, to find the same open file among another process's fds. */
static ino_t inode_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_ino : 0;
}

START_TEST(test_holds_nothing_of_the_session)
{
	struct bench b;
	struct guardian_params params;
	char path[64];
	ino_t pipe_inode, socket_inode, frames_inode;
	bool holds_write_end = false, holds_socket = false, holds_frames = false;
	pid_t guardian;

	bench_setup(&b);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", b.pipe_fds[1]);
	pipe_inode = inode_of(path);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", b.session_socket);
	socket_inode = inode_of(path);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", b.frames_socket);
	frames_inode = inode_of(path);
	params = bench_params(&b);
	guardian = guardian_start(&params);
	ck_assert_int_gt(guardian, 0);
	usleep(200 * 1000);
	for (int fd = 0; fd < 64; fd++) {
		char flags_path[64];
		unsigned long flags = 0;
		FILE *info;

		snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)guardian, fd);
		if (inode_of(path) == socket_inode)
			holds_socket = true;
		if (inode_of(path) == frames_inode)
			holds_frames = true;
		if (inode_of(path) != pipe_inode)
			continue;
		/* Both ends share the inode: the write end is the one opened O_WRONLY. */
		snprintf(flags_path, sizeof(flags_path), "/proc/%d/fdinfo/%d", (int)guardian, fd);
		info = fopen(flags_path, "r");
		if (info != NULL) {
			char line[128];
			while (fgets(line, sizeof(line), info) != NULL)
				if (sscanf(line, "flags: %lo", &flags) == 1)
					break;
			fclose(info);
		}
		if ((flags & O_ACCMODE) == O_WRONLY)
			holds_write_end = true;
	}
	kill(guardian, SIGTERM);
	wait_exit_status(guardian);
	ck_assert_msg(!holds_socket, "the guardian holds the session's socket");
	ck_assert_msg(!holds_frames, "the guardian holds the packet socket for session frames");
	ck_assert_msg(!holds_write_end, "the guardian holds pppd's end of the pipe");
}
END_TEST

static Suite *guardian_suite(void)
{
	Suite *suite = suite_create("guardian");
	TCase *tc = tcase_create("guardian");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_padt_when_pppd_is_killed);
	tcase_add_test(tc, test_padt_when_asked_to_stop);
	tcase_add_test(tc, test_no_padt_after_the_acs_own);
	tcase_add_test(tc, test_holds_nothing_of_the_session);
	suite_add_tcase(suite, tc);
	return suite;
}

int main(void)
{
	return check_main_run(guardian_suite());
}
