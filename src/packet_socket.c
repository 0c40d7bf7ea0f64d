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

int packet_socket_set_receive_buffer(int fd, int bytes)
{
	int granted = 0;
	socklen_t granted_len = sizeof(granted);

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)) < 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes)) < 0)
		return -1;
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &granted, &granted_len) < 0)
		return -1;
	return granted;
}

int packet_socket_take_drops(int fd, uint64_t *dropped)
{
	struct tpacket_stats stats;
	socklen_t stats_len = sizeof(stats);

	if (getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &stats, &stats_len) < 0)
		return -1;
	*dropped += stats.tp_drops;
	return 0;
}

bool packet_socket_survives_error(int fd, bool *link_down)
{
	struct sockaddr_ll bound;
	socklen_t bound_len = sizeof(bound);
	int error = 0;
	socklen_t error_len = sizeof(error);

	*link_down = false;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &error_len) < 0)
		return false;
	if (error != 0 && error != ENETDOWN) {
		errno = error;
		return false;
	}
	*link_down = error == ENETDOWN;
	/* An interface that was deleted leaves the socket bound to index -1 for
	 * good; one that only went down keeps its index. */
	if (getsockname(fd, (struct sockaddr *)&bound, &bound_len) < 0)
		return false;
	if (bound.sll_ifindex <= 0) {
		errno = ENODEV;
		return false;
	}
	return true;
}

/* The same tests as packet_socket_receive(), on what recvmmsg() filled in. */
static bool frame_is_ours(const struct sockaddr_ll *from, const struct msghdr *msg)
{
	if (from->sll_pkttype != PACKET_HOST && from->sll_pkttype != PACKET_BROADCAST &&
	    from->sll_pkttype != PACKET_MULTICAST)
		return false;
	/* Cut short to fit the buffer: dropped rather than relayed truncated. */
	return !(msg->msg_flags & MSG_TRUNC);
}

int packet_socket_receive_batch(int fd, uint8_t *const bufs[], size_t capacity, size_t lens[],
				int count)
{
	struct mmsghdr messages[PACKET_BATCH_MAX];
	struct iovec iov[PACKET_BATCH_MAX];
	struct sockaddr_ll from[PACKET_BATCH_MAX];
	int got;

	if (count > PACKET_BATCH_MAX)
		count = PACKET_BATCH_MAX;
	memset(messages, 0, sizeof(messages[0]) * (size_t)count);
	for (int i = 0; i < count; i++) {
		iov[i] = (struct iovec){ .iov_base = bufs[i], .iov_len = capacity };
		messages[i].msg_hdr.msg_iov = &iov[i];
		messages[i].msg_hdr.msg_iovlen = 1;
		messages[i].msg_hdr.msg_name = &from[i];
		messages[i].msg_hdr.msg_namelen = sizeof(from[i]);
	}
	do
		got = recvmmsg(fd, messages, (unsigned)count, MSG_DONTWAIT, NULL);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	for (int i = 0; i < got; i++)
		lens[i] = frame_is_ours(&from[i], &messages[i].msg_hdr) ? messages[i].msg_len : 0;
	return got;
}

int packet_socket_send_batch(int fd, uint8_t *const frames[], const size_t lens[], int count)
{
	struct mmsghdr messages[PACKET_BATCH_MAX];
	struct iovec iov[PACKET_BATCH_MAX];
	int done = 0, failed = 0;

	if (count > PACKET_BATCH_MAX)
		count = PACKET_BATCH_MAX;
	memset(messages, 0, sizeof(messages[0]) * (size_t)count);
	for (int i = 0; i < count; i++) {
		iov[i] = (struct iovec){ .iov_base = frames[i], .iov_len = lens[i] };
		messages[i].msg_hdr.msg_iov = &iov[i];
		messages[i].msg_hdr.msg_iovlen = 1;
	}
	/* sendmmsg() stops at the first frame the kernel refuses: that one is
	 * dropped, as packet_socket_send() drops it, and the rest still go. */
	while (done < count) {
		int sent = sendmmsg(fd, messages + done, (unsigned)(count - done), 0);

		if (sent < 0 && errno == EINTR)
			continue;
		if (sent <= 0) {
			done++;
			failed++;
			continue;
		}
		done += sent;
	}
	return failed;
}
