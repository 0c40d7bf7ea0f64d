/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * AF_PACKET sockets bound to one interface and one ethertype: the only place
 * that talks to the Ethernet.  Works the same on 802.1Q sub-interfaces
 * (eth0.7), where the kernel adds and strips the tag.
 */
#ifndef PPPOE_MSS_PACKET_SOCKET_H
#define PPPOE_MSS_PACKET_SOCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "pppoe.h"

struct interface_info {
	char name[16];
	int index;
	uint8_t mac[PPPOE_MAC_LEN];
	unsigned mtu;
};

/* Look up an interface; on failure returns -1 with a user-facing reason in error. */
int interface_lookup(const char *name, struct interface_info *info, char *error, size_t error_len);

/* True when name is an existing Ethernet interface, up or not (pppd asks this
 * of every word it does not know, to find the device name). */
bool interface_is_ethernet(const char *name);

/*
 * A raw packet socket receiving only ethertype on info's interface, never our
 * own transmissions.  Returns the fd, or -1 with the reason in error.
 */
int packet_socket_open(const struct interface_info *info, uint16_t ethertype,
		       char *error, size_t error_len);

/* Send one whole frame; returns 0, or -1 with errno set. */
int packet_socket_send(int fd, const uint8_t *frame, size_t len);

/* Receive one frame without blocking: its length, 0 when none is waiting,
 * -1 with errno on error.  Frames we transmitted ourselves are skipped. */
ssize_t packet_socket_receive(int fd, uint8_t *buf, size_t capacity);

/* Most frames one batch call moves: a syscall per batch, not per frame. */
#define PACKET_BATCH_MAX 8

/*
 * Receive up to count (<= PACKET_BATCH_MAX) frames without blocking, frame i
 * into bufs[i] of capacity bytes.  Returns how many slots were filled, 0
 * when none is waiting, -1 with errno on error.  lens[i] is the frame's
 * length, or 0 for a frame that packet_socket_receive() would have skipped
 * (our own, for another host, or larger than capacity).
 */
int packet_socket_receive_batch(int fd, uint8_t *const bufs[], size_t capacity, size_t lens[],
				int count);

/*
 * Send count (<= PACKET_BATCH_MAX) whole frames.  Returns how many of them
 * the kernel did not take (0: all sent); errno tells why the last one failed.
 */
int packet_socket_send_batch(int fd, uint8_t *const frames[], const size_t lens[], int count);

/*
 * Ask the kernel to queue up to bytes of received frames (SO_RCVBUFFORCE,
 * which root may ask beyond net.core.rmem_max, else SO_RCVBUF).  Returns
 * the size the kernel granted, which counts its own overhead per frame
 * (socket(7)), or -1 with errno.
 */
int packet_socket_set_receive_buffer(int fd, int bytes);

/*
 * Adds to *dropped the frames the kernel dropped since the last call because
 * the socket's queue was full (PACKET_STATISTICS, which it resets on every
 * read).  Returns 0, or -1 with errno.
 */
int packet_socket_take_drops(int fd, uint64_t *dropped);

/*
 * After POLLERR: reads (and so clears) the socket's pending error.  Returns
 * true when the socket is still good for the session -- no error, or only
 * ENETDOWN while its interface still exists (the kernel binds it again when
 * the interface comes back up; *link_down tells it was that) -- and false,
 * with errno set, for any other error or an interface that is gone.
 */
bool packet_socket_survives_error(int fd, bool *link_down);

#endif
