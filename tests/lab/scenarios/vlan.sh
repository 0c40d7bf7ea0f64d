#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 6, PPPoE over 802.1Q: providers often carry PPPoE in a VLAN.
# VLAN 7 on both ends of the gateway-AC link -- wan0.7 on the gateway,
# sub0.7 on the AC -- with pppoe-server on sub0.7 and the client (LAB_CLIENT)
# on wan0.7.  The sub-interface of a 1500-byte veth has MTU 1500, so the
# session is 1492 bytes as before: the session comes up, pings cross it, and
# the 256 KiB download through the black hole completes with the default
# clamp, MSS <= 1452 at both ends.
. "$LAB_SRCDIR/tests/lab/topology.sh"
. "$LAB_SRCDIR/tests/lab/measure.sh"

LAB_WAN_IF=wan0.7
LAB_AC_IF=sub0.7

lab_vlan_up() {
	lab_run ip -n gw link add link wan0 name wan0.7 type vlan id 7 &&
		lab_run ip -n ac link add link sub0 name sub0.7 type vlan id 7 || return 1
	in_gw sysctl -qw net.ipv6.conf.wan0/7.disable_ipv6=1
	in_ac sysctl -qw net.ipv6.conf.sub0/7.disable_ipv6=1
	lab_run ip -n gw link set wan0.7 up && lab_run ip -n ac link set sub0.7 up
}

lab_write_ppp_config &&
	lab_netns_up &&
	lab_vlan_up &&
	lab_firewall_up &&
	lab_web_up &&
	lab_ac_up ||
	bail "lab: namespaces, VLAN 7 (wan0.7, sub0.7), web server and access concentrator on sub0.7"
ok "lab: VLAN 7 on the gateway-AC link; pppoe-server on sub0.7"
mtu=$(ip -n gw -o link show dev wan0.7 | sed -n 's/.* mtu \([0-9]*\).*/\1/p')
diag "wan0.7 has MTU ${mtu:-none}"

# Every PPPoE frame on wan0 is tagged: tcpdump's "vlan 7" matches the tag.
lab_capture_start vlan gw wan0 vlan 7 and ether proto 0x8863 || bail "vlan: capture on the gateway's wan0"
label="$LAB_CLIENT on wan0.7"
start=$(lab_now)
lab_client_start "$LAB_CLIENT" auto || bail "$label: PPP session up within 20 s"
ok "$label: PPP session up in $(lab_elapsed "$start") s"
# In the kernel the clamp goes on the device the session runs on, the VLAN's.
datapath_check_kernel "$label" auto
if [ "$LAB_PPPD_DATAPATH" = kernel ]; then
	check "$label: no bpf filter on wan0 itself ($(datapath_filters wan0 | tr '\n' ';'))" \
		test "$(datapath_filter_count wan0)" -eq 0
fi
lab_capture_stop
tagged=$(tcpdump -r "$LAB_DIR/vlan.pcap" -n 2>>"$LAB_DIR/lab.log" | grep -c 'PADI\|PADS')
diag "$label: $tagged PADI and PADS frames tagged with VLAN 7 on wan0"
check "$label: discovery ran in VLAN 7 (tagged PADI/PADS on wan0: $tagged)" test "$tagged" -ge 2
mtu=$(ip -n gw -o link show dev ppp0 | sed -n 's/.* mtu \([0-9]*\).*/\1/p')
check "$label: ppp0 on the gateway has MTU 1492 (${mtu:-none})" [ "$mtu" = 1492 ]
check "$label: ping from the gateway to the AC across the session" \
	in_gw busybox ping -q -c 3 -w 5 "$LAB_AC_IP"
check "$label: ping from the LAN host to the web server" in_lan busybox ping -q -c 3 -w 5 10.77.3.2
lab_transfer download http://10.77.3.2/blob 60 "$label, clamp auto"
lab_check_transfer "$label, clamp auto" complete
lab_check_mss "$label, clamp auto" at-most 1452
lab_client_stop
lab_down
exit 0
