#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Hostile discovery: a rogue station on the client's segment (a hub: see
# tests/lab/hostile.sh) hears the client's PADI and answers it with a flood
# of thousands of discovery frames per second, and the same again when it
# hears the client's PADR, cycling through malformed
# and misleading PADOs and PADSs (tests/lab/rogue cases lists them): bogus
# and oversized tags, no End-Of-List, a PPPoE length past the frame, the
# AC-Name asked for with a wrong or no Host-Uniq, PADSs with session id 0,
# from the rogue, or from the AC's MAC with a wrong Host-Uniq.  The AC's
# own PADO and PADS are held back 1.5 s each (netem on its port), so the
# flood reaches the client both while it waits for a PADO and while it
# waits for the PADS.  The client, asked for AC-Name lab-ac, must still get
# its session from lab-ac, with the session id lab-ac gave, without
# crashing and with bounded memory (VmHWM of the process doing discovery).
# Then a stop while the AC's answer is on its way: pppd stopped (SIGTERM)
# after its PADR, before the PADS (held back 1.5 s) came -- the PADS sets
# up a session nobody wants any more, and the client (its guardian) answers
# it with a PADT within 2 s, and nothing of it is left.
# The plugin does discovery in pppd on either data path; with the session
# in the kernel (ebpf) pppd then loads the clamp's BPF program, which is
# counted too (the memory at the session's start, "PPPoE session N
# established", is said apart).
. "$LAB_SRCDIR/tests/lab/topology.sh"
. "$LAB_SRCDIR/tests/lab/measure.sh"
. "$LAB_SRCDIR/tests/lab/hostile.sh"

# Per flood: one while the client waits for a PADO, one while it waits for
# the PADS.
FLOOD_FRAMES=5000
FLOOD_RATE=5000
AC_DELAY_MS=1500
# After the PADI, the rogue waits for the memory sampler's first sample,
# this long at most.
ROGUE_DELAY_MS=1000
# The VmHWM of a client that keeps nothing per frame grows by what it
# touches for the first time (its relay buffers: about 150 kB), not by the
# 10000 frames (15 MB) of the flood.
MEMORY_GROWTH_MAX_KB=1024

# hostile_sample_memory FILE ROGUE-OUTPUT GO-FILE: "VmHWM VmRSS pid
# flooding established" of the process doing discovery: once as soon as the
# rogue has heard the PADI -- then GO-FILE lets the rogue begin -- and every
# 0.1 s after that, for at most 40 s or until FILE.stop exists.  "flooding"
# says whether the rogue had begun (it waits ROGUE_DELAY_MS at most),
# "established" whether the client had logged its session established
# before the sample was taken.
hostile_sample_memory() {
	pid=
	tries=200
	while [ -z "$pid" ] && [ "$tries" -gt 0 ]; do
		# The AC runs no pppd before its PADS: the oldest pppd is ours.
		if [ "$LAB_CLIENT" = pty ]; then
			pid=$(pgrep -x pppoe-mss | head -n 1)
		else
			pid=$(pgrep -o -x pppd)
		fi
		[ -n "$pid" ] || sleep 0.05
		tries=$((tries - 1))
	done
	[ -n "$pid" ] || return 1
	lab_wait 20 grep -q '^PADI from' "$2"
	samples=400
	established=no
	while [ "$samples" -gt 0 ] && [ ! -e "$1.stop" ]; do
		flooding=no
		grep -q '^flooding' "$2" && flooding=yes
		[ "$established" = yes ] || ! grep -q "PPPoE session .* established" "$(hostile_client_log)" ||
			established=yes
		awk -v pid="$pid" -v flooding="$flooding" -v established="$established" '
			$1 == "VmHWM:" { hwm = $2 } $1 == "VmRSS:" { rss = $2 }
			END { if (hwm) print hwm, rss, pid, flooding, established }' "/proc/$pid/status" 2>/dev/null >>"$1"
		touch "$3"
		sleep 0.1
		samples=$((samples - 1))
	done
}

# hostile_one_of VALUE LIST...: VALUE is one of the LIST.
hostile_one_of() {
	one_of=$1
	shift
	[ -n "$one_of" ] || return 1
	for item in "$@"; do
		[ "$item" = "$one_of" ] && return 0
	done
	return 1
}

hostile_up || bail "lab: namespaces, a hub segment in ac (sub0, acb: lab-ac, rogue0: the rogue)"
ok "lab: lab-ac on acb and a rogue station on rogue0 share the gateway's segment"
client_mac=$(hostile_mac gw wan0)
ac_mac=$(hostile_mac ac acb)
diag "client $client_mac, lab-ac $ac_mac, rogue $(hostile_mac ac rogue0)"
hostile_delay_discovery "$AC_DELAY_MS" || bail "the AC's discovery frames delayed by $AC_DELAY_MS ms (netem)"
lab_capture_start ac-discovery ac acb -Q out ether proto 0x8863 || bail "capture of what lab-ac sends"

