#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Soak: 100 connect/disconnect cycles with one long-lived pppd (persist),
# the session ended by turns in the three ways it ends in life: the client
# hangs up (SIGHUP to pppd: LCP Terminate, then the client's PADT), the AC
# hangs up (SIGTERM to the AC's pppd: LCP Terminate from the AC), and the
# AC's pppd dies (SIGKILL: pppoe-server's PADT).  After every cycle the new
# session is up; at every session up pppd holds the same number of file
# descriptors (a leak per session would grow it by one per cycle); every
# tenth cycle the gateway runs pppd and one relay (pty client: its shell,
# pppoe-mss and pppoe-mss's guardian), each with its pppoe-mss-wire worker,
# and nothing else, no zombie is left
# anywhere, and the AC holds the new session and at most the one still
# ending.  At the end, with pppd stopped, neither the gateway nor the AC
# has anything left.  With the
# session in the kernel (ebpf) pppd's one child is the session's guardian,
# and every tenth cycle the kernel path holds the new session's clamp only:
# one bpf filter each way on wan0 and no BPF program of an earlier session.
. "$LAB_SRCDIR/tests/lab/topology.sh"
. "$LAB_SRCDIR/tests/lab/measure.sh"
. "$LAB_SRCDIR/tests/lab/faults.sh"

CYCLES=100
# The scenario bounds itself below init's per-scenario limit.
BUDGET=480

child=relay
case $LAB_CLIENT_KIND in
# Each session process has its confined worker (pppoe-mss-wire) that
# reads the frames.
plugin) expected_processes=3 ;;   # pppd, its relay child, the relay's worker
ebpf) expected_processes=3 child=guardian ;;  # pppd, the session's guardian, its worker
*) expected_processes=6 ;;        # pppd, sh -c, pppoe-mss, its guardian, a worker each
esac

# pppd is up on a new ppp0: its IPv4 address is there and the interface
# index differs from OLD_INDEX.  One command per poll: UML makes every fork
# costly, and the scenario polls this some thousand times.
new_session_up() {
	kill -0 "$pppd" 2>/dev/null || return 1
	ppp0=$(ip -n gw -o -4 addr show dev ppp0 2>/dev/null)
	case $ppp0 in
	"$1:"*|'') return 1 ;;
	*" inet "*) return 0 ;;
	esac
	return 1
}

ppp0_index() {
	ppp0=$(ip -n gw -o link show dev ppp0 2>/dev/null)
	echo "${ppp0%%:*}"
}

# What must not pile up, looked at every tenth cycle (and so after the
# last): anything beyond pppd and its relay on the gateway, zombies, AC
# sessions beyond the new one and the one ending.
look_for_leftovers() {
	processes=$(faults_gw_processes)
	count=$(echo "$processes" | grep -c .)
	[ "$count" -eq "$expected_processes" ] ||
		bad_processes="$bad_processes [cycle $1: $(echo "$processes" | tr '\n' ' ')]"
	z=$(faults_zombies)
	[ -z "$z" ] || zombies="$zombies [cycle $1: $(echo "$z" | tr '\n' ' ')]"
	[ "$(faults_ac_pppd_count)" -le 2 ] || ac_crowded="$ac_crowded [cycle $1: $(faults_ac_pppds)]"
	if [ "$LAB_PPPD_DATAPATH" = kernel ] && ! lab_wait 3 datapath_one_session; then
		kernel_left="$kernel_left [cycle $1: $(datapath_describe)]"
	fi
}

lab_up || bail "lab: namespaces, web server and access concentrator up"
LAB_PPPD_EXTRA="$FAULTS_PPPD_OPTIONS" lab_client_start "$LAB_CLIENT" auto ||
	bail "$LAB_CLIENT client with persist: PPP session up"
pppd=$LAB_PPPD_PID
first_fds=$(faults_fd_count "$pppd")
min_fds=$first_fds
max_fds=$first_fds
bad_processes=
zombies=
ac_crowded=
kernel_left=
started=$(lab_now)
slowest=0
done_cycles=0
failed=

