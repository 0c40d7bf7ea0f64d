/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the session records (session_record.h) are for, the same in the
 * plugin and the standalone program: writing down the session a client
 * runs, and at the next start on a NIC ending the sessions that clients
 * killed with everything they had left behind -- a PADT for each, the
 * kernel clamp's filters when they are still of this boot, and their live
 * status files.
 */
#ifndef PPPOE_MSS_SESSION_RECOVERY_H
#define PPPOE_MSS_SESSION_RECOVERY_H


#include "discovery.h"
#include "frame_dump.h"
#include "packet_socket.h"
#include "session_record.h"
#include "tc_clamp.h"

/* The session discovery set up on iface, and the clamp (NULL: none). */
void session_recovery_note(const struct session_record *record, const struct interface_info *iface,
			   const struct discovery *disc, const struct tc_clamp *clamp);

/*
 * The client is gone (killed) before its session's own child ran: the
 * clamp filters its record names, removed while they run the programs
 * named (another process of the session may have been quicker).
 */
void session_recovery_remove_filters(const struct session_record *record);

/* Before discovery on iface: end what was left over there, logged. */
void session_recovery_end_leftovers(const struct interface_info *iface,
				    const struct discovery *disc, int discovery_fd, const struct frame_dump *dump);

#endif
