# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers of the lab's fault scenarios (scenarios/ac-restart.sh, link-flap,
# netem, sigkill-random, relay-kill, cycles), sourced after topology.sh and
# measure.sh: who runs where, which session the client and the access
# concentrator have, and what may be left behind.

# pppd options of the fault scenarios: a client that comes back by itself
# (persist), notices a dead line after about three seconds of silence
# (lcp-echo-interval 1, lcp-echo-failure 3), and retransmits its LCP
# requests after one second rather than three (lcp-restart 1): pppoe-server
# starts the AC's pppd only after its PADS, so the client's first
# Configure-Request is often lost, and a 3 s wait would dominate every
# reconnection; on a dead line it sends one Terminate-Request, not two
# (lcp-max-terminate 1).  A scenario may add to them or override them
# (later wins).
FAULTS_PPPD_OPTIONS="persist maxfail 0 holdoff 0 lcp-echo-interval 1 lcp-echo-failure 3 lcp-restart 1 lcp-max-terminate 1"

# faults_comm PID / faults_parent PID: a process's name and its parent's
# pid, read with the shell's own read (UML makes every fork costly, and the
# scenarios poll these).
faults_comm() {
	faults_line=
	{ read -r faults_line <"/proc/$1/comm"; } 2>/dev/null
	echo "$faults_line"
}

faults_parent() {
	faults_line=
	{ read -r faults_line <"/proc/$1/stat"; } 2>/dev/null
	# "pid (comm) state ppid ...": comm may hold spaces and parentheses.
	faults_line=${faults_line##*) }
	set -- $faults_line
	echo "${2:-}"
}

# faults_pgid PID: its process group.
faults_pgid() {
	faults_line=
	{ read -r faults_line <"/proc/$1/stat"; } 2>/dev/null
	faults_line=${faults_line##*) }
	set -- $faults_line
	echo "${3:-}"
}

# faults_gw_groups: the process groups of everything on the gateway,
# distinct, one line.
faults_gw_groups() {
	for faults_pid in $(ip netns pids gw 2>/dev/null); do
		faults_pgid "$faults_pid"
	done | sort -u | tr '\n' ' ' | sed 's/ $//'
}

# faults_kill_groups PGID...: SIGKILL to each process group; with more than
# one, every group is stopped first (SIGSTOP), so that none of them can act
# on the death of another before its own.
faults_kill_groups() {
	# Never the scenario's own group (that of init's timeout).
	faults_own=$(faults_pgid $$)
	for faults_group in "$@"; do
		shift
		[ "$faults_group" = "$faults_own" ] || set -- "$@" "$faults_group"
	done
	if [ $# -gt 1 ]; then
		for faults_group in "$@"; do
			kill -s STOP -- "-$faults_group" 2>/dev/null
		done
	fi
	for faults_group in "$@"; do
		kill -s KILL -- "-$faults_group" 2>/dev/null
	done
}

# faults_pids NETNS COMM: the pids of processes named COMM in NETNS.
faults_pids() {
	for faults_pid in $(ip netns pids "$1" 2>/dev/null); do
		faults_line=
		{ read -r faults_line <"/proc/$faults_pid/comm"; } 2>/dev/null
		[ "$faults_line" = "$2" ] && echo "$faults_pid"
	done
	return 0
}

# faults_count WORDS...: how many words.
faults_count() {
	echo $#
}

# The AC's pppds: one per session pppoe-server runs (or is ending).
faults_ac_pppds() {
	faults_pids ac pppd | tr '\n' ' ' | sed 's/ $//'
}

faults_ac_pppd_count() {
	faults_count $(faults_ac_pppds)
}

# faults_ac_pppd_for SESSION: the AC's pppd for session SESSION (pppoe-server
# starts it as pppd pty "pppoe ... -e SESSION:MAC ...").
faults_ac_pppd_for() {
	for faults_pid in $(faults_ac_pppds); do
		tr '\0' ' ' <"/proc/$faults_pid/cmdline" 2>/dev/null | grep -q -- "-e $1:" && echo "$faults_pid"
	done
}

# The AC has no session left: no pppd and no ppp interface.
faults_ac_empty() {
	[ -z "$(faults_ac_pppds)" ] && lab_no_ac_ppp
}

# faults_ac_only_new PIDS...: the AC runs exactly one pppd, and none of PIDS.
faults_ac_only_new() {
	faults_new=$(faults_ac_pppds)
	[ "$(faults_count $faults_new)" -eq 1 ] || return 1
	for faults_old in "$@"; do
		[ "$faults_old" = "$faults_new" ] && return 1
	done
	return 0
}

# The session id the client last reported as established (both clients log
# "PPPoE session N established" through pppd).
faults_client_session() {
	sed -n 's/.*PPPoE session \([0-9]*\) established.*/\1/p' "$LAB_DIR/gw-pppd.log" 2>/dev/null | tail -n 1
}

# The interface index of the gateway's ppp0, or nothing: every new session
# gets a new ppp0, so a changed index tells a new session from the old one
# even when ppp0 was gone too briefly to be seen missing.
faults_ppp0_index() {
	ip -n gw -o link show dev ppp0 2>/dev/null | awk -F: '{ print $1; exit }'
}

# faults_new_session_up OLD_INDEX: pppd is up again on a new ppp0.
faults_new_session_up() {
	lab_session_up && [ "$(faults_ppp0_index)" != "$1" ]
}

# faults_relay_pid: the client's relay process -- pppoe-mss (pty client) or
# the plugin's forked relay child (named pppoe-mss-relay, its parent
# LAB_PPPD_PID).
faults_relay_pid() {
	case $LAB_CLIENT_KIND in
	plugin)
		for faults_pid in $(faults_pids gw pppoe-mss-relay); do
			[ "$(faults_parent "$faults_pid")" = "$LAB_PPPD_PID" ] && echo "$faults_pid"
		done
		;;
	*)
		faults_pids gw pppoe-mss
		;;
	esac
}

# What the gateway runs: "pid comm" lines.
faults_gw_processes() {
	for faults_pid in $(ip netns pids gw 2>/dev/null); do
		echo "$faults_pid $(faults_comm "$faults_pid")"
	done
}

# Nothing of the client is left on the gateway.
faults_gw_empty() {
	[ -z "$(ip netns pids gw 2>/dev/null)" ]
}

# Zombies anywhere in the lab's kernel: "pid comm parent" lines.  A process
# that died but was never waited for shows here (ip netns pids cannot see
# zombies: their namespaces are already gone).
faults_zombies() {
	# One awk for all: cat skips the processes that end meanwhile.
	cat /proc/[0-9]*/stat 2>/dev/null | awk '{
		# "pid (comm) state ppid ...": comm may hold spaces.
		line = $0
		comm = line; sub(/^[0-9]+ \(/, "", comm); sub(/\) [^)]*$/, "", comm)
		rest = line; sub(/.*\) /, "", rest)
		split(rest, f, " ")
		if (f[1] == "Z") print $1, comm, f[2]
	}'
}