cycle=1
while [ "$cycle" -le "$CYCLES" ]; do
	if ! faults_at_most "$(lab_elapsed "$started")" "$BUDGET"; then
		diag "cycles: the budget of $BUDGET s is spent after $done_cycles cycles"
		break
	fi
	index=$(ppp0_index)
	case $((cycle % 3)) in
	1)
		how="client hangs up (SIGHUP to pppd)"
		kill -HUP "$pppd"
		;;
	2)
		# The AC runs the session's pppd, and perhaps the last one's, ending.
		how="AC hangs up (SIGTERM to its pppd)"
		kill -TERM $(faults_pids ac pppd) 2>/dev/null
		;;
	0)
		how="AC's pppd dies (SIGKILL)"
		kill -KILL $(faults_pids ac pppd) 2>/dev/null
		;;
	esac
	cycle_start=$(lab_now)
	if ! lab_wait 20 new_session_up "$index"; then
		failed="cycle $cycle ($how): no new session within 20 s"
		break
	fi
	took=$(lab_elapsed "$cycle_start")
	slowest=$(awk -v a="$slowest" -v b="$took" 'BEGIN { print (b > a ? b : a) }')
	done_cycles=$cycle

	fds=$(faults_fd_count "$pppd")
	[ "$fds" -lt "$min_fds" ] && min_fds=$fds
	[ "$fds" -gt "$max_fds" ] && max_fds=$fds
	if [ $((cycle % 10)) -eq 0 ]; then
		look_for_leftovers "$cycle"
		diag "cycles: $cycle done in $(lab_elapsed "$started") s; pppd holds $fds fds; the AC runs $(faults_ac_pppd_count) pppd(s)"
	fi
	cycle=$((cycle + 1))
done
total=$(lab_elapsed "$started")

check "$LAB_CLIENT client: $CYCLES connect/disconnect cycles, each with a new session (${failed:-$done_cycles done in $total s, slowest reconnect $slowest s})" \
	eval '[ -z "$failed" ] && [ "$done_cycles" -eq "$CYCLES" ]'
check "$LAB_CLIENT client: the same pppd throughout" test "$LAB_PPPD_PID" = "$pppd"
check "$LAB_CLIENT client: no file descriptor leaked: pppd holds $first_fds at the first session up, $min_fds to $max_fds at every later one" \
	eval '[ "$min_fds" -eq "$first_fds" ] && [ "$max_fds" -eq "$first_fds" ]'
check "$LAB_CLIENT client: the gateway runs pppd and one $child, nothing else (every 10th session up)${bad_processes:+:$bad_processes}" \
	test -z "$bad_processes"
check "$LAB_CLIENT client: no zombie (every 10th session up)${zombies:+:$zombies}" test -z "$zombies"
check "$LAB_CLIENT client: the AC holds the new session and at most the one ending (every 10th session up)${ac_crowded:+:$ac_crowded}" \
	test -z "$ac_crowded"
if [ "$LAB_PPPD_DATAPATH" = kernel ]; then
	check "$LAB_CLIENT client: the kernel path holds the new session only: one guardian, one bpf filter each way on $LAB_WAN_IF, no BPF program of an earlier session (every 10th session up)${kernel_left:+:$kernel_left}" \
		test -z "$kernel_left"
fi

lab_client_stop
check "$LAB_CLIENT client: nothing of the client is left on the gateway after pppd stops" \
	lab_wait 5 faults_gw_empty
check "$LAB_CLIENT client: no zombie left ($(faults_zombies | tr '\n' ' '))" faults_no_zombies
faults_wait_time 15 faults_ac_empty
check "$LAB_CLIENT client: no session left on the AC ($FAULTS_TOOK s after pppd stopped)" faults_ac_empty
diag "$LAB_CLIENT client: $done_cycles cycles in $total s ($(awk -v t="$total" -v n="$done_cycles" 'BEGIN { if (n) printf "%.2f", t / n }') s per cycle with its checks; slowest reconnect $slowest s); pppd fds $first_fds first, $min_fds..$max_fds after"
lab_down
exit 0
