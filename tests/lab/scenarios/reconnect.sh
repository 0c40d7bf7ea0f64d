#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 4, second half: the access concentrator ends the session.  Its
# pppd is killed outright, so pppoe-server itself sends the PADT (no LCP
# goodbye first).  The client must take that PADT as the end of the session
# -- its relay stops, pppd sees the line hang up -- and pppd, running with
# persist, must have a new session up within 10 s.  With the session in
# the kernel (ebpf) the kernel's pppoe takes the PADT and unbinds the
# session, the guardian logs it and removes the clamp's filters, and the
# new session has a new guardian and filters of its own.
. "$LAB_SRCDIR/tests/lab/topology.sh"
. "$LAB_SRCDIR/tests/lab/measure.sh"

# The client noticed the PADT (pppd's log and the syslog both carry the
# plugin's and the program's messages).
lab_client_saw_padt() {
	grep -qs "access concentrator ended session" "$LAB_DIR/gw-pppd.log" "$LAB_DIR/syslog" \
		"$LAB_DIR/gw-pppd.out"
}

# pppd saw the line hang up.  Asked of its log, not of ppp0's absence: with
# holdoff 1 the next session's ppp0 may already be there when we look.
lab_pppd_hung_up() {
	grep -qs "Connection terminated" "$LAB_DIR/gw-pppd.log"
}

lab_up || bail "lab: namespaces, web server and access concentrator up"
lab_capture_start reconnect ac sub0 ether proto 0x8863 || bail "reconnect: capture on the AC's sub0"
ac_mac=$(ip -n ac -o link show dev sub0 | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')

label="$LAB_CLIENT client with persist"
LAB_PPPD_EXTRA="persist maxfail 0 holdoff 1" lab_client_start "$LAB_CLIENT" auto ||
	bail "$label: PPP session up"
first_pppd=$LAB_PPPD_PID
old_guardian=$(datapath_guardian_of "$LAB_PPPD_PID")
old_programs=$(datapath_filter_programs "$LAB_WAN_IF")
ac_pppd=$(lab_ac_process pppd)
[ -n "$ac_pppd" ] || bail "$label: the AC runs a pppd for the session"
sent=$(lab_now)
kill -KILL "$ac_pppd"
lab_wait 5 lab_padt_seen reconnect "$sent" "$ac_mac"
padt=$(lab_padt_delay reconnect "$sent" "$ac_mac")
check "$label: pppoe-server sends a PADT when the session's pppd dies (${padt:-none} s)" \
	test -n "$padt"
check "$label: the client takes the PADT as the end of the session" lab_wait 5 lab_client_saw_padt
check "$label: pppd sees the line hang up (ppp0 goes down)" lab_wait 5 lab_pppd_hung_up
check "$label: the same pppd (persist) has a new session up within 10 s" lab_wait 10 lab_session_up
up=$(lab_elapsed "$sent")
check "$label: it is the same pppd process" test "$LAB_PPPD_PID" = "$first_pppd"
if [ "$LAB_PPPD_DATAPATH" = kernel ]; then
	new_guardian=$(datapath_guardian_of "$LAB_PPPD_PID")
	new_programs=$(datapath_filter_programs "$LAB_WAN_IF")
	check "$label: the new session has a new guardian ($old_guardian -> ${new_guardian:-none}) and the clamp's filters are its own only (before: $old_programs; now: ${new_programs:-none})" \
		eval '[ "$(datapath_count $new_guardian)" -eq 1 ] && [ "$new_guardian" != "$old_guardian" ] &&
			[ "$(datapath_filter_count "$LAB_WAN_IF")" -eq 2 ] && [ "$new_programs" != "$old_programs" ]'
fi
check "$label: traffic flows again: ping from the LAN host to the web server" \
	in_lan busybox ping -q -c 3 -w 5 10.77.3.2
diag "$label: AC's PADT after ${padt:-(none)} s, session up again after $up s"
lab_client_stop
lab_capture_stop
lab_down
exit 0
