/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fake access concentrator (host_relay.h): its end of the veth pair,
 * the client's discovery frames read with code of its own, and its side of
 * discovery.
 */
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "byte_order.h"
#include "host_relay.h"

/* ---- the lab: both veth ends ---- */

int interface_read(const char *name, uint8_t mac[PPPOE_MAC_LEN], unsigned *mtu, int *ifindex)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int result = -1;

	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0)
		goto out;
	*ifindex = ifr.ifr_ifindex;
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		goto out;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, PPPOE_MAC_LEN);
	if (ioctl(fd, SIOCGIFMTU, &ifr) < 0)
		goto out;
	*mtu = (unsigned)ifr.ifr_mtu;
	result = 0;
out:
	close(fd);
	return result;
}

/*
 * One ETH_P_ALL socket sees both PPPoE ethertypes in the order they were
 * sent, which a socket per ethertype would not guarantee.
 */
int ac_open(struct lab *lab, const char *ac_if)
{
	struct sockaddr_ll address;
	unsigned mtu;
	int ifindex;

	if (interface_read(ac_if, lab->ac_mac, &mtu, &ifindex) < 0) {
		diag("cannot read interface %s: %s", ac_if, strerror(errno));
		return -1;
	}
	lab->ac_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, htons(ETH_P_ALL));
	if (lab->ac_fd < 0) {
		diag("cannot open a packet socket: %s", strerror(errno));
		return -1;
	}
	memset(&address, 0, sizeof(address));
	address.sll_family = AF_PACKET;
	address.sll_protocol = htons(ETH_P_ALL);
	address.sll_ifindex = ifindex;
	if (bind(lab->ac_fd, (struct sockaddr *)&address, sizeof(address)) < 0) {
		diag("cannot bind to %s: %s", ac_if, strerror(errno));
		return -1;
	}
	return 0;
}

bool ac_send(const struct lab *lab, const uint8_t *frame, size_t len)
{
	if (send(lab->ac_fd, frame, len, 0) == (ssize_t)len)
		return true;
	diag("AC: sending a %zu-byte frame failed: %s", len, strerror(errno));
	return false;
}

static bool is_pppoe_ethertype(uint16_t ethertype)
{
	return ethertype == PPPOE_ETHERTYPE_DISCOVERY || ethertype == PPPOE_ETHERTYPE_SESSION;
}

/*
 * The next PPPoE frame the client sent (ethertype 0: either kind), or 0
 * after timeout_ms.  Frames of the other PPPoE kind are reported and
 * dropped; everything else the kernel puts on the link is ignored.
 */
size_t ac_receive(const struct lab *lab, uint16_t ethertype, int timeout_ms, uint8_t *buf,
		  size_t capacity)
{
	uint64_t deadline = now_ms() + (uint64_t)timeout_ms;

	for (;;) {
		struct pollfd pfd = { .fd = lab->ac_fd, .events = POLLIN };
		struct sockaddr_ll from;
		socklen_t from_len = sizeof(from);
		ssize_t got;

		if (poll(&pfd, 1, remaining_ms(deadline)) <= 0)
			return 0;
		got = recvfrom(lab->ac_fd, buf, capacity, MSG_TRUNC, (struct sockaddr *)&from, &from_len);
		if (got < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			diag("AC: receive failed: %s", strerror(errno));
			return 0;
		}
		/* Our own transmissions come back on an ETH_P_ALL socket. */
		if (from.sll_pkttype == PACKET_OUTGOING || got < PPPOE_ETH_HEADER_LEN ||
		    (size_t)got > capacity || !is_pppoe_ethertype(get_be16(buf + 12)))
			continue;
		if (ethertype != 0 && get_be16(buf + 12) != ethertype) {
			diag("AC: unexpected frame with ethertype 0x%04x, code 0x%02x (%zd bytes)",
			     get_be16(buf + 12), got > 15 ? buf[15] : 0, got);
			continue;
		}
		return (size_t)got;
	}
}

/* Forget whatever an earlier step left queued. */
void ac_drain(const struct lab *lab)
{
	uint8_t buf[PACKET_MAX];

	for (int i = 0; i < 1000 && recv(lab->ac_fd, buf, sizeof(buf), MSG_DONTWAIT) > 0; i++)
		;
}

/* ---- reading discovery frames, independently of src/pppoe.c ---- */

