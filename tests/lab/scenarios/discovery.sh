#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 5, discovery: two access concentrators on the client's Ethernet
# segment.  In ac, a bridge br0 joins sub0 (the gateway's wan0 at the other
# end) and a veth pair; pppoe-server "lab-ac" (service "lab-service", pool
# 10.77.2.x) listens on br0 and pppoe-server "lab-ac2" (service "gold", pool
# 10.77.4.x) on the far end of the veth pair, ac2b.  Both answer every PADI
# the gateway sends.  The client (LAB_CLIENT) must end up with the AC it was
# asked for -- by AC-Name, by Service-Name and, for the plugin, by MAC --
# which the session's addresses tell.  Then, with both stopped, pppd must
# give up by itself after the configured PADIs and log "no PADO".
. "$LAB_SRCDIR/tests/lab/topology.sh"
. "$LAB_SRCDIR/tests/lab/measure.sh"

LAB_AC_IF=br0
LAB_AC2_IP=10.77.4.1
LAB_POOL2_START=10.77.4.10
LAB_DISCOVERY_PIDS=
# The plugin's options, on either of its data paths (plugin, ebpf).
case $LAB_CLIENT in
plugin|ebpf) is_plugin=yes ;;
*) is_plugin= ;;
esac

# The second segment port and the bridge, in ac.
lab_discovery_segment_up() {
	lab_run ip -n ac link add br0 type bridge forward_delay 0 stp_state 0 &&
		lab_run ip -n ac link add ac2a type veth peer name ac2b &&
		lab_run ip -n ac link set sub0 master br0 &&
		lab_run ip -n ac link set ac2a master br0 || return 1
	for link in br0 ac2a ac2b; do
		in_ac sysctl -qw "net.ipv6.conf.$link.disable_ipv6=1"
		lab_run ip -n ac link set "$link" mtu 1500 up || return 1
	done
}

# lab_discovery_ac NAME INTERFACE LOCAL POOL SERVICE: one pppoe-server.
lab_discovery_ac() {
	ip netns exec ac pppoe-server -F -I "$2" -C "$1" -S "$5" -L "$3" -R "$4" -N 4 \
		-O /etc/ppp/pppoe-server-options </dev/null >>"$LAB_DIR/pppoe-server-$1.log" 2>&1 &
	LAB_DISCOVERY_PIDS="$LAB_DISCOVERY_PIDS $!"
	lab_wait 5 lab_discovery_listening "$2" || {
		echo "discovery: pppoe-server $1 did not open its socket on $2" >&2
		return 1
	}
}

# lab_discovery_listening INTERFACE: a PPPoE discovery socket bound to it.
lab_discovery_listening() {
	index=$(ip -n ac -o link show dev "$1" | cut -d: -f1)
	in_ac cat /proc/net/packet 2>/dev/null |
		awk -v idx="$index" 'NR > 1 && $4 == "8863" && $5 == idx { found = 1 } END { exit !found }'
}

lab_mac() {
	ip -n "$1" -o link show dev "$2" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p'
}

# The gateway's address and its peer on ppp0: "10.77.2.10 10.77.2.1".
lab_ppp_addresses() {
	ip -n gw -4 -o addr show dev ppp0 |
		awk '{ for (i = 1; i < NF; i++) if ($i == "inet") { sub(/\/.*/, "", $(i + 3)); print $(i + 1), $(i + 3) } }'
}

# lab_from_ac PEER LOCAL WANT-PEER POOL: the session's peer is WANT-PEER and
# the gateway's address is from that AC's pool (POOL, "10.77.4.": each
# pppoe-server hands out the next address of its pool for each session).
lab_from_ac() {
	[ "$1" = "$3" ] || return 1
	case $2 in
	"$4"*) return 0 ;;
	esac
	return 1
}

# lab_discovery_session LABEL EXPECTED-PEER POOL-START OPTIONS...: a
# session with the client given OPTIONS; checks which AC it is with.
lab_discovery_session() {
	label=$1
	want_peer=$2
	want_pool=${3%.*}.
	shift 3
	start=$(lab_now)
	if ! LAB_CLIENT_OPTS="$*" lab_client_start "$LAB_CLIENT" auto; then
		not_ok "$label: PPP session up within 20 s"
		lab_client_stop
		return
	fi
	set -- $(lab_ppp_addresses)
	diag "$label: session up in $(lab_elapsed "$start") s; gateway ${1:-none}, peer ${2:-none}"
	check "$label: the session is with that AC (peer $want_peer: ${2:-none}, gateway from ${want_pool}x: ${1:-none})" \
		lab_from_ac "${2:-}" "${1:-}" "$want_peer" "$want_pool"
	check "$label: ping across the session to $want_peer" in_gw busybox ping -q -c 2 -w 5 "$want_peer"
	lab_client_stop
	# The AC's pppd goes too before the next session starts.
	lab_wait 5 lab_no_ac_ppp
}

