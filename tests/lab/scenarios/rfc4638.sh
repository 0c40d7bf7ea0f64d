#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# RFC 4638: a 1500-byte PPP MTU over PPPoE, for the plugin (the standalone
# program never asks for PPP-Max-Payload).  The gateway's pppd asks for
# "mtu 1500 mru 1500"; four access concentrators in turn:
#
#   1. rp-pppoe 4.0's pppoe-server in kernel mode (-k, the AC's sessions on
#      pppd's rp-pppoe.so), both NICs at MTU 1508: PADI and PADR carry
#      PPP-Max-Payload 1500, the PADS confirms it, ppp0 has MTU 1500; the
#      clamp (auto) has nothing to lower -- the LAN host's SYN reaches the
#      server with MSS 1460 -- and a 256 KiB download through the black hole
#      completes.
#   2. rp-pppoe 3.15's (Debian 12's, user mode), both NICs at 1508: it
#      confirms the tag as well, MTU 1500.
#   3. The same AC with its own NIC at 1500: it cannot carry 1500 and leaves
#      the tag out of its PADS, as an AC without RFC 4638 does; the plugin
#      warns and falls back to 1492, the clamp to 1452, and the download
#      completes.
#   4. rp-pppoe 4.0 again, with the gateway's NIC at 1500: a 1500-byte
#      payload does not fit, so the PADI does not ask for it; 1492.
. "$LAB_SRCDIR/tests/lab/topology.sh"
. "$LAB_SRCDIR/tests/lab/measure.sh"

case $LAB_CLIENT_KIND in
plugin|ebpf) ;;
*) echo "not ok - rfc4638: a scenario of the plugin (plugin, ebpf), not of $LAB_CLIENT"; exit 1 ;;
esac
rp_pppoe_4=$LAB_PEERS/rp-pppoe-4.0/pppoe-server
[ -x "$rp_pppoe_4" ] || bail "rfc4638: rp-pppoe 4.0's pppoe-server at $rp_pppoe_4 (tests/lab-peers.sh builds it)"
ac_plugin=$(ls /usr/lib/pppd/*/rp-pppoe.so 2>/dev/null | head -n 1)
[ -n "$ac_plugin" ] || bail "rfc4638: pppd's rp-pppoe.so for the AC's kernel mode"
WARNING="PPP-Max-Payload 1500 (RFC 4638) was not confirmed by the access concentrator or does not fit"

# discovery_max_payload CODE MAC: the PPP-Max-Payload of the first CODE
# frame from MAC in the discovery capture ("none" without the tag).
discovery_max_payload() {
	lab_scan "$LAB_DIR/$capture.pcap" | awk -v code="$1" -v mac="$2" '
		$2 == code && $5 == mac && $8 == "max-payload" { print $9; exit }'
}

ppp0_mtu() {
	ip -n gw -o link show dev ppp0 2>/dev/null | sed -n 's/.* mtu \([0-9]*\).*/\1/p'
}

