/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A veth pair in a network namespace of the test's own (root; check forks
 * every test), one end the client's, the other an access concentrator's
 * with a discovery socket: for the tests of the processes that send PADTs.
 */
#ifndef PPPOE_MSS_TESTS_VETH_BENCH_H
#define PPPOE_MSS_TESTS_VETH_BENCH_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "packet_socket.h"

struct veth_bench {
	struct interface_info client, ac;
	int ac_fd;  /* the AC's discovery socket */
};

void veth_bench_setup(struct veth_bench *bench, const char *client_if, const char *ac_if);

/* The next PADT the AC receives within timeout_ms: true with its session id. */
bool veth_bench_receive_padt(const struct veth_bench *bench, int timeout_ms, uint16_t *session_id);

/* The AC sends a frame to the client. */
void veth_bench_send(const struct veth_bench *bench, const uint8_t *frame, size_t len);

/* Its waitpid() status once it exits; fails the test after timeout_ms. */
int veth_bench_wait_exit(pid_t pid, int timeout_ms);

#endif
