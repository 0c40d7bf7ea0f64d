#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Two sessions on one NIC: two pppds on the gateway's wan0 (linkname gw on
# ppp0, linkname gw2 with unit 1 on ppp1) with the client under test, the
# LAN's way to the web server routed through ppp1.  Each session has its
# own session record on wan0, held by its own processes, and its own child
# (pty: its own pppoe-mss; plugin: its own relay; ebpf: its own guardian,
# titled with its session, and its own clamp program and filters on wan0);
# pppoe-mss-sessions lists both.  While a ping from the LAN host to the web
# server runs through ppp1 every 0.2 s, the first session is
#
#   killed (SIGKILL to pppd): what outlives pppd sends the PADT for the
#     first session within 2 s, none for the second; the first's record
#     goes, the second's stays held; the AC ends the first only (ebpf:
#     only the first's guardian and filters go); then restarted: a new
#     session on ppp0 beside the second, whose record the start leaves
#     alone (held by a live client);
#   killed with its whole process group (pppd runs in a group of its own):
#     no PADT, the first's record stays behind, free, beside the second's
#     held one; then restarted: the start ends the first's leftover session
#     with a PADT before its PADI and says so, and names and touches
#     nothing of the second (no PADT for it, its record as it was).
#
# The second session goes on through all of it on the same ppp1: the ping
# loses at most the one reply in flight when it is stopped, and a download
# through the black hole completes clamped afterwards; pppoe-mss-sessions
# then lists the second session and the first's newest.  At the end both
# pppds stop (SIGTERM): a PADT for each, nothing of either left on the
# gateway (ebpf: no filter, no BPF program or map) and no record on wan0.
. "$LAB_SRCDIR/tests/lab/topology.sh"
. "$LAB_SRCDIR/tests/lab/measure.sh"
. "$LAB_SRCDIR/tests/lab/faults.sh"
. "$LAB_SRCDIR/tests/lab/records.sh"

ppp1_up() {
	kill -0 "$second_pppd" 2>/dev/null && ip -n gw -4 addr show dev ppp1 2>/dev/null | grep -q 'inet '
}

ppp1_index() {
	ip -n gw -o link show dev ppp1 2>/dev/null | cut -d: -f1
}

# The words of $1 that are not in $2.
words_not_in() {
	for word in $1; do
		case " $2 " in *" $word "*) ;; *) printf '%s ' "$word" ;; esac
	done | sed 's/ $//'
}

# sorted WORDS: the words, sorted, one line.
sorted() {
	echo "$@" | tr ' ' '\n' | grep . | sort | tr '\n' ' ' | sed 's/ $//'
}

# padt_for SESSION SINCE: when the client's first PADT for SESSION reached
# the AC, at or after SINCE (capture NAME, default two-sessions).
padt_for() {
	faults_padt_for "${3:-two-sessions}" "$1" "$client_mac" "$2"
}

# the_child PPPD: the session's child process of that pppd (pty: the
# pppoe-mss behind its pty; plugin: its relay; ebpf: its guardian).
the_child() {
	case $LAB_CLIENT in
	pty)
		for pid in $(faults_pids gw pppoe-mss); do
			# pppd -> sh -c -> pppoe-mss, or pppd -> pppoe-mss
			parent=$(faults_parent "$pid")
			[ "$parent" = "$1" ] || [ "$(faults_parent "$parent")" = "$1" ] && echo "$pid"
		done
		;;
	plugin) datapath_relay_of "$1" ;;
	ebpf) datapath_guardian_of "$1" ;;
	esac
	return 0
}

