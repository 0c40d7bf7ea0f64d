// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/lab/rogue: the interface, its sockets, the clock, and sending at a rate. */
#include <errno.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "rogue.h"

/* ---- the clock ---- */

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void sleep_until_ns(uint64_t deadline)
{
	struct timespec ts = { .tv_sec = (time_t)(deadline / 1000000000u),
			       .tv_nsec = (long)(deadline % 1000000000u) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/* ---- the interface and its sockets ---- */

bool interface_open(struct rogue *r)
{
	struct ifreq ifr;
	struct sockaddr_ll address;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || strlen(r->interface) >= sizeof(ifr.ifr_name)) {
		fprintf(stderr, "rogue: bad interface name or no socket\n");
		return false;
	}
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, r->interface, strlen(r->interface));
	if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0) {
		fprintf(stderr, "rogue: no interface %s: %s\n", r->interface, strerror(errno));
		close(fd);
		return false;
	}
	r->ifindex = ifr.ifr_ifindex;
	/* ifr is a union: each answer is read before the next question. */
	if (ioctl(fd, SIOCGIFMTU, &ifr) < 0) {
		fprintf(stderr, "rogue: cannot read the MTU of %s: %s\n", r->interface, strerror(errno));
		close(fd);
		return false;
	}
	r->mtu = (unsigned)ifr.ifr_mtu;
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
		fprintf(stderr, "rogue: cannot read the MAC of %s: %s\n", r->interface, strerror(errno));
		close(fd);
		return false;
	}
	memcpy(r->own_mac, ifr.ifr_hwaddr.sa_data, PPPOE_MAC_LEN);
	close(fd);

	/* Protocol 0: this socket only sends, it never queues what passes by. */
	r->send_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (r->send_fd < 0) {
		fprintf(stderr, "rogue: packet socket: %s\n", strerror(errno));
		return false;
	}
	memset(&address, 0, sizeof(address));
	address.sll_family = AF_PACKET;
	address.sll_ifindex = r->ifindex;
	if (bind(r->send_fd, (struct sockaddr *)&address, sizeof(address)) < 0) {
		fprintf(stderr, "rogue: bind to %s: %s\n", r->interface, strerror(errno));
		return false;
	}
	return true;
}

int listen_socket(const struct rogue *r, uint16_t ethertype)
{
	struct sockaddr_ll address;
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	memset(&address, 0, sizeof(address));
	address.sll_family = AF_PACKET;
	address.sll_protocol = htons(ethertype);
	address.sll_ifindex = r->ifindex;
	if (bind(fd, (struct sockaddr *)&address, sizeof(address)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Wait until deadline_ns for one frame; returns its length (0 on timeout,
 * -1 on error).  A frame larger than buf is skipped, never cut short.
 */
ssize_t receive_until(int fd, uint8_t *buf, size_t capacity, uint64_t deadline_ns)
{
	for (;;) {
		uint64_t now = now_ns();
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int ready;

		if (now >= deadline_ns)
			return 0;
		ready = poll(&pfd, 1, (int)((deadline_ns - now) / 1000000u) + 1);
		if (ready < 0 && errno != EINTR)
			return -1;
		if (ready <= 0)
			continue;
		ssize_t got = recv(fd, buf, capacity, MSG_DONTWAIT | MSG_TRUNC);
		if (got < 0 && errno != EAGAIN && errno != EINTR)
			return -1;
		if (got > 0 && (size_t)got <= capacity)
			return got;
	}
}

/* ---- sending, paced ---- */

void pacer_start(struct pacer *p, unsigned long rate)
{
	memset(p, 0, sizeof(*p));
	p->start = now_ns();
	p->interval_ns = 1000000000u / rate;
}

/* Send frame number i of the run, not before its slot: a late sender
 * catches up without sleeping, so the rate is an average, never exceeded. */
void pacer_send(struct pacer *p, const struct rogue *r, unsigned long i,
		const uint8_t *frame, size_t len)
{
	sleep_until_ns(p->start + (uint64_t)i * p->interval_ns);
	if (send(r->send_fd, frame, len, 0) == (ssize_t)len) {
		p->sent++;
	} else {
		p->failed++;
		p->last_errno = errno;
	}
}