/* ---- reading discovery frames, independently of src/pppoe.c ---- */

/* The PPPoE payload length, or -1 when the header is short, wrong or lies. */
int pppoe_payload_length(const uint8_t *frame, size_t len)
{
	uint16_t payload_len;

	if (len < PPPOE_PAYLOAD_AT || frame[PPPOE_VERSION_TYPE_AT] != PPPOE_VERSION_TYPE)
		return -1;
	payload_len = get_be16(frame + PPPOE_LENGTH_AT);
	return payload_len > len - PPPOE_PAYLOAD_AT ? -1 : payload_len;
}

struct tag_value {
	bool present;
	const uint8_t *value;
	uint16_t length;
};

/* The first tag of type in a well-formed discovery frame (RFC 2516 section 4). */
static struct tag_value discovery_tag(const uint8_t *frame, size_t len, uint16_t type)
{
	struct tag_value found = { 0 };
	int payload_len = pppoe_payload_length(frame, len);
	size_t at = PPPOE_PAYLOAD_AT, end;

	if (payload_len < 0)
		return found;
	end = PPPOE_PAYLOAD_AT + (size_t)payload_len;
	while (end - at >= 4) {
		uint16_t tag_type = get_be16(frame + at);
		uint16_t tag_len = get_be16(frame + at + 2);

		if (tag_type == PPPOE_TAG_END_OF_LIST || tag_len > end - at - 4)
			break;
		if (tag_type == type) {
			found = (struct tag_value){ .present = true, .value = frame + at + 4, .length = tag_len };
			break;
		}
		at += 4 + (size_t)tag_len;
	}
	return found;
}

static bool tag_equals(struct tag_value tag, const void *value, size_t length)
{
	return tag.present && tag.length == length && (length == 0 || memcmp(tag.value, value, length) == 0);
}

static bool tags_equal(struct tag_value a, struct tag_value b)
{
	return a.present && tag_equals(b, a.value, a.length);
}

/* A discovery frame from the client with this code, or a diagnostic why not. */
bool discovery_frame_is(const uint8_t *frame, size_t len, uint8_t code, const char *what)
{
	if (len == 0) {
		diag("no %s within %d ms", what, STEP_TIMEOUT_MS);
		return false;
	}
	if (get_be16(frame + ETH_TYPE_AT) != PPPOE_ETHERTYPE_DISCOVERY || len < PPPOE_PAYLOAD_AT ||
	    frame[PPPOE_CODE_AT] != code || pppoe_payload_length(frame, len) < 0) {
		diag("expected a %s, got ethertype 0x%04x code 0x%02x, %zu bytes", what,
		     get_be16(frame + ETH_TYPE_AT), len > PPPOE_CODE_AT ? frame[PPPOE_CODE_AT] : 0, len);
		return false;
	}
	return true;
}

/* ---- discovery, the access concentrator's side ---- */

/*
 * Answer the client's PADI and PADR.  With report, every check of what the
 * client sent is its own TAP line (case a); otherwise only failures are
 * told.  want_service: the Service-Name the client was told to ask for
 * (NULL: any, i.e. an empty tag).
 */