rogue_out=$LAB_DIR/rogue-discovery.out
hostile_rogue -c "$client_mac" -a "$ac_mac" -n "$FLOOD_FRAMES" -r "$FLOOD_RATE" -w 30 \
	-D "$ROGUE_DELAY_MS" -G "$LAB_DIR/rogue.go" discovery >"$rogue_out" 2>&1 &
rogue_pid=$!
lab_wait 5 grep -q '^listening' "$rogue_out" || bail "the rogue listens for the client's PADI"

memory=$LAB_DIR/memory.samples
: >"$memory"
hostile_sample_memory "$memory" "$rogue_out" "$LAB_DIR/rogue.go" &
sampler=$!

case $LAB_CLIENT in
plugin|ebpf) opts="pppoe-ac lab-ac" ;;
*) opts="-C lab-ac -v" ;;
esac
start=$(lab_now)
LAB_CLIENT_OPTS=$opts lab_client_start "$LAB_CLIENT" auto 2>>"$LAB_DIR/lab.log"
# A PADO or PADS the flood crowded out costs the client a retry (5 s, and
# pppd starts slowly under the flood's load): give it 20 s more than
# lab_client_start does.
lab_wait 20 lab_session_up_or_exited
session_status=1
lab_session_up && session_status=0
took=$(lab_elapsed "$start")
lab_wait 30 lab_not_running "$rogue_pid"
wait "$rogue_pid"
rogue_status=$?
touch "$memory.stop"
wait "$sampler"
hostile_undelay_discovery
lab_capture_stop

diag "rogue: $(grep -E '^(PADI|PADR|waiting)' "$rogue_out" | tr '\n' ';')"
check "the rogue heard the PADI and flooded the client waiting for a PADO ($FLOOD_FRAMES frames)" \
	grep -q "^waiting for a PADO: sent $FLOOD_FRAMES frames (0 failed" "$rogue_out"
check "the rogue heard the PADR and flooded the client waiting for the PADS ($FLOOD_FRAMES frames)" \
	grep -q "^waiting for the PADS: sent $FLOOD_FRAMES frames (0 failed" "$rogue_out"
padis=$(hostile_log_count "sent PADI")
padrs=$(hostile_log_count "sent PADR")
diag "the client sent $padis PADI(s) and $padrs PADR retries (each retry: the flood crowded the AC's answer out of the client's socket)"
check "$LAB_CLIENT client, -C/pppoe-ac lab-ac, under the flood: PPP session up within 40 s ($took s)" \
	test "$session_status" -eq 0

# The session is lab-ac's: its address pool and the session id it sent.
peer=$(ip -n gw -4 -o addr show dev ppp0 2>/dev/null | awk '{ for (i = 1; i < NF; i++) if ($i == "peer") { sub(/\/.*/, "", $(i + 1)); print $(i + 1) } }')
check "the session's peer is lab-ac ($LAB_AC_IP): ${peer:-none}" test "$peer" = "$LAB_AC_IP"
# A PADS lost in the flood makes the client send its PADR again, and lab-ac
# answers each with a new session: any of them is lab-ac's.
ac_sessions=$(lab_scan "$LAB_DIR/ac-discovery.pcap" | awk -v mac="$ac_mac" '$2 == "PADS" && $5 == mac { printf "%s%s", sep, $4; sep = " " }')
client_line=$(grep -h "PPPoE session .* established" "$(hostile_client_log)" | tail -n 1)
client_session=$(echo "$client_line" | sed -n 's/.*PPPoE session \([0-9]*\) established.*/\1/p')
diag "client: ${client_line#*: }"
check "the client's session id is one lab-ac sent (${ac_sessions:-none}), not a rogue's: ${client_session:-none}" \
	hostile_one_of "$client_session" $ac_sessions
check "the client names lab-ac ($ac_mac) as its AC" \
	grep -q "established with 'lab-ac' ($ac_mac)" "$(hostile_client_log)"

# Every kind of hostile frame reached the client and was turned away for
# its own reason -- in both waiting states (a line of the few logged, or
# the count by reason once discovery ends).
for reason in "malformed discovery frame" "Host-Uniq missing or not ours" \
	"not chosen, AC-Name is not the one asked for" "not from the chosen access concentrator" \
	"not expected at this stage of discovery"; do
	seen=$(hostile_log_count "$reason")
	check "flood frames the client turned away as \"$reason\": $seen" test "$seen" -gt 0
done
# Each kind of line the flood causes has its limit, 8 a minute (the
# process doing discovery; the session's own, for what spills over); the
# rest is counted -- once discovery ends, by reason.
not_chosen=$(hostile_log_count 'not chosen, ')
ignored_lines=$(hostile_log_count 'ignored a discovery frame')
diag "client log lines for the flood: $(hostile_log_count 'PADO from access concentrator') PADO lines, $ignored_lines ignored-frame lines (debug); $(grep -h 'offers were not chosen in all' "$(hostile_client_log)" | tail -n 1 | sed 's/.*: \([0-9]* offers\)/\1/'); $(grep -h 'discovery frames during discovery' "$(hostile_client_log)" | sed 's/.*ignored /ignored /' | tr '\n' ';')"
check "the flood costs the log a few lines, not one a frame: $not_chosen offers turned away (at most 8), $ignored_lines frames ignored (at most 8 in discovery, 8 in the session)" \
	test "$not_chosen" -le 8 -a "$ignored_lines" -le 16