# record_of SESSION: its record on wan0 (one file), or nothing.
record_of() {
	set -- $(records_of "$LAB_WAN_IF" "$1")
	[ $# -eq 1 ] && echo "$1"
}

ac_holds() {
	[ "$(faults_ac_pppd_count)" -eq "$#" ] || return 1
	for ac_session in "$@"; do
		[ -n "$(faults_ac_pppd_for "$ac_session")" ] || return 1
	done
}

second_goes_on() {
	ppp1_up && [ "$(ppp1_index)" = "$second_index" ] && [ "$(record_of "$second_session")" = "$second_record" ] &&
		record_held "$second_record"
}

# first_start LABEL: pppd for the first session (ppp0), up; its facts.
first_start() {
	lab_wait 5 lab_no_ppp0
	pppd_mark=$(lab_line_count "$LAB_DIR/gw-pppd.log")
	syslog_mark=$(syslog_lines)
	lab_client_start "$LAB_CLIENT" auto || bail "$1: the first session (ppp0) up"
	first_pppd=$LAB_PPPD_PID
	first_session=$(ac_last_session "$client_mac" $((syslog_mark + 1)))
	first_child=$(the_child "$first_pppd")
	first_record=$(record_of "$first_session")
	[ "$LAB_CLIENT" = ebpf ] && first_programs=$(words_not_in "$(datapath_filter_programs "$LAB_WAN_IF")" "${second_programs:-}")
	diag "$1: first session $first_session: pppd $first_pppd, child ${first_child:-none}, record ${first_record##*/}${first_programs:+, filters $first_programs}"
}

# members_gone: none of the killed group's members ("pid:comm" words) runs.
members_gone() {
	for member in $members; do
		lab_not_running "${member%%:*}" || return 1
	done
}

client_said() {
	SYSLOG_MARK=$syslog_mark client_log_since "$pppd_mark" | grep -qiF "$1"
}

[ -n "$LAB_STATE_DIR" ] || bail "two-sessions: the build's state directory (statedir in $LAB_BUILDDIR/Makefile)"
case $LAB_CLIENT in
pty|plugin|ebpf) ;;
*) bail "two-sessions: a scenario of the pty, plugin and ebpf clients (not $LAB_CLIENT)" ;;
esac
# The first pppd in a process group of its own: its group can be killed.
LAB_PPPD_SETSID=yes
# The AC's pppd ends a session 1 s after pppoe-server stops it, not 3 to 6
# s (a real AC frees a session at the PADT; the lab only waits for it).
LAB_AC_PPPD_OPTIONS="lcp-restart 1
lcp-max-terminate 1"
lab_up || bail "lab: namespaces, web server and access concentrator up"
lab_capture_start two-sessions ac "$LAB_AC_IF" ether proto 0x8863 || bail "two-sessions: capture on the AC's $LAB_AC_IF"
client_mac=$(faults_client_mac)
ac_mac=$(faults_ac_mac)

# ---- the first session: ppp0 ----
second_programs=
first_start "first session (ppp0)"

# ---- the second session: ppp1 ----
mark=$(($(syslog_lines) + 1))
lab_other_pppd_start gw2 1
second_pppd=$LAB_OTHER_PPPD_PID
lab_wait 20 ppp1_up
check "second session (ppp1): PPP session up, pppd $second_pppd" ppp1_up
ppp1_up || bail "second session (ppp1): PPP session up"
second_session=$(ac_last_session "$client_mac" "$mark")
second_child=$(the_child "$second_pppd")
second_index=$(ppp1_index)
lab_wait 3 eval '[ -n "$(record_of "$second_session")" ]'
second_record=$(record_of "$second_session")
diag "second session ${second_session:-?}: pppd $second_pppd, child ${second_child:-none}, record ${second_record##*/}"
check "two sessions on $LAB_WAN_IF: $first_session and ${second_session:-?}, each with its own child (${first_child:-none}, ${second_child:-none})" \
	eval '[ -n "$second_session" ] && [ "$second_session" != "$first_session" ] &&
		[ "$(faults_count $first_child)" -eq 1 ] && [ "$(faults_count $second_child)" -eq 1 ]'
check "each session has its own record on $LAB_WAN_IF, with both MACs, held ($(records_describe "$LAB_WAN_IF"))" \
	eval '[ "$(faults_count $(records_files "$LAB_WAN_IF"))" -eq 2 ] &&
		record_matches "$first_record" "$LAB_WAN_IF" "$first_session" "$ac_mac" "$client_mac" && record_held "$first_record" &&
		record_matches "$second_record" "$LAB_WAN_IF" "$second_session" "$ac_mac" "$client_mac" && record_held "$second_record"'
if [ "$LAB_CLIENT" = ebpf ]; then
	second_line=$(lab_datapath_line "$LAB_DIR/gw2-pppd.log" 1)
	all_programs=$(datapath_filter_programs "$LAB_WAN_IF")
	second_programs=$(words_not_in "$all_programs" "$first_programs")
	check "second session: it runs in the kernel too, as session $second_session ('$second_line')" \
		eval 'echo "$second_line" | grep -q " $second_session runs in the kernel (PPPoE socket on $LAB_WAN_IF, MSS clamp in eBPF)\$"'
	check "each session has its own guardian, titled with its session ($first_child: '$(datapath_title "$first_child")'; $second_child: '$(datapath_title "${second_child:-0}")')" \
		eval '[ "$(datapath_title "$first_child")" = "pppoe-mss-guard $LAB_WAN_IF session $first_session" ] &&
			[ "$(datapath_title "$second_child")" = "pppoe-mss-guard $LAB_WAN_IF session $second_session" ]'
	check "each session has its own clamp: two bpf filters each way on $LAB_WAN_IF, the first session's unchanged (now: $all_programs)" \
		eval '[ "$(datapath_filter_count "$LAB_WAN_IF" ingress)" -eq 2 ] && [ "$(datapath_filter_count "$LAB_WAN_IF" egress)" -eq 2 ] &&
			[ "$(words_not_in "$first_programs" "$all_programs")" = "" ] && [ "$(datapath_count $second_programs)" -eq 2 ]'