bool ac_negotiate(struct lab *lab, const char *want_service, bool report)
{
	uint8_t padi[PACKET_MAX], padr[PACKET_MAX], reply[PACKET_MAX];
	size_t padi_len, padr_len, reply_len;
	struct pppoe_builder builder;
	bool ok = true, check;

	padi_len = ac_receive(lab, PPPOE_ETHERTYPE_DISCOVERY, STEP_TIMEOUT_MS, padi, sizeof(padi));
	if (!discovery_frame_is(padi, padi_len, PPPOE_CODE_PADI, "PADI"))
		return tap(false, "the client sends a PADI");

	struct tag_value padi_service = discovery_tag(padi, padi_len, PPPOE_TAG_SERVICE_NAME);
	struct tag_value padi_host_uniq = discovery_tag(padi, padi_len, PPPOE_TAG_HOST_UNIQ);

	check = memcmp(padi + ETH_DEST_AT, pppoe_broadcast_mac, PPPOE_MAC_LEN) == 0 &&
		memcmp(padi + ETH_SOURCE_AT, lab->client_mac, PPPOE_MAC_LEN) == 0 &&
		get_be16(padi + PPPOE_SESSION_AT) == 0;
	if (!check)
		diag("PADI %s -> %s, session 0x%04x", mac_text(padi + ETH_SOURCE_AT),
		     mac_text(padi + ETH_DEST_AT), get_be16(padi + PPPOE_SESSION_AT));
	if (report)
		tap(check, "PADI is broadcast from the client's MAC with session id 0");
	ok &= check;

	check = padi_host_uniq.present && padi_host_uniq.length > 0 && padi_service.present;
	if (!check)
		diag("PADI Host-Uniq %s (%u bytes), Service-Name %s", padi_host_uniq.present ? "present" : "absent",
		     padi_host_uniq.length, padi_service.present ? "present" : "absent");
	if (report)
		tap(check, "PADI carries a Host-Uniq and a Service-Name tag");
	ok &= check;

	if (want_service != NULL) {
		check = tag_equals(padi_service, want_service, strlen(want_service));
		ok &= tap(check, "-S %s: the PADI asks for Service-Name '%s'", want_service, want_service);
	}
	if (!ok)
		return false;

	/* RFC 2516 5.2: the requested Service-Name comes back, other services may follow. */
	pppoe_builder_begin(&builder, reply, sizeof(reply), padi + ETH_SOURCE_AT, lab->ac_mac,
			    PPPOE_ETHERTYPE_DISCOVERY, PPPOE_CODE_PADO, 0);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_AC_NAME, AC_NAME, strlen(AC_NAME));
	pppoe_builder_add_tag(&builder, PPPOE_TAG_SERVICE_NAME, padi_service.value, padi_service.length);
	if (!tag_equals(padi_service, AC_SERVICE, strlen(AC_SERVICE)))
		pppoe_builder_add_tag(&builder, PPPOE_TAG_SERVICE_NAME, AC_SERVICE, strlen(AC_SERVICE));
	pppoe_builder_add_tag(&builder, PPPOE_TAG_HOST_UNIQ, padi_host_uniq.value, padi_host_uniq.length);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_AC_COOKIE, lab->cookie, sizeof(lab->cookie));
	pppoe_builder_add_tag(&builder, PPPOE_TAG_RELAY_SESSION_ID, lab->relay_session_id,
			      sizeof(lab->relay_session_id));
	reply_len = pppoe_builder_finish(&builder);
	if (reply_len == 0 || !ac_send(lab, reply, reply_len))
		return tap(false, "the fake AC sends its PADO");

	padr_len = ac_receive(lab, PPPOE_ETHERTYPE_DISCOVERY, STEP_TIMEOUT_MS, padr, sizeof(padr));
	if (!discovery_frame_is(padr, padr_len, PPPOE_CODE_PADR, "PADR"))
		return tap(false, "the client answers the PADO with a PADR");

	struct tag_value padr_service = discovery_tag(padr, padr_len, PPPOE_TAG_SERVICE_NAME);
	struct tag_value padr_host_uniq = discovery_tag(padr, padr_len, PPPOE_TAG_HOST_UNIQ);
	struct tag_value padr_cookie = discovery_tag(padr, padr_len, PPPOE_TAG_AC_COOKIE);
	struct tag_value padr_relay_id = discovery_tag(padr, padr_len, PPPOE_TAG_RELAY_SESSION_ID);

	check = memcmp(padr + ETH_DEST_AT, lab->ac_mac, PPPOE_MAC_LEN) == 0 &&
		memcmp(padr + ETH_SOURCE_AT, lab->client_mac, PPPOE_MAC_LEN) == 0 &&
		get_be16(padr + PPPOE_SESSION_AT) == 0;
	if (!check)
		diag("PADR %s -> %s (AC is %s), session 0x%04x", mac_text(padr + ETH_SOURCE_AT),
		     mac_text(padr + ETH_DEST_AT), mac_text(lab->ac_mac), get_be16(padr + PPPOE_SESSION_AT));
	if (report)
		tap(check, "PADR goes from the client's MAC to the AC's MAC (unicast)");
	ok &= check;

	bool cookie_ok = tag_equals(padr_cookie, lab->cookie, sizeof(lab->cookie));
	bool relay_id_ok = tag_equals(padr_relay_id, lab->relay_session_id, sizeof(lab->relay_session_id));
	bool host_uniq_ok = tags_equal(padi_host_uniq, padr_host_uniq);
	check = cookie_ok && relay_id_ok && host_uniq_ok;
	if (!check)
		diag("PADR echoes: AC-Cookie %s, Relay-Session-Id %s, Host-Uniq %s", cookie_ok ? "ok" : "WRONG",
		     relay_id_ok ? "ok" : "WRONG", host_uniq_ok ? "ok" : "WRONG");
	if (report)
		tap(check, "PADR echoes the AC-Cookie, the Relay-Session-Id and the PADI's Host-Uniq");
	ok &= check;

	check = tags_equal(padi_service, padr_service);
	if (!check)
		diag("PADR Service-Name %s the PADI's", padr_service.present ? "differs from" : "missing, unlike");
	if (report || want_service != NULL)
		tap(check, "PADR asks for the same Service-Name as the PADI");
	ok &= check;
	if (!ok)
		return false;

	pppoe_builder_begin(&builder, reply, sizeof(reply), padr + ETH_SOURCE_AT, lab->ac_mac,
			    PPPOE_ETHERTYPE_DISCOVERY, PPPOE_CODE_PADS, AC_SESSION_ID);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_SERVICE_NAME, padr_service.value, padr_service.length);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_HOST_UNIQ, padr_host_uniq.value, padr_host_uniq.length);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_RELAY_SESSION_ID, lab->relay_session_id,
			      sizeof(lab->relay_session_id));
	reply_len = pppoe_builder_finish(&builder);
	if (reply_len == 0 || !ac_send(lab, reply, reply_len))
		return tap(false, "the fake AC sends its PADS");
	return true;
}

