#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Hostile session: with a session up, a rogue station on the client's
# segment (a hub: see tests/lab/hostile.sh) learns the session id from the
# session's own frames and then sends, case by case (tests/lab/rogue):
#   - PADTs for our session from its own MAC, from the AC's MAC for another
#     session, and malformed: each counted as ignored (the client's
#     counters), the session must stay up;
#   - session frames with our session id from its own MAC, with other
#     session ids, truncated, with a PPPoE length past or short of the
#     frame, length 0, a bad version or code, to broadcast, and jumbo
#     frames (the segment's MTU is 9000 here): each dropped and counted by
#     the reason the client gives (its counters, read with SIGUSR1), none
#     delivered on ppp0 (a capture of the marker packets they carry), the
#     relay the same process throughout;
#   - malformed TCP SYNs as the AC (its MAC, our session id), which the
#     client relays inbound: each must reach ppp0 untouched or clamped
#     correctly, with a checksum that verifies whenever it did when sent;
#   - an LCP Configure-Ack with MRU 64 as the AC, answering nothing: the
#     outbound SYN's MSS stays 1452;
#   - 20,000 PADMs as the AC: a few log lines, the rest counted, the
#     session up;
#   - finally a PADT from the AC's MAC for our session: that one is real,
#     and the client hangs up.
#
# With the session in the kernel (ebpf) the kernel's pppoe, not the
# client, takes the session's frames: there are no drop counters, so each
# case of session frames is checked by what reaches ppp0 (the marker
# packets captured there, by the time each case was sent) -- none for the
# frames the kernel's pppoe turns away (another MAC or session id, too
# short for its length, no PPP protocol field), and said, not checked, for
# those it takes as the session's (a bad version/type or code, sent to
# broadcast, larger than the link's MRU: the relay drops them); pppd and
# the session's guardian must outlive them all.  The guardian stands in for
# the relay: it reports the clamp's counters on SIGUSR1, and the SYNs are
# clamped by the eBPF program on wan0's ingress.  The kernel's pppoe reads
# no tags of a PADT: a malformed one from the AC's MAC for our session ends
# the session, which a second session checks at the end.
. "$LAB_SRCDIR/tests/lab/topology.sh"
. "$LAB_SRCDIR/tests/lab/measure.sh"
. "$LAB_SRCDIR/tests/lab/hostile.sh"

FRAMES=50
RATE=500
JUMBO_MTU=9000

# The segment carries jumbo frames from the rogue to the client; the AC's
# side stays at 1500.  The client still uses 1492 (no RFC 4638 asked for).
hostile_jumbo_segment() {
	lab_run ip -n ac link set rogue0 mtu "$JUMBO_MTU" &&
		lab_run ip -n ac link set roguep mtu "$JUMBO_MTU" &&
		lab_run ip -n ac link set sub0 mtu "$JUMBO_MTU" &&
		lab_run ip -n gw link set wan0 mtu "$JUMBO_MTU"
}

hostile_up && hostile_jumbo_segment ||
	bail "lab: namespaces, a hub segment in ac (sub0, acb: lab-ac, rogue0: the rogue), MTU $JUMBO_MTU"
client_mac=$(hostile_mac gw wan0)
ac_mac=$(hostile_mac ac acb)
diag "client $client_mac, lab-ac $ac_mac, rogue $(hostile_mac ac rogue0)"

if [ "$LAB_CLIENT" = pty ]; then
	LAB_CLIENT_OPTS=-v
fi
lab_client_start "$LAB_CLIENT" auto || bail "$LAB_CLIENT client: PPP session up"
ok "$LAB_CLIENT client: PPP session up"
gw_ip=$(ip -n gw -4 -o addr show dev ppp0 | awk '{ for (i = 1; i < NF; i++) if ($i == "inet") print $(i + 1) }')

# What a stranger on the segment learns by listening.
hostile_rogue -c "$client_mac" -w 10 sniff >"$LAB_DIR/rogue-sniff.out" 2>&1 &
sniffer=$!
sleep 0.3
in_gw busybox ping -q -c 2 -w 3 "$LAB_AC_IP" >/dev/null 2>&1
lab_wait 10 lab_not_running "$sniffer"
wait "$sniffer"
set -- $(cat "$LAB_DIR/rogue-sniff.out")
session=${2:-}
sniffed_ac=${4:-}
client_session=$(grep -h "PPPoE session .* established" "$(hostile_client_log)" | tail -n 1 |
	sed -n 's/.*PPPoE session \([0-9]*\) established.*/\1/p')