lab_client_said_no_pado() {
	grep -qs "no PADO" "$LAB_DIR/gw-pppd.log" "$LAB_DIR/gw-pppd.out" "$LAB_DIR/syslog"
}

lab_padis() {
	lab_scan "$LAB_DIR/discovery.pcap" | awk '$2 == "PADI" { n++ } END { print n + 0 }'
}

lab_write_ppp_config &&
	lab_netns_up &&
	lab_firewall_up &&
	lab_web_up &&
	lab_discovery_segment_up &&
	lab_discovery_ac lab-ac br0 "$LAB_AC_IP" "$LAB_POOL_START" lab-service &&
	lab_discovery_ac lab-ac2 ac2b "$LAB_AC2_IP" "$LAB_POOL2_START" gold ||
	bail "lab: namespaces, a bridged segment in ac, two pppoe-servers (lab-ac on br0, lab-ac2 on ac2b)"
ok "lab: two access concentrators on the gateway's segment: lab-ac (lab-service) and lab-ac2 (gold)"
ac1_mac=$(lab_mac ac br0)
ac2_mac=$(lab_mac ac ac2b)
diag "lab-ac at $ac1_mac, lab-ac2 at $ac2_mac"

if [ -n "$is_plugin" ]; then
	ac_opt=pppoe-ac
	service_opt=pppoe-service
else
	ac_opt=-C
	service_opt=-S
fi
lab_discovery_session "$LAB_CLIENT, $ac_opt lab-ac2" "$LAB_AC2_IP" "$LAB_POOL2_START" "$ac_opt" lab-ac2
lab_discovery_session "$LAB_CLIENT, $ac_opt lab-ac" "$LAB_AC_IP" "$LAB_POOL_START" "$ac_opt" lab-ac
lab_discovery_session "$LAB_CLIENT, $service_opt gold" "$LAB_AC2_IP" "$LAB_POOL2_START" "$service_opt" gold
lab_discovery_session "$LAB_CLIENT, $service_opt lab-service" "$LAB_AC_IP" "$LAB_POOL_START" \
	"$service_opt" lab-service
# The program has no MAC filter: this is for the plugin only.
if [ -n "$is_plugin" ]; then
	lab_discovery_session "$LAB_CLIENT, pppoe-mac $ac2_mac (lab-ac2)" "$LAB_AC2_IP" "$LAB_POOL2_START" \
		pppoe-mac "$ac2_mac"
	lab_discovery_session "$LAB_CLIENT, pppoe-mac $ac1_mac (lab-ac)" "$LAB_AC_IP" "$LAB_POOL_START" \
		pppoe-mac "$ac1_mac"
fi

# No access concentrator at all.
kill -TERM $LAB_DISCOVERY_PIDS 2>/dev/null
lab_wait 5 lab_none_running $LAB_DISCOVERY_PIDS || kill -KILL $LAB_DISCOVERY_PIDS 2>/dev/null
check "no AC: both pppoe-servers stopped" lab_wait 5 lab_none_running $LAB_DISCOVERY_PIDS
lab_capture_start discovery gw "$LAB_WAN_IF" ether proto 0x8863 || bail "no AC: capture on the gateway's wan0"
if [ -n "$is_plugin" ]; then
	label="$LAB_CLIENT, no AC, pppoe-padi-timeout 1 pppoe-padi-attempts 2"
	opts="pppoe-padi-timeout 1 pppoe-padi-attempts 2"
	padis=2
	limit=8 # 1 + 2 s of waiting
else
	label="$LAB_CLIENT, no AC, -t 1"
	opts="-t 1"
	padis=3
	limit=12 # 1 + 2 + 4 s of waiting
fi
start=$(lab_now)
LAB_CLIENT_OPTS=$opts lab_client_start "$LAB_CLIENT" auto >>"$LAB_DIR/lab.log" 2>&1
lab_wait 30 lab_not_running "$LAB_PPPD_PID"
took=$(lab_elapsed "$start")
if lab_not_running "$LAB_PPPD_PID"; then
	wait "$LAB_PPPD_PID"
	status=$?
	LAB_PPPD_PID=
else
	status=running
fi
lab_capture_stop
sent=$(lab_padis)
diag "$label: pppd exited after $took s with status $status, $sent PADIs sent"
check "$label: pppd exits by itself within $limit s ($took s)" \
	awk -v took="$took" -v limit="$limit" -v status="$status" 'BEGIN { exit !(status != "running" && took <= limit) }'
check "$label: $padis PADIs sent ($sent)" test "$sent" = "$padis"
check "$label: the client logs \"no PADO\"" lab_client_said_no_pado
diag "$label: $(grep -hs 'no PADO' "$LAB_DIR/gw-pppd.log" "$LAB_DIR/gw-pppd.out" "$LAB_DIR/syslog" | head -n 1)"
lab_client_stop
lab_down
exit 0