fi
status_json
check "pppoe-mss-sessions lists both sessions ($(status_sessions); exit $STATUS_EXIT)" \
	eval '[ "$STATUS_EXIT" -eq 0 ] && [ "$(sorted $(status_sessions))" = "$(sorted $first_session $second_session)" ]'

# The LAN's way to the web server: through the second session.
lab_run in_gw iptables-legacy -t nat -A POSTROUTING -o ppp1 -j MASQUERADE &&
	lab_run ip -n gw route add 10.77.3.2/32 dev ppp1 ||
	bail "two-sessions: NAT and a route to the web server through ppp1"
check "both sessions carry traffic: ping from the gateway to the AC over ppp0, from the LAN host to the web server over ppp1" \
	eval 'in_gw busybox ping -q -c 2 -w 5 -I ppp0 "$LAB_AC_IP" && in_lan busybox ping -q -c 2 -w 5 10.77.3.2'
# Through all that follows, the LAN pings the web server over ppp1 (ip
# netns exec execs busybox: $! is ping's own pid, and ping prints its
# figures on SIGINT, which it handles itself).
ip netns exec lan busybox ping -i 0.2 -w 170 10.77.3.2 >"$LAB_DIR/ping-ppp1.log" 2>&1 &
pinger=$!

# ---- the first pppd dies ----
label="first pppd killed with SIGKILL"
killed=$(lab_now)
kill -KILL "$first_pppd"
wait "$first_pppd" 2>/dev/null
LAB_PPPD_PID=
lab_wait 3 faults_padt_seen two-sessions "$first_session" "$client_mac" "$killed"
padt=$(padt_for "$first_session" "$killed")
check "$label: the PADT for session $first_session reaches the AC within 2 s (${padt:+$(faults_seconds "$killed" "$padt") s})" \
	eval '[ -n "$padt" ] && faults_at_most "$(faults_seconds "$killed" "$padt")" 2'
check "$label: its child ends; the second's runs on" \
	lab_wait 5 eval 'lab_not_running "$first_child" && [ "$(the_child "$second_pppd")" = "$second_child" ]'
if [ "$LAB_CLIENT" = ebpf ]; then
	lab_wait 5 eval '[ "$(datapath_filter_programs "$LAB_WAN_IF")" = "$(sorted $second_programs)" ]'
	check "$label: only its filters are gone; the second session's stay ($(datapath_filter_programs "$LAB_WAN_IF"); the second's: $second_programs)" \
		test "$(datapath_filter_programs "$LAB_WAN_IF")" = "$(sorted $second_programs)"
fi
lab_wait 3 eval '[ ! -e "$first_record" ]'
check "$label: its record goes, the second's stays, held ($(records_describe "$LAB_WAN_IF"))" \
	eval '[ ! -e "$first_record" ] && second_goes_on'
lab_wait 10 ac_holds "$second_session"
check "$label: the AC ends the first session only (its pppds now: $(faults_ac_pppds))" ac_holds "$second_session"

label="first session restarted"
first_start "$label"
restarted=$(lab_now)
lab_wait 3 lab_captures_settled
check "$label: the second session goes on (same ppp1, its record held), no PADT for it since the kill" \
	eval 'second_goes_on && [ -z "$(padt_for "$second_session" "$killed")" ]'
check "$label: the start takes nothing for left over" \
	eval '! client_said "left over"'
check "$label: the AC holds both ($first_session, $second_session; its pppds: $(faults_ac_pppds))" \
	ac_holds "$first_session" "$second_session"

# ---- the first's whole process group dies ----
label="first session's process group killed with SIGKILL"
group=$(faults_pgid "$first_pppd")
members=
for pid in $(ip netns pids gw); do
	[ "$(faults_pgid "$pid")" = "$group" ] && members="$members $pid:$(faults_comm "$pid")"
done
check "$label: pppd leads its group, with its child (group $group:$members)" \
	eval '[ "$group" = "$first_pppd" ] && case "$members " in *" $first_child:"*) true ;; *) false ;; esac'
killed=$(lab_now)
faults_kill_groups "$group"
wait "$first_pppd" 2>/dev/null
LAB_PPPD_PID=
lab_wait 5 members_gone
sleep 2
lab_wait 3 lab_captures_settled
check "$label: nothing of the first session outlives it: no PADT for session $first_session within 2 s" \
	test -z "$(padt_for "$first_session" "$killed")"