check "the rogue learns the session from the wire: session ${session:-none} with ${sniffed_ac:-none} (the client says ${client_session:-none} with $ac_mac)" \
	test -n "$session" -a "$session" = "$client_session" -a "$sniffed_ac" = "$ac_mac"
[ -n "$session" ] || bail "no session id: nothing to attack"

kernel=
relay=relay
if [ "$LAB_PPPD_DATAPATH" = kernel ]; then
	kernel=yes
	relay=guardian
fi
relay_pid=$(hostile_relay_pid)
diag "pppd $LAB_PPPD_PID, $relay process ${relay_pid:-none}"
[ -n "$relay_pid" ] || bail "the $relay process of the $LAB_CLIENT client"
lab_capture_start markers gw ppp0 udp port 9 || bail "capture of marker packets on ppp0"
hostile_counters "$LAB_DIR/counters.0" || bail "the $relay reports its counters on SIGUSR1"
ok "the $relay reports its counters on SIGUSR1"
[ -n "$kernel" ] && diag "the guardian's counters: $(grep -h 'MSS clamped:' "$(hostile_client_log)" | tail -n 1 | sed 's/.*MSS clamped/MSS clamped/')"

# The relay and pppd are the ones that started, and the session is up.
hostile_alive() {
	kill -0 "$LAB_PPPD_PID" 2>/dev/null && [ "$(hostile_relay_pid)" = "$relay_pid" ] && lab_session_up
}

# Quicker, once per case: neither process has died.
hostile_running() {
	kill -0 "$LAB_PPPD_PID" 2>/dev/null && kill -0 "$relay_pid" 2>/dev/null
}

# hostile_case_counted CASE KEY WORDS: FRAMES frames of CASE, each counted
# under KEY in the client's counters (hostile_counters), which WORDS says.
# Counters are read until they show them all (the relay may still be
# reading when the first SIGUSR1 arrives), 5 times at most.
step=0
hostile_case_counted() {
	before=$LAB_DIR/counters.$step
	step=$((step + 1))
	after=$LAB_DIR/counters.$step
	hostile_rogue -c "$client_mac" -a "$ac_mac" -S "$session" -n "$FRAMES" -r "$RATE" session "$1" \
		>>"$LAB_DIR/rogue-session.out" 2>&1
	sent_status=$?
	if [ "$sent_status" -eq 77 ]; then
		diag "$1: skipped, $(tail -n 1 "$LAB_DIR/rogue-session.out")"
		return
	fi
	tries=5
	while [ "$tries" -gt 0 ]; do
		sleep 0.3
		hostile_counters "$after" || break
		delta=$(($(hostile_counter "$after" "$2") - $(hostile_counter "$before" "$2")))
		[ "$delta" -ge "$FRAMES" ] && break
		tries=$((tries - 1))
	done
	relayed=$(($(hostile_counter "$after" relayed-in) - $(hostile_counter "$before" relayed-in)))
	check "$1: $FRAMES frames sent, $delta $3, $relayed relayed meanwhile; pppd and $relay still running" \
		eval 'test "$sent_status" -eq 0 -a "$delta" -eq "$FRAMES" && hostile_running'
}

# hostile_case_dropped CASE REASON: FRAMES frames of CASE, each counted as
# dropped for REASON.
hostile_case_dropped() {
	hostile_case_counted "$1" "$2" "dropped as \"$2\""
}

# hostile_case_kernel CASE drops|passes: FRAMES frames of CASE, to a session
# in the kernel; pppd and the guardian must be running after them.  Notes
# the time they took in kernel_cases, for what reached ppp0 meanwhile
# (kernel_cases_delivered, once the capture is over).
kernel_cases=$LAB_DIR/kernel-cases
hostile_case_kernel() {
	case_start=$(lab_now)
	hostile_rogue -c "$client_mac" -a "$ac_mac" -S "$session" -n "$FRAMES" -r "$RATE" session "$1" \
		>>"$LAB_DIR/rogue-session.out" 2>&1
	sent_status=$?
	if [ "$sent_status" -eq 77 ]; then
		diag "$1: skipped, $(tail -n 1 "$LAB_DIR/rogue-session.out")"
		return
	fi
	sleep 0.3
	echo "$1 $2 $case_start $(lab_now)" >>"$kernel_cases"
	check "$1: $FRAMES frames sent to the session in the kernel; pppd and guardian still running" \
		eval 'test "$sent_status" -eq 0 && hostile_running'
}

