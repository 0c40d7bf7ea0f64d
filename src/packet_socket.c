/* SPDX-License-Identifier: GPL-2.0-or-later */
/* AF_PACKET sockets and interface lookup. */
#include "packet_socket.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

int interface_lookup(const char *name, struct interface_info *info, char *error, size_t error_len)
{
	struct ifreq ifr;
	int fd;

	memset(info, 0, sizeof(*info));
	if (name == NULL || name[0] == '\0' || strlen(name) >= sizeof(ifr.ifr_name)) {
		snprintf(error, error_len, "invalid interface name '%s'", name ? name : "");
		return -1;
	}
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(error, error_len, "socket: %s", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, name, sizeof(ifr.ifr_name) - 1);
	if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0) {
		snprintf(error, error_len, "no interface '%s' (%s) -- check the -I/nic- name", name,
			 strerror(errno));
		goto fail;
	}
	info->index = ifr.ifr_ifindex;
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
		snprintf(error, error_len, "cannot read the MAC address of %s: %s", name, strerror(errno));
		goto fail;
	}
	if (ifr.ifr_hwaddr.sa_family != 1 /* ARPHRD_ETHER */) {
		snprintf(error, error_len, "%s is not an Ethernet interface: PPPoE needs one", name);
		goto fail;
	}
	memcpy(info->mac, ifr.ifr_hwaddr.sa_data, PPPOE_MAC_LEN);
	if (ioctl(fd, SIOCGIFMTU, &ifr) < 0) {
		snprintf(error, error_len, "cannot read the MTU of %s: %s", name, strerror(errno));
		goto fail;
	}
	info->mtu = (unsigned)ifr.ifr_mtu;
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0 || !(ifr.ifr_flags & IFF_UP)) {
		snprintf(error, error_len, "interface %s is down -- bring it up first (ip link set %s up)",
			 name, name);
		goto fail;
	}
	snprintf(info->name, sizeof(info->name), "%s", name);
	close(fd);
	return 0;
fail:
	close(fd);
	return -1;
}

bool interface_is_ethernet(const char *name)
{
	struct ifreq ifr;
	bool ethernet;
	int fd;

	if (name == NULL || name[0] == '\0' || strlen(name) >= sizeof(ifr.ifr_name))
		return false;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, name, strlen(name));
	ethernet = ioctl(fd, SIOCGIFHWADDR, &ifr) == 0 && ifr.ifr_hwaddr.sa_family == 1 /* ARPHRD_ETHER */;
	close(fd);
	return ethernet;
}

int packet_socket_open(const struct interface_info *info, uint16_t ethertype,
		       char *error, size_t error_len)
{
	struct sockaddr_ll address;
	int one = 1;
	/* Protocol 0: nothing is queued until bind() names interface and
	 * ethertype together, so no frame from another interface slips in. */
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (fd < 0) {
		snprintf(error, error_len, "cannot open a packet socket: %s%s", strerror(errno),
			 errno == EPERM ? " (pppoe-mss needs root or CAP_NET_RAW)" : "");
		return -1;
	}
	/* Best effort: older kernels lack it, and receive() skips outgoing frames anyway. */
	(void)setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	memset(&address, 0, sizeof(address));
	address.sll_family = AF_PACKET;
	address.sll_protocol = htons(ethertype);
	address.sll_ifindex = info->index;
	if (bind(fd, (struct sockaddr *)&address, sizeof(address)) < 0) {
		snprintf(error, error_len, "cannot bind a packet socket to %s: %s", info->name,
			 strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int packet_socket_send(int fd, const uint8_t *frame, size_t len)
{
	for (;;) {
		ssize_t sent = send(fd, frame, len, 0);
		if (sent == (ssize_t)len)
			return 0;
		if (sent >= 0) {
			errno = EMSGSIZE;
			return -1;
		}
		if (errno == EINTR)
			continue;
		/* EAGAIN/ENOBUFS: the queue is full, and we drop like a router would. */
		return -1;
	}
}

ssize_t packet_socket_receive(int fd, uint8_t *buf, size_t capacity)
{
	for (;;) {
		struct sockaddr_ll from;
		socklen_t from_len = sizeof(from);
		ssize_t got = recvfrom(fd, buf, capacity, MSG_DONTWAIT | MSG_TRUNC,
				       (struct sockaddr *)&from, &from_len);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			return -1;
		}
		/* Our own transmissions, and frames the NIC saw for other hosts
		 * (promiscuous mode, a VLAN without a sub-interface), are not ours. */
		if (from.sll_pkttype != PACKET_HOST && from.sll_pkttype != PACKET_BROADCAST &&
		    from.sll_pkttype != PACKET_MULTICAST)
			continue;
		/* MSG_TRUNC reports the real length: a frame larger than our buffer
		 * is dropped rather than relayed cut short. */
		if ((size_t)got > capacity)
			continue;
		return got;
	}
}