/* A PADT from the client for session_id, within deadline_ms; diagnostics when not. */
bool ac_expect_padt(const struct lab *lab, uint16_t session_id, int deadline_ms)
{
	uint8_t frame[PACKET_MAX];
	uint64_t started = now_ms();
	size_t len = ac_receive(lab, PPPOE_ETHERTYPE_DISCOVERY, deadline_ms, frame, sizeof(frame));

	if (len == 0) {
		diag("no PADT within %d ms", deadline_ms);
		return false;
	}
	if (!discovery_frame_is(frame, len, PPPOE_CODE_PADT, "PADT"))
		return false;
	if (get_be16(frame + PPPOE_SESSION_AT) != session_id ||
	    memcmp(frame + ETH_DEST_AT, lab->ac_mac, PPPOE_MAC_LEN) != 0 ||
	    memcmp(frame + ETH_SOURCE_AT, lab->client_mac, PPPOE_MAC_LEN) != 0) {
		diag("PADT for session 0x%04x %s -> %s; expected 0x%04x %s -> %s",
		     get_be16(frame + PPPOE_SESSION_AT), mac_text(frame + ETH_SOURCE_AT),
		     mac_text(frame + ETH_DEST_AT), session_id, mac_text(lab->client_mac),
		     mac_text(lab->ac_mac));
		return false;
	}
	diag("PADT after %llu ms", (unsigned long long)(now_ms() - started));
	return true;
}

/* The AC's PADO for padi: its name and service, the client's Host-Uniq, a cookie. */
size_t pado_build(const struct lab *lab, const uint8_t *padi, size_t padi_len, uint8_t *pado,
		  size_t capacity)
{
	struct tag_value service = discovery_tag(padi, padi_len, PPPOE_TAG_SERVICE_NAME);
	struct tag_value host_uniq = discovery_tag(padi, padi_len, PPPOE_TAG_HOST_UNIQ);
	struct pppoe_builder builder;

	pppoe_builder_begin(&builder, pado, capacity, padi + ETH_SOURCE_AT, lab->ac_mac,
			    PPPOE_ETHERTYPE_DISCOVERY, PPPOE_CODE_PADO, 0);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_AC_NAME, AC_NAME, strlen(AC_NAME));
	pppoe_builder_add_tag(&builder, PPPOE_TAG_SERVICE_NAME, service.value, service.length);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_SERVICE_NAME, AC_SERVICE, strlen(AC_SERVICE));
	if (host_uniq.present)
		pppoe_builder_add_tag(&builder, PPPOE_TAG_HOST_UNIQ, host_uniq.value, host_uniq.length);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_AC_COOKIE, lab->cookie, sizeof(lab->cookie));
	return pppoe_builder_finish(&builder);
}
