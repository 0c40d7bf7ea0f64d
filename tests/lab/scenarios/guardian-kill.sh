#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Fault scenario, the kernel data path's counterpart of relay-kill: the
# session's guardian (pppoe-mss-guard, the child of pppd that carries no
# traffic and only ends the session cleanly) dies with SIGKILL in the middle
# of a session.  The session runs in the kernel, so it must go on as it was
# -- same pppd, same ppp0, no hangup, no PADT, the clamp's filters in place,
# a download through the black hole still clamped and complete -- and when
# pppd then ends the session (SIGTERM), pppd itself must send the PADT the
# guardian would have sent and remove the clamp's filters: nothing of the
# kernel path is left.  Only for the ebpf client.
. "$LAB_SRCDIR/tests/lab/topology.sh"
. "$LAB_SRCDIR/tests/lab/measure.sh"
. "$LAB_SRCDIR/tests/lab/faults.sh"

# process_dead PID: gone, or a zombie.
process_dead() {
	process_state=
	{ read -r process_state <"/proc/$1/stat"; } 2>/dev/null
	process_state=${process_state##*) }
	case $process_state in
	''|Z*) return 0 ;;
	esac
	return 1
}

# pppd said it lost the line, since the kill (LINES: the log's length then).
pppd_saw_hangup() {
	tail -n "+$(($1 + 1))" "$LAB_DIR/gw-pppd.log" 2>/dev/null | grep -Eq "Modem hangup|Connection terminated"
}

# padt_from MAC SINCE: the time of the first PADT from MAC at or after
# SINCE, for any session.
padt_from() {
	lab_scan "$LAB_DIR/guardian-kill.pcap" | awk -v mac="$1" -v since="$2" '
		$2 == "PADT" && $5 == mac && $1 >= since { print $1; exit }'
}

[ "$LAB_CLIENT" = ebpf ] || bail "guardian-kill: only the ebpf client has a guardian (client $LAB_CLIENT)"
lab_up || bail "lab: namespaces, web server and access concentrator up"
lab_capture_start guardian-kill ac "$LAB_AC_IF" ether proto 0x8863 ||
	bail "guardian-kill: capture on the AC's $LAB_AC_IF"
client_mac=$(faults_client_mac)
# Echo every 5 s, 3 failures: the session must outlive the guardian, not
# only until pppd's echo would notice.
LAB_PPPD_EXTRA="$FAULTS_PPPD_OPTIONS lcp-echo-interval 5" lab_client_start "$LAB_CLIENT" auto ||
	bail "$LAB_CLIENT client with persist: PPP session up"
first_pppd=$LAB_PPPD_PID

label="$LAB_CLIENT client, guardian killed with SIGKILL"
guardian=$(datapath_guardian_of "$LAB_PPPD_PID")
[ "$(faults_count $guardian)" -eq 1 ] || bail "$label: one guardian runs ($guardian)"
programs=$(datapath_filter_programs "$LAB_WAN_IF")
index=$(faults_ppp0_index)
session=$(faults_client_session)
ac_pppd=$(faults_ac_pppd_for "$session")
lines=$(wc -l <"$LAB_DIR/gw-pppd.log")
killed=$(lab_now)
kill -KILL "$guardian"
check "$label: the guardian is dead within 2 s" lab_wait 2 process_dead "$guardian"
# Nothing in pppd waits for a child it did not start itself until the
# session ends: the plugin reaps its guardian at its teardown.
if [ -d "/proc/$guardian" ]; then
	diag "$label: the guardian is a zombie until pppd ends the session"
else
	diag "$label: the guardian was reaped at once"
fi
# Longer than the hangup would take to show (the relay's takes well under a
# second), shorter than pppd's echo.
sleep 3
check "$label: the session goes on: same pppd, same ppp0, up, no hangup in pppd's log" \
	eval 'lab_session_up && [ "$(faults_ppp0_index)" = "$index" ] && [ "$LAB_PPPD_PID" = "$first_pppd" ] &&
		! pppd_saw_hangup "$lines"'
check "$label: the AC still has the same session (pppd $ac_pppd, session $session)" \
	eval '[ -n "$ac_pppd" ] && ! lab_not_running "$ac_pppd"'
check "$label: the clamp's filters stay as they were ($programs; now $(datapath_filter_programs "$LAB_WAN_IF"))" \
	test "$(datapath_filter_programs "$LAB_WAN_IF")" = "$programs"
lab_wait 3 lab_captures_settled
padt=$(padt_from "$client_mac" "$killed")
check "$label: no PADT from the client while the session goes on (${padt:-none})" test -z "$padt"
check "$label: traffic flows: ping from the LAN host to the web server" \
	in_lan busybox ping -q -c 2 -w 5 10.77.3.2
lab_transfer download http://10.77.3.2/blob 60 "$label"
lab_check_transfer "$label" complete
lab_check_mss "$label" at-most 1452
check "$label: still the same session after the download" \
	eval 'lab_session_up && [ "$(faults_ppp0_index)" = "$index" ] && ! pppd_saw_hangup "$lines"'

label="$LAB_CLIENT client, pppd ended (SIGTERM) without its guardian"
# lab_transfer stopped the capture of discovery frames with the others.
lab_capture_start guardian-kill-end ac "$LAB_AC_IF" ether proto 0x8863 ||
	bail "$label: capture on the AC's $LAB_AC_IF"
lines=$(wc -l <"$LAB_DIR/gw-pppd.log")
stopped=$(lab_now)
# lab_client_stop checks that nothing of the kernel path is left.
lab_client_stop TERM
gone=$(lab_elapsed "$stopped")
lab_wait 3 faults_padt_seen guardian-kill-end "$session" "$client_mac" "$stopped"
padt=$(faults_padt_for guardian-kill-end "$session" "$client_mac" "$stopped")
check "$label: pppd sends the PADT for session $session itself, within 2 s (${padt:+$(faults_seconds "$stopped" "$padt") s})" \
	eval '[ -n "$padt" ] && faults_at_most "$(faults_seconds "$stopped" "$padt")" 2'
check "$label: pppd is gone ($gone s)" lab_not_running "$first_pppd"
check "$label: the AC ends the session (its pppd $ac_pppd)" lab_wait 10 lab_not_running "$ac_pppd"
diag "$label: pppd's last counters: $(tail -n "+$((lines + 1))" "$LAB_DIR/gw-pppd.log" | grep -h 'MSS clamped' | tail -n 1)"
check "$LAB_CLIENT client: nothing of the client is left on the gateway" lab_wait 5 faults_gw_empty
check "$LAB_CLIENT client: no zombie left ($(faults_zombies | tr '\n' ' '))" faults_no_zombies
lab_capture_stop
lab_down
exit 0
