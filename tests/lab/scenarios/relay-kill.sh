#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Fault scenario: the relay process dies with SIGKILL in the middle of a
# session -- pppoe-mss behind pppd's pty, or the plugin's relay child.  Its
# end of the pty closes with it, so pppd must see the hangup at once (well
# before its LCP echo would notice) and, with persist, establish a new
# session.  Either way the old session gets its PADT within 2 s and the AC
# ends it: with the plugin pppd itself is still there to send the PADT the
# relay could not; behind the pty, pppoe-mss's guardian child
# (pppoe-mss-guard, forked before discovery) finds its parent gone without
# having ended the session and sends it.
. "$LAB_SRCDIR/tests/lab/topology.sh"
. "$LAB_SRCDIR/tests/lab/measure.sh"
. "$LAB_SRCDIR/tests/lab/faults.sh"

# pppd said it lost the line, since the kill (LINES: the log's length then).
pppd_saw_hangup() {
	tail -n "+$(($1 + 1))" "$LAB_DIR/gw-pppd.log" 2>/dev/null | grep -q "Modem hangup"
}

[ "$LAB_CLIENT" = ebpf ] && bail "relay-kill: a session in the kernel has no relay (guardian-kill is its counterpart)"
lab_up || bail "lab: namespaces, web server and access concentrator up"
lab_capture_start relay-kill ac "$LAB_AC_IF" ether proto 0x8863 || bail "relay-kill: capture on the AC's $LAB_AC_IF"
client_mac=$(faults_client_mac)
# Echo every 5 s, 3 failures: a hangup seen within a second came from the
# pty, not from the echo.
LAB_PPPD_EXTRA="$FAULTS_PPPD_OPTIONS lcp-echo-interval 5" lab_client_start "$LAB_CLIENT" auto ||
	bail "$LAB_CLIENT client with persist: PPP session up"
first_pppd=$LAB_PPPD_PID

label="$LAB_CLIENT client, relay killed with SIGKILL"
relay=$(faults_relay_pid)
[ "$(faults_count $relay)" -eq 1 ] || bail "$label: one relay process runs ($relay)"
index=$(faults_ppp0_index)
session=$(faults_client_session)
ac_pppd=$(faults_ac_pppd_for "$session")
lines=$(wc -l <"$LAB_DIR/gw-pppd.log")
killed=$(lab_now)
kill -KILL "$relay"
faults_wait_time 5 pppd_saw_hangup "$lines"
check "$label: pppd sees the hangup at once ($FAULTS_TOOK s)" \
	eval 'pppd_saw_hangup "$lines" && faults_at_most "$FAULTS_TOOK" 1'
hangup=$FAULTS_TOOK
lab_wait 20 faults_new_session_up "$index"
recovered=$(lab_elapsed "$killed")
check "$label: the same pppd (persist) has a new session ($recovered s after the kill)" \
	eval 'faults_new_session_up "$index" && [ "$LAB_PPPD_PID" = "$first_pppd" ]'
lab_wait 3 eval 'relay_now=$(faults_relay_pid) && [ "$(faults_count $relay_now)" -eq 1 ] && [ "$relay_now" != "$relay" ]'
check "$label: a new relay process runs the new session (the gateway runs: $(faults_gw_processes | tr '\n' ' '))" \
	eval 'relay_now=$(faults_relay_pid) && [ "$(faults_count $relay_now)" -eq 1 ] && [ "$relay_now" != "$relay" ]'
check "$label: traffic flows again: ping from the LAN host to the web server" \
	in_lan busybox ping -q -c 2 -w 5 10.77.3.2
check "$label: no zombie left ($(faults_zombies | tr '\n' ' '))" faults_no_zombies
lab_wait 3 lab_captures_settled
padt=$(faults_padt_for relay-kill "$session" "$client_mac" "$killed")
padt_sender="pppd sends"
[ "$LAB_CLIENT" = pty ] && padt_sender="pppoe-mss's guardian sends"
check "$label: $padt_sender the PADT for session $session the relay could not, within 2 s (${padt:+$(faults_seconds "$killed" "$padt") s})" \
	eval '[ -n "$padt" ] && faults_at_most "$(faults_seconds "$killed" "$padt")" 2'
check "$label: the AC ends the old session (its pppd $ac_pppd)" lab_wait 10 lab_not_running "$ac_pppd"
padt_text="no PADT for the old session"
[ -z "$padt" ] || padt_text="PADT for the old session after $(faults_seconds "$killed" "$padt") s"
diag "$label: pppd saw the hangup after $hangup s, new session $(faults_client_session) up $recovered s after the kill; $padt_text"

lab_client_stop
lab_capture_stop
check "$LAB_CLIENT client: nothing of the client is left on the gateway" lab_wait 5 faults_gw_empty
lab_down
exit 0
