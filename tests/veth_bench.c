/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A veth pair with an access concentrator's end (veth_bench.h). */
#include "veth_bench.h"

#include <check.h>
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pppoe.h"

void veth_bench_setup(struct veth_bench *bench, const char *client_if, const char *ac_if)
{
	char error[256], command[256];

	ck_assert_msg(geteuid() == 0, "these tests need root (network namespaces, AF_PACKET)");
	ck_assert_msg(unshare(CLONE_NEWNET) == 0, "unshare(CLONE_NEWNET): %s", strerror(errno));
	snprintf(command, sizeof(command),
		 "ip link add %s type veth peer name %s && ip link set %s up && ip link set %s up",
		 client_if, ac_if, client_if, ac_if);
	ck_assert_int_eq(system(command), 0);
	ck_assert_msg(interface_lookup(client_if, &bench->client, error, sizeof(error)) == 0, "%s",
		      error);
	ck_assert_msg(interface_lookup(ac_if, &bench->ac, error, sizeof(error)) == 0, "%s", error);
	bench->ac_fd = packet_socket_open(&bench->ac, PPPOE_ETHERTYPE_DISCOVERY, error, sizeof(error));
	ck_assert_msg(bench->ac_fd >= 0, "%s", error);
}

static int elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int)((now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000);
}

bool veth_bench_receive_padt(const struct veth_bench *bench, int timeout_ms, uint16_t *session_id)
{
	struct timespec start;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		uint8_t frame[PPPOE_DISCOVERY_FRAME_MAX];
		struct pppoe_frame parsed;
		struct pollfd pfd = { .fd = bench->ac_fd, .events = POLLIN };
		int left = timeout_ms - elapsed_ms(&start);
		ssize_t got;

		if (left <= 0 || poll(&pfd, 1, left) <= 0)
			return false;
		got = packet_socket_receive(bench->ac_fd, frame, sizeof(frame));
		if (got <= 0)
			continue;
		if (pppoe_frame_parse(frame, (size_t)got, &pppoe_standard_ethertypes, &parsed) ==
			    PPPOE_PARSE_OK && parsed.code == PPPOE_CODE_PADT) {
			*session_id = parsed.session_id;
			return true;
		}
	}
}

void veth_bench_send(const struct veth_bench *bench, const uint8_t *frame, size_t len)
{
	ck_assert_int_eq(packet_socket_send(bench->ac_fd, frame, len), 0);
}

int veth_bench_wait_exit(pid_t pid, int timeout_ms)
{
	struct timespec start;
	int status = 0;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (elapsed_ms(&start) < timeout_ms) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return status;
		usleep(10 * 1000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	ck_abort_msg("process %d did not exit within %d ms", (int)pid, timeout_ms);
	return status;
}