# Memory: the first sample (the PADI sent, the flood not begun unless the
# sampler took longer than ROGUE_DELAY_MS) against the last (the session
# up, the floods over).
set -- $(head -n 1 "$memory")
before_hwm=${1:-0}
before_pid=${3:-none}
before_flood=${4:-no}
set -- $(awk '$5 == "no"' "$memory" | tail -n 1)
established_hwm=${1:-?}
set -- $(tail -n 1 "$memory")
after_hwm=${1:-0}
after_pid=${3:-none}
diag "$LAB_CLIENT: VmHWM of the process doing discovery (pid $before_pid): $before_hwm kB at the first sample (flood begun: $before_flood), $established_hwm kB as the session was established, $after_hwm kB after ($(wc -l <"$memory") samples); growth $((after_hwm - before_hwm)) kB"
check "memory bounded: VmHWM grew by at most $MEMORY_GROWTH_MAX_KB kB ($before_hwm -> $after_hwm kB)" \
	test "$before_hwm" -gt 0 -a $((after_hwm - before_hwm)) -le "$MEMORY_GROWTH_MAX_KB"
if [ "$LAB_CLIENT" = pty ]; then
	check "pppoe-mss never restarted: pid $before_pid before, $(hostile_pty_pid) now" \
		test "$before_pid" = "$(hostile_pty_pid)"
else
	check "pppd never restarted: pid $before_pid before, $LAB_PPPD_PID now" \
		test "$before_pid" = "$LAB_PPPD_PID"
fi
check "ping across the session to lab-ac" in_gw busybox ping -q -c 2 -w 5 "$LAB_AC_IP"

lab_client_stop

# ---- stopped between PADR and PADS ----
# The client's pppd (a child it has just forked is called pppd too for a
# moment: not that one).
client_pppd() {
	for candidate in $(ip netns pids gw); do
		{ read -r comm <"/proc/$candidate/comm"; } 2>/dev/null
		[ "$comm" = pppd ] || continue
		read -r _ _ _ parent _ <"/proc/$candidate/stat" 2>/dev/null || continue
		{ read -r parent_comm <"/proc/$parent/comm"; } 2>/dev/null
		[ "$parent_comm" = pppd ] || echo "$candidate"
	done
}
# first_frame SINCE CODE SOURCE: the time and session of the first CODE frame
# from SOURCE at or after SINCE in the stop capture.
first_frame() {
	lab_scan "$LAB_DIR/stop.pcap" |
		awk -v since="$1" -v code="$2" -v mac="$3" '$1 >= since && $2 == code && $5 == mac { print $1, $4; exit }'
}
padr_seen() {
	[ -n "$(first_frame "$started" PADR "$client_mac")" ]
}
gw_empty() {
	[ -z "$(ip netns pids gw)" ]
}
lab_wait 10 lab_no_ac_ppp
hostile_delay_discovery "$AC_DELAY_MS" || bail "the AC's discovery frames delayed again"
lab_capture_start stop ac acb ether proto 0x8863 || bail "capture of discovery on lab-ac's port"
label="$LAB_CLIENT client stopped (SIGTERM) between its PADR and the PADS"
started=$(lab_now)
(LAB_CLIENT_OPTS=$opts lab_client_start "$LAB_CLIENT" auto >/dev/null 2>&1) &
starter=$!
lab_wait 10 padr_seen || bail "$label: the client's PADR at lab-ac"
stopped=$(lab_now)
kill -TERM $(client_pppd) 2>/dev/null
wait "$starter" 2>/dev/null
lab_wait 15 gw_empty
gone=$(lab_elapsed "$stopped")
lab_capture_stop
hostile_undelay_discovery
set -- $(first_frame "$started" PADS "$ac_mac")
pads_at=${1:-}
session=${2:-}
set -- $(first_frame "$stopped" PADT "$client_mac")
padt_at=${1:-}
padt_session=${2:-}
check "$label: lab-ac's PADS (session ${session:-none}) came after the stop" \
	awk -v p="${pads_at:-0}" -v s="$stopped" 'BEGIN { exit !(p > s) }'
check "$label: the client's PADT for that session (${padt_session:-none}) reaches lab-ac within 2 s of the PADS" \
	awk -v t="${padt_at:-999999999999}" -v p="${pads_at:-0}" -v a="${session:-x}" -v b="${padt_session:-y}" \
		'BEGIN { exit !(a == b && t - p <= 2) }'
check "$label: nothing of the client is left on the gateway ($gone s after the stop)" gw_empty
[ "$LAB_CLIENT" = ebpf ] && datapath_check_gone "$label"
lab_down
exit 0
