/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The user-space data path: a relay child between a pty, whose slave pppd
 * drives with its PPP line discipline, and the Ethernet, clamping the MSS of
 * SYNs as it moves the frames.  Works on any kernel with ptys and AF_PACKET.
 */
#include "pppd_api.h"  /* first: pppd 2.4's bool must come before <stdbool.h> */

#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "datapath.h"
#include "relay_child.h"

#ifndef N_HDLC
#define N_HDLC 13
#endif
#ifndef N_SYNC_PPP
#define N_SYNC_PPP 14
#endif
#ifndef N_PPP
#define N_PPP 3
#endif

/* Try n_hdlc on the relay's end; without it, async framing still works. */
static bool enable_sync(const struct plugin_settings *settings, int pty_master)
{
	int discipline = N_HDLC;

	if (!settings->sync_requested)
		return false;
	if (ioctl(pty_master, TIOCSETD, &discipline) == 0)
		return true;
	warn("pppoe-mss: pppoe-sync needs the n_hdlc line discipline (%s; try 'modprobe n_hdlc'): "
	     "using asynchronous framing", strerror(errno));
	return false;
}

static int relay_start(struct plugin_session *s, const struct plugin_settings *settings, char *why,
		       size_t why_len)
{
	int pty_master = -1, pty_slave = -1;
	struct termios raw;
	pid_t pid;

	if (s->session_fd < 0) {
		snprintf(why, why_len, "no packet socket for the session's frames");
		return -1;
	}
	struct relay_child_params params = {
		.disc = &s->disc, .session_fd = s->session_fd, .discovery_fd = s->discovery_fd,
		.share = s->share, .dump = &s->dump, .ifname = s->iface.name, .iface = &s->iface,
		.record = &s->record, .early_guardian_fd = s->early.control_fd,
		.confinement = &s->confinement,
	};
	memcpy(params.relay.our_mac, s->iface.mac, PPPOE_MAC_LEN);
	memcpy(params.relay.ac_mac, s->disc.ac_mac, PPPOE_MAC_LEN);
	params.relay.session_id = s->disc.session_id;
	params.relay.ethertypes = pppoe_standard_ethertypes;
	params.relay.link_mtu = s->link_mtu;
	params.relay.policy = *settings->policy;
	negotiated_mtu_mru_publish(s->share, s->link_mtu, s->link_mtu);

	if (openpty(&pty_master, &pty_slave, NULL, NULL, NULL) < 0) {
		snprintf(why, why_len, "cannot allocate a pty for the relay: %s", strerror(errno));
		return -1;
	}
	/* Neither end for a program pppd or the relay runs. */
	if (fcntl(pty_master, F_SETFD, FD_CLOEXEC) < 0 || fcntl(pty_slave, F_SETFD, FD_CLOEXEC) < 0) {
		snprintf(why, why_len, "cannot make the relay's pty close-on-exec: %s",
			 strerror(errno));
		close(pty_master);
		close(pty_slave);
		return -1;
	}
	if (tcgetattr(pty_slave, &raw) == 0) {
		cfmakeraw(&raw);
		tcsetattr(pty_slave, TCSANOW, &raw);
	}
	s->sync_active = enable_sync(settings, pty_master);
	params.pty_master = pty_master;
	params.pty_slave = pty_slave;
	params.sync = s->sync_active;
	params.idle_timeout_s = settings->idle_timeout_s;
	pid = relay_child_start(&params);
	close(pty_master);
	if (pid < 0) {
		snprintf(why, why_len, "cannot start the relay process: %s", strerror(errno));
		close(pty_slave);
		return -1;
	}
	child_process_follow(&s->child, pid);
	/* The child has the session socket; the parent keeps discovery for a PADT. */
	close(s->session_fd);
	s->session_fd = -1;
	return pty_slave;
}

static int relay_establish(struct plugin_session *s, int fd)
{
	int discipline = s->sync_active ? N_SYNC_PPP : N_PPP;

	if (ioctl(fd, TIOCSETD, &discipline) < 0) {
		error("pppoe-mss: cannot set the PPP line discipline on the relay pty: %m "
		      "(is the %s module loaded?)", s->sync_active ? "ppp_synctty" : "ppp_async");
		return -1;
	}
	return pppd_generic_establish(fd);
}

static void relay_disestablish(struct plugin_session *s, int fd)
{
	int discipline = N_TTY;

	(void)s;
	pppd_generic_disestablish(fd);
	ioctl(fd, TIOCSETD, &discipline);
}

static void relay_negotiated_mtu_mru_changed(struct plugin_session *s,
					     const struct plugin_settings *settings)
{
	(void)settings;
	negotiated_mtu_mru_publish(s->share, s->mtu, s->mru);
}

static void relay_release(struct plugin_session *s, bool child_cleaned_up)
{
	/* The relay's pty and sockets are closed with the session's. */
	(void)s, (void)child_cleaned_up;
}

static void relay_close_in_child(struct plugin_session *s)
{
	(void)s;
}

const struct datapath datapath_relay = {
	.name = "user-space relay",
	.start = relay_start,
	.establish = relay_establish,
	.disestablish = relay_disestablish,
	.negotiated_mtu_mru_changed = relay_negotiated_mtu_mru_changed,
	.release = relay_release,
	.close_in_child = relay_close_in_child,
};
