/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernel's PPPoE session socket (pppox_socket.h). */
#include "pppox_socket.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
/* After the C library's socket headers, and never with our pppoe.h: the
 * kernel's header defines a struct pppoe_tag of its own. */
#include <linux/if_pppox.h>

int pppox_session_open(const char *ifname, uint16_t session_id,
		       const uint8_t ac_mac[6], char *error, size_t error_len)
{
	struct sockaddr_pppox address;
	int fd = socket(AF_PPPOX, SOCK_STREAM | SOCK_CLOEXEC, PX_PROTO_OE);

	if (fd < 0) {
		if (errno == EAFNOSUPPORT || errno == EPROTONOSUPPORT)
			snprintf(error, error_len,
				 "this kernel has no PPPoE sockets (%s; try 'modprobe pppoe')",
				 strerror(errno));
		else
			snprintf(error, error_len, "cannot open a PPPoE socket: %s", strerror(errno));
		return -1;
	}
	memset(&address, 0, sizeof(address));
	address.sa_family = AF_PPPOX;
	address.sa_protocol = PX_PROTO_OE;
	address.sa_addr.pppoe.sid = htons(session_id);
	memcpy(address.sa_addr.pppoe.remote, ac_mac, sizeof(address.sa_addr.pppoe.remote));
	snprintf(address.sa_addr.pppoe.dev, sizeof(address.sa_addr.pppoe.dev), "%s", ifname);
	if (connect(fd, (struct sockaddr *)&address, sizeof(address)) < 0) {
		snprintf(error, error_len, "cannot bind session %u on %s to a PPPoE socket: %s",
			 session_id, ifname, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}
