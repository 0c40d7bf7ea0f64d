/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's PPPoE: an AF_PPPOX socket bound to a session that discovery
 * set up.  pppd attaches its PPP channel to it (generic establish), and from
 * then on the session's frames never leave the kernel.
 */
#ifndef PPPOE_MSS_PPPOX_SOCKET_H
#define PPPOE_MSS_PPPOX_SOCKET_H

#include <stddef.h>
#include <stdint.h>

/*
 * A PPPoE socket connected to session_id with the AC at ac_mac over ifname,
 * close-on-exec.  Returns the fd, or -1 with a reason a user can act on in
 * error (e.g. the pppoe module missing).
 */
int pppox_session_open(const char *ifname, uint16_t session_id,
		       const uint8_t ac_mac[6], char *error, size_t error_len);

#endif
