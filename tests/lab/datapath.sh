# SPDX-License-Identifier: GPL-2.0-or-later
# What the plugin's kernel data path leaves on the gateway, sourced by
# topology.sh: the clamp's tc filters (per session, its own instance of the
# eBPF clamp, whose two programs are attached in direct action to the
# ingress and egress hooks of clsact on the session's Ethernet device), the
# BPF programs and maps loaded in the lab's kernel, and the session's
# guardian (pppoe-mss-guard, a child of pppd that carries no traffic).  On
# the relay the session's child is pppoe-mss-relay instead.
# The checks (datapath_check_*) print TAP lines and need measure.sh.

# datapath_filters DEVICE: the bpf filters on DEVICE in gw, one line each:
# "ingress|egress pref PREF handle HANDLE id PROGRAM-ID da|no-da".
datapath_filters() {
	for datapath_hook in ingress egress; do
		in_gw tc filter show dev "$1" "$datapath_hook" 2>/dev/null |
			awk -v hook="$datapath_hook" '
				$1 == "filter" && / bpf / && / handle / {
					pref = handle = id = "?"
					for (i = 1; i < NF; i++) {
						if ($i == "pref") pref = $(i + 1)
						if ($i == "handle") handle = $(i + 1)
						if ($i == "id") id = $(i + 1)
					}
					print hook, "pref", pref, "handle", handle, "id", id,
						(/ direct-action / ? "da" : "no-da")
				}'
	done
}

# datapath_filter_count DEVICE [HOOK]: how many bpf filters (on HOOK only,
# when given).
datapath_filter_count() {
	datapath_filters "$1" | awk -v hook="${2:-}" 'hook == "" || $1 == hook { n++ } END { print n + 0 }'
}

# datapath_filter_programs DEVICE: the program ids of its bpf filters, as
# "hook:id" words, sorted: what tells one session's filters from another's.
datapath_filter_programs() {
	datapath_filters "$1" | awk '{ print $1 ":" $7 }' | sort | tr '\n' ' ' | sed 's/ $//'
}

# The BPF programs of type sched_cls and the maps loaded in the lab's kernel,
# "P programs, M maps" -- with bpftool; without it, the processes that hold
# a BPF program or map open, "N BPF fds held" (once no filter and no fd
# holds a program, the kernel has freed it).  bpftool's own helper objects
# (pid_iter) are not counted.
datapath_bpf_loaded() {
	if command -v bpftool >/dev/null 2>&1; then
		datapath_programs=$(bpftool prog show 2>/dev/null | grep -cE '^[0-9]+: sched_cls ')
		datapath_maps=$(bpftool map show 2>/dev/null | grep -E '^[0-9]+: ' | grep -cv ' name pid_iter')
		echo "$datapath_programs programs, $datapath_maps maps"
	else
		datapath_fds=$(find /proc/[0-9]*/fd -maxdepth 1 \( -lname 'anon_inode:bpf-prog' -o -lname 'anon_inode:bpf-map' \) 2>/dev/null | grep -c .)
		echo "$datapath_fds BPF fds held"
	fi
}

datapath_bpf_none() {
	case $(datapath_bpf_loaded) in
	"0 programs, 0 maps"|"0 BPF fds held") return 0 ;;
	esac
	return 1
}

# datapath_guardian_of PPPD: the pid of pppd's guardian child, if any.
datapath_guardian_of() {
	for datapath_pid in $(ip netns pids gw 2>/dev/null); do
		[ "$(datapath_comm "$datapath_pid")" = pppoe-mss-guard ] &&
			[ "$(datapath_parent "$datapath_pid")" = "$1" ] && echo "$datapath_pid"
	done
	return 0
}

# datapath_relay_of PPPD: the pid of pppd's relay child, if any.
datapath_relay_of() {
	for datapath_pid in $(ip netns pids gw 2>/dev/null); do
		[ "$(datapath_comm "$datapath_pid")" = pppoe-mss-relay ] &&
			[ "$(datapath_parent "$datapath_pid")" = "$1" ] && echo "$datapath_pid"
	done
	return 0
}

# The session children anywhere in gw, whoever their parent.
datapath_session_children() {
	for datapath_pid in $(ip netns pids gw 2>/dev/null); do
		case $(datapath_comm "$datapath_pid") in
		pppoe-mss-guard|pppoe-mss-relay|pppoe-mss-wire) echo "$datapath_pid" ;;
		esac
	done
	return 0
}

# The workers that read a session's frames anywhere in gw (pppoe-mss-wire).
datapath_workers() {
	for datapath_pid in $(ip netns pids gw 2>/dev/null); do
		[ "$(datapath_comm "$datapath_pid")" = pppoe-mss-wire ] && echo "$datapath_pid"
	done
	return 0
}

# datapath_status_value PID KEY: the value of KEY ("Seccomp:") in PID's
# /proc status, tabs as spaces.
datapath_status_value() {
	sed -n "s/^$2[[:space:]]*//p" "/proc/$1/status" 2>/dev/null | tr '\t' ' '
}

