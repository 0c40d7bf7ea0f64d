#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Two sessions in the kernel on one NIC: two pppds on the gateway's wan0
# (linkname gw on ppp0, linkname gw2 with unit 1 on ppp1), each with the
# plugin's kernel data path.  Each session gets its own guardian and its own
# clamp program and filters on wan0.  The web server is routed through
# ppp1, so the LAN's traffic takes the second session.  Then the first pppd
# is killed (SIGKILL): its guardian's PADT ends its session at the AC, and
# only its filters go; the second session keeps its guardian and filters
# and keeps carrying traffic, clamped (the download through the black hole
# completes).  At the end, with the second pppd stopped, nothing of either
# is left.  Plugin only (run as two-sessions@ebpf).
. "$LAB_SRCDIR/tests/lab/topology.sh"
. "$LAB_SRCDIR/tests/lab/measure.sh"
. "$LAB_SRCDIR/tests/lab/faults.sh"

# The second session's pppd: the options lab_client_start gives the first,
# but its own link name, unit and log, no default route and no IPv6.
second_pppd_start() {
	ip netns exec gw pppd nodetach linkname gw2 unit 1 user "$LAB_PPP_USER" noauth noipdefault \
		maxfail 1 mtu 1492 mru 1492 nodeflate nobsdcomp novj noccp noaccomp nopcomp default-asyncmap \
		logfile "$LAB_DIR/gw2-pppd.log" debug \
		plugin "$LAB_BUILDDIR/plugin/.libs/pppoe-mss.so" "$LAB_WAN_IF" pppoe-datapath kernel \
		</dev/null >>"$LAB_DIR/gw2-pppd.out" 2>&1 &
	second_pppd=$!
}

