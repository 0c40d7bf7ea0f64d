#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 4, PADT: however pppd goes -- stopped with SIGTERM, or killed
# with SIGKILL, which gives it no chance to say goodbye -- the client sends
# a PADT, and the access concentrator acts on it within 2 s.  Observed on
# the AC's side: the PADT frame in a capture of its interface (sub0), and
# pppoe-server stopping the session's pppd (SIGTERM, seen in the syslog).
# That pppd then takes its time -- it sends LCP Terminate-Requests into the
# dead session and gives up after 3 to 6 s -- before pppoe-server logs the
# session closed; that is checked against a looser limit of 10 s.
# Who sends the PADT: pppoe-mss behind the pty; the plugin's relay child
# (plugin); with the session in the kernel (ebpf), the guardian child --
# told by pppd (SIGTERM), or finding pppd gone (SIGKILL: the pipe only pppd
# held closes) -- which also removes the clamp's filters from wan0.
# A third round kills pppd after an ip-up that left a daemon behind: the
# daemon must hold nothing of the session (pppd's pty or socket, ours), or
# the relay would never see pppd go.  (pppd 2.5 leaks an rtnetlink socket
# of its own to its scripts: told, not counted; see pppd_netlink_socket.)
. "$LAB_SRCDIR/tests/lab/topology.sh"
. "$LAB_SRCDIR/tests/lab/measure.sh"

# lab_ac_stopping PID: the AC's pppd PID has begun to end the session.
lab_ac_stopping() {
	grep -Eq "pppd\[$1\]: (Terminating on signal|LCP terminated by peer)" "$LAB_DIR/syslog"
}

# Nothing the client started is left on the gateway.
lab_gw_empty() {
	[ -z "$(ip netns pids gw)" ]
}

lab_up || bail "lab: namespaces, web server and access concentrator up"
lab_capture_start padt ac sub0 ether proto 0x8863 || bail "PADT: capture on the AC's sub0"
client_mac=$(ip -n gw -o link show dev wan0 | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')

# pppd_netlink_socket INODE: the socket is pppd's own rtnetlink socket (its
# netlink port id is pppd's pid).  pppd 2.5 keeps one open for address
# changes, without close-on-exec, and its scripts inherit it: pppd's leak
# (it carries nothing of the session), told apart from ours.
pppd_netlink_socket() {
	ip netns exec gw cat /proc/net/netlink |
		awk -v inode="$1" -v pid="$LAB_PPPD_PID" '$10 == inode && $3 == pid { found = 1 } END { exit !found }'
}

# daemon_fds PID: the descriptors of PID that are ptys or sockets, but
# pppd's own rtnetlink socket (listed in pppd_leaked).
daemon_fds() {
	pppd_leaked=
	for fd in /proc/"$1"/fd/*; do
		target=$(readlink "$fd") || continue
		case $target in
		socket:*)
			inode=${target#socket:[}
			if pppd_netlink_socket "${inode%]}"; then
				pppd_leaked="$pppd_leaked ${fd##*/}=$target"
				continue
			fi
			printf '%s ' "${fd##*/}=$target"
			;;
		/dev/pts/* | /dev/ptmx) printf '%s ' "${fd##*/}=$target" ;;
		esac
	done
}

for round in TERM KILL KILL-daemon; do
	signal=${round%-daemon}
	label="$LAB_CLIENT client, pppd ends with SIG$signal"
	daemon=
	if [ "$round" = KILL-daemon ]; then
		label="$label after an ip-up that left a daemon"
		lab_install_ip_up "sleep 600 </dev/null >/dev/null 2>&1 &
echo \$! >$LAB_DIR/ip-up-daemon.pid" || bail "$label: an ip-up that leaves a daemon"
	fi
	lab_client_start "$LAB_CLIENT" auto || bail "$label: PPP session up"
	if [ "$round" = KILL-daemon ]; then
		lab_wait 10 lab_ip_up_done || bail "$label: ip-up ran"
		daemon=$(cat "$LAB_DIR/ip-up-daemon.pid")
		# (not in a command substitution: it sets pppd_leaked)
		daemon_fds "$daemon" >"$LAB_DIR/daemon-fds"
		held=$(cat "$LAB_DIR/daemon-fds")
		check "$label: the daemon holds no pty or socket of pppd's (${held:-none})" \
			[ -z "$held" ]
		[ -z "$pppd_leaked" ] ||
			diag "$label: the daemon holds pppd's own rtnetlink socket (${pppd_leaked# }): pppd's leak to its scripts, nothing of the session"
	fi
	ac_pppd=$(lab_ac_process pppd)
	[ -n "$ac_pppd" ] || bail "$label: the AC runs a pppd for the session"
	sent=$(lab_now)
	kill "-$signal" "$LAB_PPPD_PID"
	lab_wait 3 lab_padt_seen padt "$sent" "$client_mac"
	padt=$(lab_padt_delay padt "$sent" "$client_mac")
	check "$label: the client's PADT reaches the AC within 2 s (${padt:-none} s)" \
		awk -v d="${padt:-99}" 'BEGIN { exit !(d <= 2) }'
	lab_wait 3 lab_ac_stopping "$ac_pppd"
	stopping=$(lab_elapsed "$sent")
	check "$label: pppoe-server stops the session's pppd within 2 s ($stopping s)" \
		awk -v d="$stopping" 'BEGIN { exit !(d <= 2) }'
	[ -n "$daemon" ] && kill "$daemon" 2>/dev/null
	check "$label: nothing of the client is left running on the gateway" \
		lab_wait 5 lab_gw_empty
	[ "$LAB_PPPD_DATAPATH" = kernel ] && datapath_check_gone "$label"
	lab_wait 10 lab_none_running $ac_pppd
	closed=$(lab_elapsed "$sent")
	check "$label: the AC has closed the session within 10 s ($closed s)" \
		awk -v d="$closed" 'BEGIN { exit !(d <= 10) }'
	diag "$label: PADT at the AC after ${padt:-(none)} s; the AC stops its pppd after $stopping s, which is gone after $closed s"
	wait "$LAB_PPPD_PID" 2>/dev/null
	LAB_PPPD_PID=
	lab_wait 5 lab_no_ppp0
	# pppoe-server needs a moment to free the session slot.
	lab_wait 5 lab_no_ac_ppp
done
lab_capture_stop
lab_down
exit 0
