#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Fault scenario: a bad line.  While the LAN host downloads the 256 KiB file
# through the black hole (clamp auto), the PPPoE segment loses 10 % of the
# frames and delays each by 50 ms, in both directions (netem on wan0 and on
# sub0).  pppd runs with lcp-echo-interval 2 and lcp-echo-failure 5, as an
# ISP's line would be configured for a lossy link: the session must
# survive -- same pppd, same ppp0, same session on the AC -- and the
# download must complete intact, with the MSS still clamped.
. "$LAB_SRCDIR/tests/lab/topology.sh"
. "$LAB_SRCDIR/tests/lab/measure.sh"
. "$LAB_SRCDIR/tests/lab/faults.sh"

NETEM="delay 50ms loss 10%"

netem_on() {
	lab_run ip netns exec gw tc qdisc add dev "$LAB_WAN_IF" root netem $NETEM &&
		lab_run ip netns exec ac tc qdisc add dev "$LAB_AC_IF" root netem $NETEM
}

netem_off() {
	lab_run ip netns exec gw tc qdisc del dev "$LAB_WAN_IF" root
	lab_run ip netns exec ac tc qdisc del dev "$LAB_AC_IF" root
}

command -v tc >/dev/null 2>&1 || bail "netem: the tc command (iproute2) is needed"
lab_up || bail "lab: namespaces, web server and access concentrator up"
LAB_PPPD_EXTRA="$FAULTS_PPPD_OPTIONS lcp-echo-interval 2 lcp-echo-failure 5" \
	lab_client_start "$LAB_CLIENT" auto || bail "$LAB_CLIENT client with persist: PPP session up"
first_pppd=$LAB_PPPD_PID
index=$(faults_ppp0_index)
session=$(faults_client_session)
ac_pppd=$(faults_ac_pppds)

label="$LAB_CLIENT, clamp auto, $NETEM each way"
# The kernel loads sch_netem on demand through init's modprobe wrapper.
netem_on || { /run/lab/modprobe sch_netem; netem_on; } || bail "$label: netem on wan0 and sub0"
diag "$label: $(ip netns exec gw tc qdisc show dev "$LAB_WAN_IF" | head -n 1)"
lab_transfer download http://10.77.3.2/blob 120 "$label"
netem_off
lab_check_transfer "$label" complete
lab_check_mss "$label" at-most 1452
check "$label: the session survives: same pppd, same ppp0, up" \
	eval 'lab_session_up && [ "$(faults_ppp0_index)" = "$index" ] && [ "$LAB_PPPD_PID" = "$first_pppd" ]'
check "$label: the AC still has the same session (pppd $ac_pppd, session $session)" \
	test "$(faults_ac_pppds)" = "$ac_pppd"
check "$label: pppd never lost the line (no echo failure, no hangup in its log)" \
	eval '! grep -Eq "No response to|Modem hangup|Connection terminated" "$LAB_DIR/gw-pppd.log"'
check "$label: traffic flows once the line is clean again: ping from the LAN host to the web server" \
	in_lan busybox ping -q -c 2 -w 5 10.77.3.2
datapath_check_one_session "$label"

lab_client_stop
check "$LAB_CLIENT client: nothing of the client is left on the gateway" lab_wait 5 faults_gw_empty
lab_down
exit 0
