#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 1, the session: discovery, PAP and IPCP between the gateway's
# pppd (client $LAB_CLIENT) and pppoe-server; the negotiated addresses and
# MTU; pings across the session and, through NAT, from the LAN to the web
# server.  With the plugin, what carries the session: on the relay
# (plugin) a pppoe-mss-relay child of pppd; in the kernel (ebpf) a
# pppoe-mss-guard child and the clamp's bpf filters on wan0, none of which
# outlives pppd; ip-up is told which (PPPOE_DATAPATH).  On every client the
# frames are read by a pppoe-mss-wire worker without root, confined.  Run inside UML by
# tests/lab/uml-run (tests/lab/uml-run session).
. "$LAB_SRCDIR/tests/lab/topology.sh"
. "$LAB_SRCDIR/tests/lab/measure.sh"

lab_up || bail "lab: namespaces, web server and access concentrator up"
ok "lab: namespaces lan, gw, ac, web; pppoe-server and httpd running"
lab_install_ip_up || bail "lab: an ip-up script for the gateway's pppd"

start=$(lab_now)
lab_client_start "$LAB_CLIENT" auto || bail "$LAB_CLIENT client: PPP session up within 20 s"
ok "$LAB_CLIENT client: PPP session up in $(lab_elapsed "$start") s"
if [ -n "$LAB_PPPD_DATAPATH" ]; then
	diag "$LAB_CLIENT client: $LAB_PPPD_DATAPATH_LINE"
	datapath_check_running "$LAB_CLIENT client" auto
	lab_wait 10 lab_ip_up_done
	check "$LAB_CLIENT client: ip-up runs with PPPOE_DATAPATH=$LAB_PPPD_DATAPATH ($(grep -h '^ip-up ppp0' "$LAB_DIR/ip-up.log" 2>/dev/null | tail -n 1))" \
		grep -q "^ip-up ppp0 local .* PPPOE_DATAPATH=$LAB_PPPD_DATAPATH\$" "$LAB_DIR/ip-up.log"
fi
datapath_check_confined "$LAB_CLIENT client"

# "inet 10.77.2.10 peer 10.77.2.1/32 scope global ppp0"
set -- $(ip -n gw -4 -o addr show dev ppp0 | awk '{ for (i = 1; i < NF; i++) if ($i == "inet") print $(i + 1), $(i + 3) }')
local_ip=${1:-none}
peer_ip=${2%/*}
diag "IPCP: gateway $local_ip, access concentrator ${peer_ip:-none}"
check "IPCP: the gateway gets $LAB_POOL_START from the AC's pool" [ "$local_ip" = "$LAB_POOL_START" ]
check "IPCP: the peer is the AC at $LAB_AC_IP" [ "$peer_ip" = "$LAB_AC_IP" ]
mtu=$(ip -n gw -o link show dev ppp0 | sed -n 's/.* mtu \([0-9]*\).*/\1/p')
check "LCP: ppp0 on the gateway has MTU 1492 (${mtu:-none})" [ "$mtu" = 1492 ]
check "ping from the gateway to the AC across the session" \
	in_gw busybox ping -q -c 3 -w 5 "$LAB_AC_IP"
check "ping from the LAN host to the web server, through NAT and the session" \
	in_lan busybox ping -q -c 3 -w 5 10.77.3.2

start=$(lab_now)
lab_client_stop TERM
diag "pppd ended $(lab_elapsed "$start") s after SIGTERM"
lab_down
exit 0
