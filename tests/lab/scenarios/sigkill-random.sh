#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Fault scenario: pppd killed with SIGKILL at random points -- before and
# during discovery, and during the session (LCP, PAP, IPCP, up).  The
# points are drawn from a seed, printed so that a run can be repeated
# (LAB_FAULTS_SEED=N tests/lab/uml-run ... sigkill-random).  Points count
# from the moment the client's discovery socket appears (the PADI follows
# at once).  Discovery takes a few milliseconds in the lab, too short a
# target for a shell, so the AC's side of the segment holds its discovery
# frames back 250 ms (netem on sub0, for ethertype 0x8863 only): PADO and
# PADS come 250 ms after PADI and PADR, and discovery points fall in the
# first half second.  A first, undisturbed start measures when the PADS comes
# and the session is up, and session points fall between 0.3 s after that
# PADS and a second after the session is up.
#
# For every point: whenever the access concentrator created a session (its
# PADS is in the capture of the AC's side), the client's PADT for that
# session reaches the AC within 2 s of the kill, or of the PADS when the
# PADS came later -- there is no moment after the PADR at which a kill
# leaves a session behind.  What outlives pppd for that: pppoe-mss behind
# the pty, which does discovery itself; with the plugin its guardian child,
# forked before the PADR, which learns the session from the PADS (a PADS
# that arrives after pppd died it answers with a PADT at once, and says so
# -- or, when the PADS was queued before it saw pppd go, ends it as one
# set up and never used: checked when the PADS came 50 ms or more after
# the kill), and which
# becomes the relay (plugin) or stays the guardian of the session in the
# kernel (ebpf) once the session starts.  A kill before the PADR leaves no
# session and must bring no PADT.  After every point nothing of the client
# is left on the gateway -- no process, no session record on wan0 in the
# state directory -- and no zombie anywhere; with the session in
# the kernel, no clamp filter on wan0 and no BPF program or map either.  At
# the end the AC has no session left at all.
. "$LAB_SRCDIR/tests/lab/topology.sh"
. "$LAB_SRCDIR/tests/lab/measure.sh"
. "$LAB_SRCDIR/tests/lab/faults.sh"
. "$LAB_SRCDIR/tests/lab/records.sh"

POINTS_IN_DISCOVERY=5
POINTS_IN_SESSION=5
# How long the AC's PADO and PADS are held back, in ms.
DISCOVERY_DELAY=250

# The seed: LAB_FAULTS_SEED from uml-run's parameters, else the clock.
seed=$(sed -n "s/^LAB_FAULTS_SEED='\\([0-9]*\\)'\$/\\1/p" /run/lab/params 2>/dev/null)
[ -n "$seed" ] || seed=$(($(date +%s) % 100000))

# Starts pppd in the background as lab_client_start does, without waiting
# for the session: the kill comes first.  Sets starter (the background
# shell) and started (the time).
start_client() {
	(LAB_PPPD_EXTRA="lcp-restart 1" lab_client_start "$LAB_CLIENT" auto >/dev/null 2>&1) &
	starter=$!
	started=$(lab_now)
}

# The pppd that start_client launched (the plugin's relay child has a name
# of its own).
client_pppd() {
	# pppd alone: a child it has just forked (the early guardian, before it
	# takes its own name) is called pppd too for a moment.
	for candidate in $(faults_pids gw pppd); do
		read -r _ _ _ parent _ <"/proc/$candidate/stat" 2>/dev/null || continue
		{ read -r parent_comm <"/proc/$parent/comm"; } 2>/dev/null
		[ "$parent_comm" = pppd ] || echo "$candidate"
	done
}

client_pppd_running() {
	[ -n "$(client_pppd)" ]
}

# The client's discovery socket (ethertype 0x8863) is open in the gateway's
# namespace: the PADI follows at once.  Read with the shell's own read
# through pppd's view of /proc/net (no fork: this is polled).
discovery_socket_open() {
	while read -r sk refs type proto rest; do
		[ "$proto" = 8863 ] && return 0
	done <"/proc/$1/net/packet"
	return 1
} 2>/dev/null

# wait_discovery_start PPPD: polls for that, 10 s at most; sets opened.
wait_discovery_start() {
	tries=500
	while [ "$tries" -gt 0 ] && kill -0 "$1" 2>/dev/null; do
		discovery_socket_open "$1" && break
		sleep 0.02
		tries=$((tries - 1))
	done
	opened=$(lab_now)
}

# scan_since SINCE: the capture's discovery frames from SINCE on.
scan_since() {
	lab_scan "$LAB_DIR/kills.pcap" | awk -v since="$1" '$1 >= since'
}

