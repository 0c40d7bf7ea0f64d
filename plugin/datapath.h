/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The two ways a session is carried once discovery has set it up, behind one
 * interface: the user-space relay (a child process between a pty and the
 * Ethernet, clamping as it moves frames; works everywhere) and the kernel
 * (an AF_PPPOX socket, with the clamp inline in an eBPF program on the
 * Ethernet device).  plugin.c calls these and never asks which one runs.
 */
#ifndef PPPOE_MSS_DATAPATH_H
#define PPPOE_MSS_DATAPATH_H

#include <stdbool.h>
#include <stddef.h>

#include "session.h"

struct datapath {
	const char *name;
	/*
	 * Carry the session in s: returns the fd for pppd's channel, with
	 * s->child running.  On failure -1, the reason in why, and nothing
	 * of the attempt left behind, so that another path can be tried.
	 */
	int (*start)(struct plugin_session *s, const struct plugin_settings *settings, char *why,
		     size_t why_len);
	/* pppd's establish_ppp/disestablish_ppp on that fd. */
	int (*establish)(struct plugin_session *s, int fd);
	void (*disestablish)(struct plugin_session *s, int fd);
	/* LCP (re)negotiated: s->mtu and s->mru hold the new values. */
	void (*negotiated_mtu_mru_changed)(struct plugin_session *s,
					   const struct plugin_settings *settings);
	/*
	 * The session is over and its child reaped: let go of what the path
	 * holds.  child_cleaned_up says the child removed what it shared with us
	 * (it exited cleanly); otherwise that is ours to do.
	 */
	void (*release)(struct plugin_session *s, bool child_cleaned_up);
	/* In pppd's other children (scripts): close what only the session needs. */
	void (*close_in_child)(struct plugin_session *s);
};

extern const struct datapath datapath_relay;
extern const struct datapath datapath_kernel;

/*
 * After discovery: the path settings->datapath asks for, the kernel first
 * under auto; logs which path carries the session and why.  Returns the fd
 * for pppd, or -1 (logged).
 */
int datapath_start(struct plugin_session *s, const struct plugin_settings *settings);

#endif