faults_no_zombies() {
	[ -z "$(faults_zombies)" ]
}

# faults_fd_count PID: the open file descriptors of PID (a glob: no fork).
faults_fd_count() {
	set -- "/proc/$1/fd/"*
	[ -e "$1" ] || set --
	echo $#
}

# faults_client_mac / faults_ac_mac: the two ends of the PPPoE segment.
faults_client_mac() {
	ip -n gw -o link show dev "$LAB_WAN_IF" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p'
}

faults_ac_mac() {
	ip -n ac -o link show dev "$LAB_AC_IF" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p'
}

# faults_padt_for CAPTURE SESSION SOURCE_MAC SINCE: the time of the first
# PADT for SESSION from SOURCE_MAC at or after SINCE in the capture, or
# nothing.
faults_padt_for() {
	lab_scan "$LAB_DIR/$1.pcap" | awk -v s="$2" -v mac="$3" -v since="$4" '
		$2 == "PADT" && $4 == s && $5 == mac && $1 >= since { print $1; exit }'
}

faults_padt_seen() {
	[ -n "$(faults_padt_for "$@")" ]
}

# faults_seconds FROM TO: TO - FROM to 0.01 s.
faults_seconds() {
	awk -v from="$1" -v to="$2" 'BEGIN { printf "%.2f", to - from }'
}

# faults_at_most VALUE LIMIT: a number no larger than LIMIT.
faults_at_most() {
	awk -v v="$1" -v limit="$2" 'BEGIN { exit !(v != "" && v + 0 <= limit + 0) }'
}

# faults_wait_time SECONDS COMMAND...: like lab_wait, and sets FAULTS_TOOK to
# the seconds it waited (to 0.01 s), whether or not COMMAND succeeded.
faults_wait_time() {
	faults_wait_start=$(lab_now)
	lab_wait "$@"
	faults_wait_status=$?
	FAULTS_TOOK=$(lab_elapsed "$faults_wait_start")
	return "$faults_wait_status"
}