# first_frame SINCE CODE SOURCE: the time and session of the first CODE
# frame from SOURCE at or after SINCE.
first_frame() {
	scan_since "$1" | awk -v code="$2" -v mac="$3" '$2 == code && $5 == mac { print $1, $4; exit }'
}

# late_pads_said SESSION LINES SYSLOG-LINES: the client logged that the PADS
# for SESSION came after pppd was gone and was answered with a PADT, since
# pppd's log had LINES lines and the syslog SYSLOG-LINES.
late_pads_said() {
	SYSLOG_MARK=$3 client_log_since "$2" |
		grep -q "a PADS for session $1 arrived after .* was gone: ending it with a PADT"
}

# untaken_said SESSION LINES SYSLOG-LINES: the same session ended as one
# set up for the client and never used -- what the guardian says when the
# PADS was already queued by the time it saw pppd go (its reading of the
# PADS and of pppd's end race, by some milliseconds, more on a busy host).
untaken_said() {
	SYSLOG_MARK=$3 client_log_since "$2" |
		grep -q "session $1 was set up for us but never used: ending it with a PADT"
}

lab_up || bail "lab: namespaces, web server and access concentrator up"
# Only discovery frames wait (a prio qdisc, its third band netem, a filter
# on the ethertype): the session's frames pass at once.
for module in sch_prio sch_netem cls_u32; do
	/run/lab/modprobe "$module" 2>/dev/null
done
lab_run ip netns exec ac tc qdisc add dev "$LAB_AC_IF" root handle 1: prio &&
	lab_run ip netns exec ac tc qdisc add dev "$LAB_AC_IF" parent 1:3 handle 30: netem delay "${DISCOVERY_DELAY}ms" &&
	lab_run ip netns exec ac tc filter add dev "$LAB_AC_IF" parent 1: protocol 0x8863 prio 1 u32 match u32 0 0 flowid 1:3 ||
	bail "sigkill: a ${DISCOVERY_DELAY} ms delay (netem) for discovery frames on the AC's $LAB_AC_IF"
lab_capture_start kills ac "$LAB_AC_IF" ether proto 0x8863 || bail "sigkill: capture on the AC's $LAB_AC_IF"
client_mac=$(faults_client_mac)
ac_mac=$(faults_ac_mac)
diag "$LAB_CLIENT client: seed $seed (repeat with LAB_FAULTS_SEED=$seed)"

# ---- the undisturbed start: when do discovery and the session happen? ----
start_client
lab_wait 5 client_pppd_running
wait_discovery_start "$(client_pppd)"
wait "$starter"
up_at=$(faults_seconds "$opened" "$(lab_now)")
LAB_PPPD_PID=$(client_pppd)
lab_session_up || bail "$LAB_CLIENT client: a first, undisturbed session comes up"
lab_wait 3 lab_captures_settled
set -- $(first_frame "$started" PADI "$client_mac")
padi_at=$(faults_seconds "$opened" "${1:-$opened}")
set -- $(first_frame "$started" PADS "$ac_mac")
pads_at=$(faults_seconds "$opened" "${1:-$opened}")
diag "$LAB_CLIENT client: PADI $padi_at s, PADS $pads_at s, session up $up_at s after the discovery socket opened"
lab_client_stop KILL
lab_wait 10 faults_gw_empty

# ---- the points: seconds after the start, drawn from the seed ----
points=$(awk -v seed="$seed" -v up="$up_at" -v pads="$pads_at" -v delay="$DISCOVERY_DELAY" \
	-v nd="$POINTS_IN_DISCOVERY" -v ns="$POINTS_IN_SESSION" 'BEGIN {
	srand(seed)
	# Discovery: the PADO and the PADS are held back delay ms each.
	d = delay / 1000 * 2
	for (i = 0; i < nd; i++) printf "%.3f ", rand() * d
	# The session: from 0.3 s after the measured PADS (the start wanders
	# by some tenths) to a second after the session was up.
	from = pads + 0.3; if (from < d) from = d
	if (up < from) up = from
	for (i = 0; i < ns; i++) printf "%.3f ", from + rand() * (up + 1 - from)
}')
diag "$LAB_CLIENT client: kill points (s after the discovery socket opened): $points"