# hostile_session_case CASE RELAY-REASON KERNEL: the case as the relay
# must drop it (counted for RELAY-REASON), or as the kernel's pppoe does
# (KERNEL: drops or passes).
hostile_session_case() {
	if [ -n "$kernel" ]; then
		hostile_case_kernel "$1" "$3"
	else
		hostile_case_dropped "$1" "$2"
	fi
}

# The marker packets captured on ppp0 from FROM to TO (wall clock seconds).
markers_between() {
	tcpdump -tt -n -r "$LAB_DIR/markers.pcap" 2>/dev/null |
		awk -v from="$1" -v to="$2" '$1 >= from && $1 < to { n++ } END { print n + 0 }'
}

# hostile_padt_ignored CASE REASON: FRAMES PADTs of CASE, each counted as
# a discovery frame ignored for REASON (the log has a few of them, not a
# line each); the session stays up.
hostile_padt_ignored() {
	hostile_case_counted "$1" "ignored: $2" "counted as ignored, \"$2\""
}

hostile_log_grew() {
	[ "$(hostile_log_count "$1")" -ge "$2" ]
}

# The session id of the client's last "PPPoE session N established".
hostile_session_from_log() {
	grep -h "PPPoE session .* established" "$(hostile_client_log)" | tail -n 1 |
		sed -n 's/.*PPPoE session \([0-9]*\) established.*/\1/p'
}

ignored="ignored a discovery frame during the session"
hostile_padt_ignored padt-other-mac "not from the chosen access concentrator"
hostile_padt_ignored padt-other-session "for another session"
# The kernel's pppoe would end the session on this one: see the end.
[ -n "$kernel" ] || hostile_padt_ignored padt-malformed "malformed discovery frame"

hostile_session_case sess-other-mac "our session id from a MAC that is not our AC" drops
hostile_session_case sess-other-id "another session id" drops
hostile_session_case sess-truncated "not a valid session frame" drops
hostile_session_case sess-truncated-payload "not a valid session frame" drops
hostile_session_case sess-length-past-frame "not a valid session frame" drops
hostile_session_case sess-length-short-other-mac "our session id from a MAC that is not our AC" drops
hostile_session_case sess-length-zero "no PPP protocol field" drops
hostile_session_case sess-bad-version "not a valid session frame" passes
hostile_session_case sess-bad-code "not a valid session frame" passes
hostile_session_case sess-broadcast "not addressed to us" passes
hostile_session_case sess-jumbo-other-mac "our session id from a MAC that is not our AC" drops
hostile_session_case sess-jumbo-ac "larger than the link carries" passes

check "after the spoofed PADTs and session frames: session up, the same pppd and $relay process" hostile_alive
check "ping across the session after all of it" in_gw busybox ping -q -c 2 -w 5 "$LAB_AC_IP"
# The control: 5 valid markers from the AC do arrive, so the capture would
# have shown any hostile one that got through.
valid_start=$(lab_now)
hostile_rogue -c "$client_mac" -a "$ac_mac" -S "$session" -n 5 -r 50 session sess-valid-from-ac \
	>>"$LAB_DIR/rogue-session.out" 2>&1
sleep 0.5
valid_end=$(lab_now)
lab_capture_stop
markers=$(tcpdump -n -r "$LAB_DIR/markers.pcap" 2>/dev/null | wc -l)
big=$(tcpdump -n -r "$LAB_DIR/markers.pcap" greater 1600 2>/dev/null | wc -l)
if [ -n "$kernel" ]; then
	passed=0
	while read -r name verdict from to; do
		delivered=$(markers_between "$from" "$to")
		if [ "$verdict" = drops ]; then
			check "$name: the kernel's pppoe turns them away: none reaches ppp0 ($delivered of $FRAMES)" \
				test "$delivered" -eq 0
		else
			passed=$((passed + delivered))
			diag "$name: $delivered of $FRAMES reach ppp0 (the kernel's pppoe takes them as the session's; the relay drops them)"
		fi
	done <"$kernel_cases"
	valid=$(markers_between "$valid_start" "$valid_end")
	check "the 5 valid markers from the AC arrive on ppp0 ($valid); nothing else but what the kernel's pppoe passes ($markers in all, $passed passed, $big of them jumbo)" \
		test "$valid" -eq 5 -a "$markers" -eq $((5 + passed))
else
	check "nothing hostile delivered on ppp0: only the 5 valid markers from the AC arrive ($markers, $big of them jumbo)" \
		test "$markers" -eq 5