# start_session LABEL: lab_up with the AC and NIC MTU set by the caller,
# the discovery captured on the AC's side, pppd asking for 1500.
start_session() {
	lab_up || bail "$1: lab up (AC ${LAB_AC_SERVER:-pppoe-server} ${LAB_AC_OPTS:-}, NICs at MTU ${LAB_PPPOE_NIC_MTU:-1500})"
	client_mac=$(ip -n gw -o link show dev wan0 | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')
	ac_mac=$(ip -n ac -o link show dev sub0 | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')
	capture=$(lab_file_name "$1 discovery")
	lab_capture_start "$capture" ac sub0 ether proto 0x8863 || bail "$1: capture on the AC's sub0"
	log_from=$(($(lab_line_count "$LAB_DIR/gw-pppd.log") + 1))
	LAB_PPPD_EXTRA="mtu 1500 mru 1500" lab_client_start "$LAB_CLIENT" auto || bail "$1: PPP session up"
	lab_capture_stop
	diag "$1: $(lab_scan "$LAB_DIR/$capture.pcap" | awk '{ printf "%s%s %s", sep, $2, $9; sep = ", " }')"
}

warned() {
	tail -n +"$log_from" "$LAB_DIR/gw-pppd.log" | grep -qF "$WARNING"
}

not_warned() {
	! warned
}

# ---- 1. an AC that confirms PPP-Max-Payload 1500 ----
label="RFC 4638 AC (rp-pppoe 4.0 -k), NICs at 1508"
LAB_PPPOE_NIC_MTU=1508 LAB_AC_SERVER=$rp_pppoe_4 LAB_AC_OPTS="-k -g $ac_plugin"
start_session "$label"
padi=$(discovery_max_payload PADI "$client_mac")
padr=$(discovery_max_payload PADR "$client_mac")
pads=$(discovery_max_payload PADS "$ac_mac")
check "$label: the PADI asks for PPP-Max-Payload 1500 (${padi:-no PADI})" [ "$padi" = 1500 ]
check "$label: the PADR asks for PPP-Max-Payload 1500 (${padr:-no PADR})" [ "$padr" = 1500 ]
check "$label: the AC's PADS confirms PPP-Max-Payload 1500 (${pads:-no PADS})" [ "$pads" = 1500 ]
mtu=$(ppp0_mtu)
check "$label: ppp0 on the gateway has MTU 1500 (${mtu:-none})" [ "$mtu" = 1500 ]
check "$label: the plugin does not warn about PPP-Max-Payload" not_warned
lab_transfer download http://10.77.3.2/blob 60 "$label"
lab_check_transfer "$label" complete
lab_check_mss "$label, clamp auto leaves a full-size SYN alone" exactly 1460
lab_client_stop TERM
lab_down

# ---- 2. rp-pppoe 3.15 in user mode ----
label="rp-pppoe 3.15 (user mode), NICs at 1508"
LAB_PPPOE_NIC_MTU=1508 LAB_AC_NIC_MTU= LAB_AC_SERVER= LAB_AC_OPTS=
start_session "$label"
pads=$(discovery_max_payload PADS "$ac_mac")
check "$label: the AC's PADS confirms PPP-Max-Payload 1500 too (${pads:-no PADS})" [ "$pads" = 1500 ]
mtu=$(ppp0_mtu)
check "$label: ppp0 on the gateway has MTU 1500 (${mtu:-none})" [ "$mtu" = 1500 ]
lab_client_stop TERM
lab_down

# ---- 3. an AC that does not confirm the tag ----
label="an AC that does not confirm PPP-Max-Payload (rp-pppoe 3.15, its NIC at 1500), the gateway's NIC at 1508"
LAB_PPPOE_NIC_MTU=1508 LAB_AC_NIC_MTU=1500 LAB_AC_SERVER= LAB_AC_OPTS=
start_session "$label"
padi=$(discovery_max_payload PADI "$client_mac")
pads=$(discovery_max_payload PADS "$ac_mac")
check "$label: the PADI asks for PPP-Max-Payload 1500 (${padi:-no PADI})" [ "$padi" = 1500 ]
check "$label: the AC's PADS has no PPP-Max-Payload (${pads:-no PADS})" [ "$pads" = none ]
mtu=$(ppp0_mtu)
check "$label: the session falls back to MTU 1492 (${mtu:-none})" [ "$mtu" = 1492 ]
check "$label: the plugin warns: '$(tail -n +"$log_from" "$LAB_DIR/gw-pppd.log" | grep -F 'PPP-Max-Payload' | head -n 1)'" warned
lab_transfer download http://10.77.3.2/blob 60 "$label"
lab_check_transfer "$label" complete
lab_check_mss "$label, clamp auto" at-most 1452
lab_client_stop TERM
lab_down

# ---- 4. a NIC too small for a 1500-byte payload ----
label="RFC 4638 AC (rp-pppoe 4.0 -k), the gateway's NIC at 1500"
LAB_PPPOE_NIC_MTU=1500 LAB_AC_NIC_MTU= LAB_AC_SERVER=$rp_pppoe_4 LAB_AC_OPTS="-k -g $ac_plugin"
start_session "$label"
padi=$(discovery_max_payload PADI "$client_mac")
check "$label: the PADI does not ask for PPP-Max-Payload (${padi:-no PADI})" [ "$padi" = none ]
mtu=$(ppp0_mtu)
check "$label: ppp0 has MTU 1492 (${mtu:-none})" [ "$mtu" = 1492 ]
check "$label: the plugin says why it did not ask" warned
lab_client_stop TERM
lab_down
exit 0