# datapath_confined PID: PID runs as nobody with no capability,
# no_new_privs and a seccomp filter.
datapath_confined() {
	datapath_nobody=$(id -u nobody 2>/dev/null)
	[ -n "$datapath_nobody" ] &&
		[ "$(datapath_status_value "$1" Uid:)" = "$datapath_nobody $datapath_nobody $datapath_nobody $datapath_nobody" ] &&
		[ "$(datapath_status_value "$1" CapEff:)" = 0000000000000000 ] &&
		[ "$(datapath_status_value "$1" NoNewPrivs:)" = 1 ] &&
		[ "$(datapath_status_value "$1" Seccomp:)" = 2 ]
}

# datapath_check_confined LABEL: the session's frames are read by one
# pppoe-mss-wire, the child of the session's process (pppoe-mss, the
# plugin's pppoe-mss-relay, or on the kernel path pppoe-mss-guard); the pty
# client's early guardian (pppoe-mss-guard, a child of pppoe-mss) has one
# more, for the discovery frames.  Each runs as nobody with no capability,
# no_new_privs and a seccomp filter.  (Titles tell them apart too, but the
# standalone program's have only the room its command line had.)
datapath_check_confined() {
	datapath_session_workers=
	datapath_guard_workers=
	datapath_unconfined=
	datapath_shown=
	datapath_guards_expected=0
	case $LAB_CLIENT in pty|pty-*) datapath_guards_expected=1 ;; esac
	for datapath_worker in $(datapath_workers); do
		datapath_parent_comm=$(datapath_comm "$(datapath_parent "$datapath_worker")")
		case $datapath_parent_comm/$datapath_guards_expected in
		pppoe-mss-guard/1) datapath_guard_workers="$datapath_guard_workers $datapath_worker" ;;
		pppoe-mss/*|pppoe-mss-relay/*|pppoe-mss-guard/0) datapath_session_workers="$datapath_session_workers $datapath_worker" ;;
		esac
		datapath_confined "$datapath_worker" || datapath_unconfined="$datapath_unconfined $datapath_worker"
		datapath_shown="$datapath_shown $datapath_worker ($datapath_parent_comm's): '$(datapath_title "$datapath_worker")' uids $(datapath_status_value "$datapath_worker" Uid:), CapEff $(datapath_status_value "$datapath_worker" CapEff:), NoNewPrivs $(datapath_status_value "$datapath_worker" NoNewPrivs:), Seccomp $(datapath_status_value "$datapath_worker" Seccomp:);"
	done
	check "$1: one pppoe-mss-wire reads the session's frames, $datapath_guards_expected the early guardian's ($datapath_shown)" \
		eval '[ "$(datapath_count $datapath_session_workers)" -eq 1 ] &&
			[ "$(datapath_count $datapath_guard_workers)" -eq "$datapath_guards_expected" ]'
	check "$1: every pppoe-mss-wire runs as nobody ($(id -u nobody 2>/dev/null)) with no capability, no_new_privs and a seccomp filter (unconfined:${datapath_unconfined:- none})" \
		eval '[ -n "$(datapath_workers)" ] && [ -z "$datapath_unconfined" ]'
}

# datapath_count WORDS...: how many words.
datapath_count() {
	echo $#
}

datapath_comm() {
	datapath_line=
	{ read -r datapath_line <"/proc/$1/comm"; } 2>/dev/null
	echo "$datapath_line"
}

datapath_parent() {
	datapath_line=
	{ read -r datapath_line <"/proc/$1/stat"; } 2>/dev/null
	datapath_line=${datapath_line##*) }
	set -- $datapath_line
	echo "${2:-}"
}

# datapath_title PID: its command line as ps shows it (the process title).
datapath_title() {
	tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | sed 's/ *$//'
}

# datapath_session_of LINE: the session id in the plugin's data path line.
datapath_session_of() {
	echo "$1" | sed -n 's/.*session \([0-9]*\) .*/\1/p'
}

# Nothing of the kernel path left on the gateway: no bpf filter on
# LAB_WAN_IF (the clsact qdisc may stay: the plugin never deletes a qdisc),
# no BPF program or map, no guardian.
datapath_gone() {
	[ "$(datapath_filter_count "$LAB_WAN_IF")" -eq 0 ] &&
		datapath_bpf_none &&
		[ -z "$(datapath_session_children)" ]
}

# datapath_check_gone LABEL: one TAP line for datapath_gone, given 5 s.
datapath_check_gone() {
	datapath_wait_start=$(lab_now)
	lab_wait 5 datapath_gone
	datapath_left="filters: $(datapath_filters "$LAB_WAN_IF" | tr '\n' ';')"
	datapath_left="$datapath_left BPF: $(datapath_bpf_loaded); session children: $(datapath_session_children | tr '\n' ' ')"
	check "$1: nothing of the kernel path left: no bpf filter on $LAB_WAN_IF, no BPF program or map, no pppoe-mss-guard ($(lab_elapsed "$datapath_wait_start") s; $datapath_left)" \
		datapath_gone
}