fi
diag "ppp0 in gw: $(ip -n gw -s link show ppp0 | awk '/RX:/ { getline; print "rx packets " $2 ", errors " $3 ", dropped " $4 }')"

# Malformed SYNs, as the AC sends them: relayed inbound, clamped or not.
lab_wait 10 lab_ipv6cp_up || diag "IPV6CP not up: the IPv6 cases will not reach ppp0"
# Everything on ppp0: libpcap's "tcp" does not look past IPv6 extension headers.
lab_capture_start syn gw ppp0 || bail "capture of the injected SYNs on ppp0"
hostile_counters "$LAB_DIR/counters.syn-before"
hostile_rogue -c "$client_mac" -a "$ac_mac" -S "$session" -t "$gw_ip" -o "$LAB_DIR/syn-sent.pcap" syn \
	>"$LAB_DIR/rogue-syn.out" 2>&1
sleep 0.5
lab_capture_stop
hostile_counters "$LAB_DIR/counters.syn-after"
clamped=$(($(hostile_counter "$LAB_DIR/counters.syn-after" clamped-in) - $(hostile_counter "$LAB_DIR/counters.syn-before" clamped-in)))
diag "SYN cases: $(tail -n 1 "$LAB_DIR/rogue-syn.out"); the $relay counted $clamped inbound SYNs clamped"
"$HOSTILE_ROGUE" -l 1452,1432 verify "$LAB_DIR/syn-sent.pcap" "$LAB_DIR/syn.pcap" \
	>"$LAB_DIR/syn-verify.out" 2>&1
while IFS= read -r line; do
	case $line in
	PASS*) ok "TCP SYN as the AC, ${line#PASS }" ;;
	FAIL*) not_ok "TCP SYN as the AC, ${line#FAIL }" ;;
	*) diag "$line" ;;
	esac
done <"$LAB_DIR/syn-verify.out"
if [ -n "$kernel" ]; then
	# The eBPF clamp counts the SYNs it changed: those that arrived clamped.
	arrived_clamped=$(grep -c '^PASS [^:]*: clamped' "$LAB_DIR/syn-verify.out")
	check "the guardian's counters (SIGUSR1): $clamped inbound SYNs clamped in the kernel, as many as arrived clamped on ppp0 ($arrived_clamped)" \
		test "$clamped" -eq "$arrived_clamped" -a "$clamped" -gt 0
fi
check "after the SYNs: session up, same pppd and $relay process" hostile_alive

# A forged LCP Configure-Ack with MRU 64 from the AC's MAC, in the live
# session.  It answers no Configure-Request, and pppd ignores it; so must
# the clamp, which in the program's auto mode learns the MRU from LCP
# (issue 13: it took any Ack, and every later outbound SYN left with MSS
# 88).  A connection from the LAN host to the AC shows the MSS the client
# sends, before and after, on the AC's port.
hostile_outbound_syn_mss() {
	lab_capture_start "$1" ac acb -Q in ether proto 0x8864 || return 1
	in_lan timeout 5 busybox wget -q -O /dev/null "http://$LAB_AC_IP:9/" >/dev/null 2>&1
	lab_capture_stop
	lab_mss "$1" SYN
}
mss_before=$(hostile_outbound_syn_mss syn-out-before)
hostile_counters "$LAB_DIR/counters.lcp-before"
hostile_rogue -c "$client_mac" -a "$ac_mac" -S "$session" -n 1 session lcp-ack-mru64 \
	>>"$LAB_DIR/rogue-session.out" 2>&1
sent_status=$?
sleep 0.5
mss_after=$(hostile_outbound_syn_mss syn-out-after)
check "a forged LCP Configure-Ack, MRU 64, from the AC's MAC: the outbound SYN's MSS stays 1452 (${mss_before:-none} before, ${mss_after:-none} after)" \
	test "$sent_status" -eq 0 -a "$mss_before" = 1452 -a "$mss_after" = 1452
check "the forged Ack: the client's limits never follow MRU 64" \
	eval '! grep -q "MRU 64:" "$(hostile_client_log)"'
if [ -z "$kernel" ]; then
	hostile_counters "$LAB_DIR/counters.lcp-after"
	acks=$(($(hostile_counter "$LAB_DIR/counters.lcp-after" lcp-acks-ignored) - $(hostile_counter "$LAB_DIR/counters.lcp-before" lcp-acks-ignored)))
	check "the $relay counts the forged Ack as answering no Configure-Request ($acks)" test "$acks" -eq 1
fi
check "after the forged Ack: session up, same pppd and $relay process" hostile_alive