n=0
for point in $points; do
	n=$((n + 1))
	label="$LAB_CLIENT client, SIGKILL $n at $point s"
	# Room at the AC: pppoe-server runs four sessions at most, and the
	# AC's pppd takes some seconds to end a session.
	lab_wait 15 eval '[ "$(faults_ac_pppd_count)" -le 2 ]'
	lines=$(lab_line_count "$LAB_DIR/gw-pppd.log")
	log_lines=$(syslog_lines)
	start_client
	lab_wait 5 client_pppd_running
	pppd=$(client_pppd)
	wait_discovery_start "$pppd"
	left=$(awk -v p="$point" -v e="$(lab_elapsed "$opened")" 'BEGIN { s = p - e; printf "%.3f", s > 0 ? s : 0 }')
	sleep "$left"
	killed=$(lab_now)
	[ -n "$pppd" ] && kill -KILL $pppd
	wait "$starter" 2>/dev/null
	# A guardian whose pppd died before the PADS came waits about 10 s
	# for a late one.
	faults_wait_time 15 faults_gw_empty
	check "$label: nothing of the client is left on the gateway ($FAULTS_TOOK s after the kill)" faults_gw_empty
	gone_after=$FAULTS_TOOK
	[ "$LAB_CLIENT" = ebpf ] && datapath_check_gone "$label"
	lab_wait 3 lab_captures_settled
	set -- $(first_frame "$started" PADI "$client_mac")
	padi=${1:-}
	set -- $(first_frame "$started" PADR "$client_mac")
	padr=${1:-}
	set -- $(first_frame "$started" PADS "$ac_mac")
	pads=${1:-}
	session=${2:-}
	if [ -z "$padi" ] || awk -v k="$killed" -v p="$padi" 'BEGIN { exit !(k < p) }'; then
		phase="before the first PADI"
	elif [ -z "$padr" ] || awk -v k="$killed" -v p="$padr" 'BEGIN { exit !(k < p) }'; then
		phase="before the PADR"
	elif [ -z "$pads" ] || awk -v k="$killed" -v p="$pads" 'BEGIN { exit !(k < p) }'; then
		phase="between the PADR and the PADS"
	else
		phase="in the session"
	fi
	if [ -z "$session" ]; then
		check "$label ($phase): no session at the AC, no PADT needed" \
			test -z "$(first_frame "$started" PADT "$client_mac")"
		diag "$label: $phase; the AC never created a session; the client's processes were gone $gone_after s after the kill"
	else
		since=$(awk -v k="$killed" -v p="$pads" 'BEGIN { print (k > p ? k : p) }')
		lab_wait 3 faults_padt_seen kills "$session" "$client_mac" "$since"
		padt=$(faults_padt_for kills "$session" "$client_mac" "$since")
		delay=$(faults_seconds "$since" "${padt:-$since}")
		check "$label ($phase): the client's PADT for session $session reaches the AC within 2 s (${padt:+$delay s})" \
			eval '[ -n "$padt" ] && faults_at_most "$delay" 2'
		late=$(faults_seconds "$killed" "$pads")
		said=no
		late_pads_said "$session" "$lines" "$log_lines" && said=yes
		untaken=no
		untaken_said "$session" "$lines" "$log_lines" && untaken=yes
		# The plugin's guardian answers a PADS that came after pppd's
		# death; pppoe-mss behind the pty outlives pppd and goes on.
		if [ "$LAB_CLIENT" != pty ] && awk -v l="$late" 'BEGIN { exit !(l >= 0.05) }'; then
			check "$label ($phase): the guardian says why it ended session $session: the PADS came after pppd was gone ($said) or was set up and never used ($untaken) (PADS $late s after the kill)" \
				test "$said$untaken" != nono
		fi
		padt_text="none"
		[ -z "$padt" ] || padt_text="$delay s after the kill or the PADS"
		diag "$label: $phase; session $session (PADS $late s after the kill), PADT at the AC $padt_text; 'arrived after pppd was gone' logged: $said; the client's processes were gone $gone_after s after the kill"
	fi
	# Every session of the point was ended (or none was created): no
	# record of it may be left for the next start to find.
	lab_wait 3 eval '[ -z "$(records_files "$LAB_WAN_IF")" ]'
	check "$label ($phase): no session record left on $LAB_WAN_IF in the state directory ($(records_describe "$LAB_WAN_IF"))" \
		eval '[ -z "$(records_files "$LAB_WAN_IF")" ]'
	check "$label: no zombie left ($(faults_zombies | tr '\n' ' '))" faults_no_zombies
done

lab_capture_stop
# The AC's pppd ends a session some seconds after the PADT.
faults_wait_time 15 faults_ac_empty
check "$LAB_CLIENT client: no session is left on the AC (${FAULTS_TOOK} s after the last kill; its pppds: $(faults_ac_pppds))" \
	faults_ac_empty
lab_down
exit 0