ppp1_up() {
	kill -0 "$second_pppd" 2>/dev/null && ip -n gw -4 addr show dev ppp1 2>/dev/null | grep -q 'inet '
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

[ "$LAB_CLIENT" = ebpf ] || bail "two-sessions: a scenario of the plugin's kernel data path (run it as two-sessions@ebpf)"
lab_up || bail "lab: namespaces, web server and access concentrator up"
lab_capture_start two-sessions ac "$LAB_AC_IF" ether proto 0x8863 || bail "two-sessions: capture on the AC's $LAB_AC_IF"
client_mac=$(faults_client_mac)

# ---- the first session: ppp0 ----
lab_client_start "$LAB_CLIENT" auto || bail "first session (ppp0): PPP session up"
first_pppd=$LAB_PPPD_PID
first_session=$(datapath_session_of "$LAB_PPPD_DATAPATH_LINE")
first_guardian=$(datapath_guardian_of "$first_pppd")
first_programs=$(datapath_filter_programs "$LAB_WAN_IF")
diag "first session $first_session: pppd $first_pppd, guardian $first_guardian, filters $first_programs"

# ---- the second session: ppp1 ----
second_pppd_start
lab_wait 20 ppp1_up
check "second session (ppp1): PPP session up, pppd $second_pppd" ppp1_up
ppp1_up || bail "second session (ppp1): PPP session up"
second_line=$(lab_datapath_line "$LAB_DIR/gw2-pppd.log" 1)
second_session=$(datapath_session_of "$second_line")
second_guardian=$(datapath_guardian_of "$second_pppd")
all_programs=$(datapath_filter_programs "$LAB_WAN_IF")
second_programs=$(words_not_in "$all_programs" "$first_programs")
diag "second session ${second_session:-?}: pppd $second_pppd, guardian ${second_guardian:-none}, filters ${second_programs:-none}"
check "second session: it runs in the kernel too, as session ${second_session:-?} ('$second_line'), not the first's ($first_session)" \
	eval 'echo "$second_line" | grep -q " runs in the kernel (PPPoE socket on $LAB_WAN_IF, MSS clamp in eBPF)\$" &&
		[ -n "$second_session" ] && [ "$second_session" != "$first_session" ]'
check "each session has its own guardian, titled with its session ($first_guardian: '$(datapath_title "$first_guardian")'; ${second_guardian:-none}: '$(datapath_title "${second_guardian:-0}")')" \
	eval '[ "$(datapath_title "$first_guardian")" = "pppoe-mss-guard $LAB_WAN_IF session $first_session" ] &&
		[ "$(datapath_title "$second_guardian")" = "pppoe-mss-guard $LAB_WAN_IF session $second_session" ]'
check "each session has its own clamp: two bpf filters each way on $LAB_WAN_IF, the first session's unchanged (now: $all_programs)" \
	eval '[ "$(datapath_filter_count "$LAB_WAN_IF" ingress)" -eq 2 ] && [ "$(datapath_filter_count "$LAB_WAN_IF" egress)" -eq 2 ] &&
		[ "$(words_not_in "$first_programs" "$all_programs")" = "" ] && [ "$(datapath_count $second_programs)" -eq 2 ]'

# The LAN's way to the web server: through the second session.
lab_run in_gw iptables-legacy -t nat -A POSTROUTING -o ppp1 -j MASQUERADE &&
	lab_run ip -n gw route add 10.77.3.2/32 dev ppp1 ||
	bail "two-sessions: NAT and a route to the web server through ppp1"
check "both sessions carry traffic: ping from the gateway to the AC over ppp0, from the LAN host to the web server over ppp1" \
	eval 'in_gw busybox ping -q -c 2 -w 5 -I ppp0 "$LAB_AC_IP" && in_lan busybox ping -q -c 2 -w 5 10.77.3.2'

# ---- the first pppd dies ----
label="first pppd killed with SIGKILL"
ppp1_index=$(ip -n gw -o link show dev ppp1 | cut -d: -f1)
killed=$(lab_now)
kill -KILL "$first_pppd"
wait "$first_pppd" 2>/dev/null
LAB_PPPD_PID=
lab_wait 3 faults_padt_seen two-sessions "$first_session" "$client_mac" "$killed"
padt=$(faults_padt_for two-sessions "$first_session" "$client_mac" "$killed")
check "$label: its guardian's PADT for session $first_session reaches the AC within 2 s (${padt:+$(faults_seconds "$killed" "$padt") s})" \
	eval '[ -n "$padt" ] && faults_at_most "$(faults_seconds "$killed" "$padt")" 2'
check "$label: its guardian is gone, the second's still runs" \
	lab_wait 5 eval 'lab_not_running "$first_guardian" && [ "$(datapath_guardian_of "$second_pppd")" = "$second_guardian" ]'
lab_wait 5 eval '[ "$(datapath_filter_programs "$LAB_WAN_IF")" = "$(sorted $second_programs)" ]'
check "$label: only its filters are gone; the second session's stay ($(datapath_filter_programs "$LAB_WAN_IF"); the second's: $second_programs)" \
	test "$(datapath_filter_programs "$LAB_WAN_IF")" = "$(sorted $second_programs)"
check "$label: the second session goes on: same pppd, same ppp1" \
	eval 'ppp1_up && [ "$(ip -n gw -o link show dev ppp1 | cut -d: -f1)" = "$ppp1_index" ]'
lab_wait 3 lab_captures_settled
second_padt=$(faults_padt_for two-sessions "$second_session" "$client_mac" "$killed")
check "$label: no PADT for the second session (${second_padt:-none})" test -z "$second_padt"
ac_holds_second_only() {
	[ "$(faults_ac_pppd_count)" -eq 1 ] && [ -n "$(faults_ac_pppd_for "$second_session")" ]
}
lab_wait 10 ac_holds_second_only
check "$label: the AC ends the first session only (its pppds now: $(faults_ac_pppds))" ac_holds_second_only

label="the second session after the first pppd died"
lab_transfer download http://10.77.3.2/blob 60 "$label"
lab_check_transfer "$label" complete
lab_check_mss "$label" at-most 1452

# ---- the second pppd stops ----
lab_capture_start two-sessions-end ac "$LAB_AC_IF" ether proto 0x8863 || bail "two-sessions: capture on the AC's $LAB_AC_IF"
stopped=$(lab_now)
kill -TERM "$second_pppd"
lab_wait 10 lab_not_running "$second_pppd"
wait "$second_pppd" 2>/dev/null
lab_wait 3 faults_padt_seen two-sessions-end "$second_session" "$client_mac" "$stopped"
padt=$(faults_padt_for two-sessions-end "$second_session" "$client_mac" "$stopped")
check "second pppd ended (SIGTERM): its PADT for session $second_session reaches the AC within 2 s (${padt:+$(faults_seconds "$stopped" "$padt") s})" \
	eval '[ -n "$padt" ] && faults_at_most "$(faults_seconds "$stopped" "$padt")" 2'
datapath_check_gone "both sessions ended"
check "both sessions ended: nothing of the client is left on the gateway" lab_wait 5 faults_gw_empty
lab_capture_stop
lab_down
exit 0