# A flood of PADMs from the AC's MAC for our session (RFC 4937: a message
# for the user; issue 13: 460,000 log lines in 40 s): a few lines, the rest
# counted, and the session lives on.
PADM_FLOOD=20000
PADM_LINES_MAX=5
padm_text="message from the access concentrator"
hostile_counters "$LAB_DIR/counters.padm-before"
lines_before=$(wc -l <"$(hostile_client_log)")
logged_before=$(hostile_log_count "$padm_text")
start=$(lab_now)
hostile_rogue -c "$client_mac" -a "$ac_mac" -S "$session" -n "$PADM_FLOOD" -r 10000 session padm-from-ac \
	>>"$LAB_DIR/rogue-session.out" 2>&1
sent_status=$?
took=$(lab_elapsed "$start")
sleep 1
logged=$(($(hostile_log_count "$padm_text") - logged_before))
# Everything the client logged meanwhile, its counters' report not yet.
lines=$(($(wc -l <"$(hostile_client_log)") - lines_before))
hostile_counters "$LAB_DIR/counters.padm-after"
seen=$(($(hostile_counter "$LAB_DIR/counters.padm-after" ac-messages) - $(hostile_counter "$LAB_DIR/counters.padm-before" ac-messages)))
not_logged=$(($(hostile_counter "$LAB_DIR/counters.padm-after" ac-messages-not-logged) - $(hostile_counter "$LAB_DIR/counters.padm-before" ac-messages-not-logged)))
diag "PADM flood: $PADM_FLOOD sent in $took s; the $relay read $seen, logged $logged, counted $not_logged as not logged; the client's log grew by $lines lines meanwhile"
check "a flood of $PADM_FLOOD PADMs from the AC's MAC: $logged lines for them (1 to $PADM_LINES_MAX), the rest counted ($seen read = $logged logged + $not_logged not)" \
	test "$sent_status" -eq 0 -a "$logged" -ge 1 -a "$logged" -le "$PADM_LINES_MAX" -a "$not_logged" -gt 0 \
	-a "$seen" -eq $((logged + not_logged))
check "after the PADM flood: session up, same pppd and $relay process" hostile_alive
check "ping across the session after the PADM flood" in_gw busybox ping -q -c 2 -w 5 "$LAB_AC_IP"

# The legitimate end: a PADT from the AC's MAC for our session.
hostile_counters "$LAB_DIR/counters.final" && diag "$relay counters before the PADT: $(sort "$LAB_DIR/counters.final" | tr '\n' ';')"
start=$(lab_now)
hostile_rogue -c "$client_mac" -a "$ac_mac" -S "$session" session padt-from-ac >>"$LAB_DIR/rogue-session.out" 2>&1
lab_wait 10 lab_not_running "$LAB_PPPD_PID"
took=$(lab_elapsed "$start")
check "PADT from the AC's MAC for session $session: pppd hangs up and exits ($took s)" \
	lab_not_running "$LAB_PPPD_PID"
check "the client logs that the access concentrator ended session $session" \
	grep -q "access concentrator ended session $session" "$(hostile_client_log)"
check "the $relay process has gone too" lab_not_running "$relay_pid"
lab_client_stop

if [ -n "$kernel" ]; then
	# A malformed PADT from the AC's MAC for our session: the guardian
	# ignores it, as the relay does, but the kernel's pppoe ends the session
	# on any PADT from the session's AC for its id (pppoe_disc_rcv reads no
	# tag), and pppd hangs up.
	label="a second session in the kernel, padt-malformed"
	lab_client_start "$LAB_CLIENT" auto || bail "$label: PPP session up"
	session=$(hostile_session_from_log)
	guardian=$(hostile_relay_pid)
	ignored_before=$(hostile_log_count "$ignored: malformed discovery frame")
	start=$(lab_now)
	hostile_rogue -c "$client_mac" -a "$ac_mac" -S "$session" -n 1 session padt-malformed \
		>>"$LAB_DIR/rogue-session.out" 2>&1
	lab_wait 10 lab_not_running "$LAB_PPPD_PID"
	took=$(lab_elapsed "$start")
	check "$label: the guardian ignores it as malformed" \
		lab_wait 3 hostile_log_grew "$ignored: malformed discovery frame" $((ignored_before + 1))
	check "$label (session $session): the kernel's pppoe ends the session all the same; pppd hangs up and exits ($took s)" \
		lab_not_running "$LAB_PPPD_PID"
	check "$label: the guardian has gone too" lab_not_running "$guardian"
	lab_client_stop
fi
lab_down
exit 0