# datapath_check_running LABEL CLAMP: what runs while pppd (LAB_PPPD_PID)
# has its session up, on the path it logged (LAB_PPPD_DATAPATH).
#   kernel  one pppoe-mss-guard child, titled "pppoe-mss-guard IF session
#           N", no relay; one bpf filter in direct action on each of
#           LAB_WAN_IF's ingress and egress, none when CLAMP is off
#   user    one pppoe-mss-relay child, no guardian, no bpf filter
datapath_check_running() {
	datapath_guardian=$(datapath_guardian_of "$LAB_PPPD_PID")
	datapath_relay=$(datapath_relay_of "$LAB_PPPD_PID")
	datapath_session=$(datapath_session_of "$LAB_PPPD_DATAPATH_LINE")
	datapath_list=$(datapath_filters "$LAB_WAN_IF")
	datapath_shown=$(echo "$datapath_list" | tr '\n' ';')
	case $LAB_PPPD_DATAPATH in
	kernel)
		check "$1: pppd runs one child, pppoe-mss-guard, titled 'pppoe-mss-guard $LAB_WAN_IF session $datapath_session', and no relay (guardian ${datapath_guardian:-none}: '$(datapath_title "${datapath_guardian:-0}")'; relay ${datapath_relay:-none})" \
			eval '[ "$(datapath_count $datapath_guardian)" -eq 1 ] && [ -z "$datapath_relay" ] &&
				[ "$(datapath_title "$datapath_guardian")" = "pppoe-mss-guard $LAB_WAN_IF session $datapath_session" ]'
		if [ "$2" = off ]; then
			check "$1: pppoe-mss off: no bpf filter on $LAB_WAN_IF (${datapath_shown:-none})" \
				test -z "$datapath_list"
		else
			check "$1: the clamp on $LAB_WAN_IF: one bpf filter in direct action on ingress and one on egress (${datapath_shown:-none})" \
				eval '[ "$(echo "$datapath_list" | grep -c "^ingress .* da$")" -eq 1 ] &&
					[ "$(echo "$datapath_list" | grep -c "^egress .* da$")" -eq 1 ] &&
					[ "$(echo "$datapath_list" | grep -c .)" -eq 2 ]'
		fi
		;;
	*)
		check "$1: pppd runs one child, pppoe-mss-relay, and no guardian (relay ${datapath_relay:-none}; guardian ${datapath_guardian:-none}); no bpf filter on $LAB_WAN_IF (${datapath_shown:-none})" \
			eval '[ "$(datapath_count $datapath_relay)" -eq 1 ] && [ -z "$datapath_guardian" ] && [ -z "$datapath_list" ]'
		;;
	esac
}

# datapath_check_kernel LABEL CLAMP: datapath_check_running, when the session
# runs in the kernel (the ebpf client); nothing otherwise.
datapath_check_kernel() {
	[ "${LAB_PPPD_DATAPATH:-}" = kernel ] || return 0
	datapath_check_running "$@"
}

# datapath_bpf_of_filters: the BPF programs loaded are those of the filters
# on LAB_WAN_IF and no more (a session that ended left none behind).  Only
# with bpftool; without it, a program no fd or filter holds is gone anyway.
datapath_bpf_of_filters() {
	command -v bpftool >/dev/null 2>&1 || return 0
	datapath_attached=$(datapath_filters "$LAB_WAN_IF" | awk '{ print $7 }' | sort -u | grep -c .)
	datapath_loaded=$(bpftool prog show 2>/dev/null | grep -cE '^[0-9]+: sched_cls ')
	[ "$datapath_attached" -eq "$datapath_loaded" ]
}

# datapath_one_session: pppd (LAB_PPPD_PID) runs one session in the kernel
# and nothing of an earlier one is left: one guardian, one bpf filter each
# way on LAB_WAN_IF, no other BPF program loaded.
datapath_one_session() {
	[ "$(datapath_count $(datapath_guardian_of "$LAB_PPPD_PID"))" -eq 1 ] &&
		[ "$(datapath_filter_count "$LAB_WAN_IF" ingress)" -eq 1 ] &&
		[ "$(datapath_filter_count "$LAB_WAN_IF" egress)" -eq 1 ] &&
		datapath_bpf_of_filters
}

# What datapath_one_session looks at, for a TAP line.
datapath_describe() {
	echo "guardian $(datapath_guardian_of "$LAB_PPPD_PID" | tr '\n' ' '); filters: $(datapath_filters "$LAB_WAN_IF" | tr '\n' ';') BPF: $(datapath_bpf_loaded)"
}

# datapath_check_one_session LABEL: a TAP line for datapath_one_session,
# when the session runs in the kernel; nothing otherwise.
datapath_check_one_session() {
	[ "${LAB_PPPD_DATAPATH:-}" = kernel ] || return 0
	lab_wait 3 datapath_one_session
	check "$1: the kernel path holds the new session only: one guardian, one bpf filter each way on $LAB_WAN_IF, no BPF program of an earlier session ($(datapath_describe))" \
		datapath_one_session
}
