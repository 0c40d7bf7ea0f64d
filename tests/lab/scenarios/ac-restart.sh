#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Fault scenario: the access concentrator restarts under a running session,
# twice.  First gracefully: pppoe-server gets SIGTERM (it sends a PADT,
# "Shutting Down", and signals its sessions' pppds to stop) and is started
# again as soon as it has exited.  Then as a crash: pppoe-server, its sessions' pppds and
# their relays are killed at once with SIGKILL -- no PADT, no LCP goodbye,
# as when the AC's box dies -- and pppoe-server is started again at once;
# the client finds out through its LCP echo.  Either way pppd, with
# persist, must have a new session within 10 s of the AC being back, and
# the AC must be left with that one session only: nothing stale.  With the
# session in the kernel (ebpf), the gateway too holds the new session only:
# one guardian, the new session's clamp filters, no BPF program of the old.
. "$LAB_SRCDIR/tests/lab/topology.sh"
. "$LAB_SRCDIR/tests/lab/measure.sh"
. "$LAB_SRCDIR/tests/lab/faults.sh"

# Everything pppoe-server runs (the sessions' pppds and their relays), and
# the server itself.
ac_restart_ac_processes() {
	for comm in pppoe-server pppd pppoe sh; do
		faults_pids ac "$comm"
	done
}

ac_restart_ac_gone() {
	[ -z "$(ac_restart_ac_processes)" ]
}

lab_up || bail "lab: namespaces, web server and access concentrator up"

LAB_PPPD_EXTRA="$FAULTS_PPPD_OPTIONS" lab_client_start "$LAB_CLIENT" auto ||
	bail "$LAB_CLIENT client with persist: PPP session up"
first_pppd=$LAB_PPPD_PID

for how in graceful crash; do
	label="$LAB_CLIENT client, AC restart ($how)"
	old_index=$(faults_ppp0_index)
	old_session=$(faults_client_session)
	old_ac_pppds=$(faults_ac_pppds)
	[ -n "$old_ac_pppds" ] || bail "$label: the AC runs a pppd for the session"
	killed=$(lab_now)
	if [ "$how" = graceful ]; then
		server=$(faults_pids ac pppoe-server)
		kill -TERM $server
		# Started again as soon as the old server has exited.  Its sessions'
		# pppds take some seconds more to end (pppoe-server only signals
		# them), and the new server numbers sessions from 1 again: the AC's
		# leftovers, not the client's, which must cope with them.
		lab_wait 5 lab_not_running "$server"
	else
		kill -KILL $(ac_restart_ac_processes)
		lab_wait 5 ac_restart_ac_gone
	fi
	lab_ac_up || bail "$label: pppoe-server started again"
	back=$(lab_now)
	lab_wait 20 faults_new_session_up "$old_index"
	recovered=$(lab_elapsed "$back")
	since_kill=$(lab_elapsed "$killed")
	check "$label: the same pppd (persist) has a new session within 10 s of the AC being back ($recovered s; $since_kill s after the AC went down)" \
		faults_at_most "$recovered" 10
	check "$label: it is the same pppd process" test "$LAB_PPPD_PID" = "$first_pppd"
	new_session=$(faults_client_session)
	# pppoe-server numbers sessions from 1 again after a restart: the same
	# number can come back, so the AC's pppd, not the number, tells them apart.
	lab_wait 10 faults_ac_only_new $old_ac_pppds
	check "$label: the AC has one session, the new one; the old ones are gone (pppds now: $(faults_ac_pppds); before: $old_ac_pppds)" \
		faults_ac_only_new $old_ac_pppds
	check "$label: the AC's session is the client's (session $new_session)" \
		test -n "$(faults_ac_pppd_for "$new_session")"
	check "$label: traffic flows again: ping from the LAN host to the web server" \
		in_lan busybox ping -q -c 2 -w 5 10.77.3.2
	datapath_check_one_session "$label"
	diag "$label: session $old_session -> $new_session; back $recovered s after pppoe-server was up again, $since_kill s after the AC went down"
done

lab_client_stop
check "$LAB_CLIENT client: nothing of the client is left on the gateway" lab_wait 5 faults_gw_empty
check "$LAB_CLIENT client: no session left on the AC after the client stops" lab_wait 10 faults_ac_empty
lab_down
exit 0