check "$label: its record stays behind, free, beside the second's, held ($(records_describe "$LAB_WAN_IF"))" \
	eval '[ -e "$first_record" ] && ! record_held "$first_record" && second_goes_on'
old_first=$first_session
old_record=$first_record

label="first session restarted after its group was killed"
started=$(lab_now)
first_start "$label"
lab_wait 3 lab_captures_settled
check "$label: the start says 'a session left over on $LAB_WAN_IF (session $old_first with access concentrator $ac_mac): ending it with a PADT before discovery'" \
	client_said "a session left over on $LAB_WAN_IF (session $old_first with access concentrator $ac_mac): ending it with a PADT before discovery"
padt=$(padt_for "$old_first" "$started")
padi=$(lab_scan "$LAB_DIR/two-sessions.pcap" | awk -v since="$started" -v mac="$client_mac" '$2 == "PADI" && $5 == mac && $1 >= since { print $1; exit }')
check "$label: its PADT for session $old_first goes out before its first PADI (PADT ${padt:+$(faults_seconds "$started" "$padt") s}${padt:-none}, PADI ${padi:+$(faults_seconds "$started" "$padi") s}${padi:-none} after the start)" \
	eval '[ -n "$padt" ] && [ -n "$padi" ] && awk -v t="$padt" -v i="$padi" "BEGIN { exit !(t < i) }"'
check "$label: it names and touches nothing of the second session: no 'left over' for session $second_session, no PADT for it, its record as it was" \
	eval '! client_said "(session $second_session with" && [ -z "$(padt_for "$second_session" "$killed")" ] && second_goes_on'
check "$label: the leftover's record is gone ($(records_describe "$LAB_WAN_IF"))" \
	eval '[ ! -e "$old_record" ] && [ "$(faults_count $(records_files "$LAB_WAN_IF"))" -eq 2 ]'
lab_wait 10 ac_holds "$first_session" "$second_session"
check "$label: the AC ends session $old_first and holds the new first ($first_session) and the second ($second_session) (its pppds: $(faults_ac_pppds))" \
	ac_holds "$first_session" "$second_session"

# ---- the second session went on all along ----
kill -INT "$pinger" 2>/dev/null
lab_wait 3 lab_not_running "$pinger" || kill -KILL "$pinger" 2>/dev/null
wait "$pinger" 2>/dev/null
# "N packets transmitted, M packets received, ..."
set -- $(sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) packets received.*/\1 \2/p' "$LAB_DIR/ping-ppp1.log")
sent=${1:-0}
received=${2:-0}
check "the second session carried the LAN's ping through both kills and restarts: $received of $sent replies (at most the one in flight at the end missing)" \
	eval '[ "$sent" -ge 10 ] && [ $((sent - received)) -le 1 ]'
label="the second session after the first's kills"
check "$label: still the same ppp1 and record" second_goes_on
lab_transfer download http://10.77.3.2/blob 60 "$label"
lab_check_transfer "$label" complete
lab_check_mss "$label" at-most 1452
status_json
check "pppoe-mss-sessions lists the second session and the first's newest ($(status_sessions); exit $STATUS_EXIT)" \
	eval '[ "$STATUS_EXIT" -eq 0 ] && [ "$(sorted $(status_sessions))" = "$(sorted $first_session $second_session)" ]'

# ---- both stop ----
lab_capture_start two-sessions-end ac "$LAB_AC_IF" ether proto 0x8863 || bail "two-sessions: capture on the AC's $LAB_AC_IF"
stopped=$(lab_now)
kill -TERM "$second_pppd" "$first_pppd"
lab_wait 10 eval 'lab_not_running "$second_pppd" && lab_not_running "$first_pppd"'
wait "$second_pppd" "$first_pppd" 2>/dev/null
for session in "$first_session" "$second_session"; do
	lab_wait 3 faults_padt_seen two-sessions-end "$session" "$client_mac" "$stopped"
	padt=$(padt_for "$session" "$stopped" two-sessions-end)
	check "both pppds ended (SIGTERM): the PADT for session $session reaches the AC within 2 s (${padt:+$(faults_seconds "$stopped" "$padt") s})" \
		eval '[ -n "$padt" ] && faults_at_most "$(faults_seconds "$stopped" "$padt")" 2'
done
[ "$LAB_CLIENT" = ebpf ] && datapath_check_gone "both sessions ended"
check "both sessions ended: nothing of the client is left on the gateway" lab_wait 5 faults_gw_empty
check "both sessions ended: no session record left on $LAB_WAN_IF ($(records_describe "$LAB_WAN_IF"))" \
	lab_wait 3 eval '[ -z "$(records_files "$LAB_WAN_IF")" ]'
lab_capture_stop
lab_down
exit 0
