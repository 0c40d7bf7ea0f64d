#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The common recipe for shaping a line's download, in an ip-up script, with
# the session in the kernel: an IFB device, a plain ingress qdisc on ppp0
# whose filter redirects everything to the IFB, and a token bucket on the
# IFB.  A plain ingress qdisc and clsact exclude each other on one device:
# the recipe must still work because the clamp sits on wan0, not on ppp0.
# It must succeed, the 256 KiB download through the black hole must still
# complete clamped, and the download must pass through the IFB (its
# qdisc's counters rise by at least the file's size).  Plugin only (run as
# ifb-shaping@ebpf).
. "$LAB_SRCDIR/tests/lab/topology.sh"
. "$LAB_SRCDIR/tests/lab/measure.sh"

# The bytes the IFB's root qdisc has sent.
ifb_bytes() {
	in_gw tc -s qdisc show dev ifb0 2>/dev/null | awk '$1 == "Sent" { print $2; exit }'
}

[ "$LAB_CLIENT" = ebpf ] || bail "ifb-shaping: a scenario of the plugin's kernel data path (run it as ifb-shaping@ebpf)"
lab_up || bail "lab: namespaces, web server and access concentrator up"
# The kernel would load them on demand too, through init's modprobe.
for module in ifb act_mirred cls_u32 sch_tbf; do
	/run/lab/modprobe "$module" || bail "ifb-shaping: the module $module"
done
lab_install_ip_up 'ip link add ifb0 type ifb
ip link set ifb0 up
tc qdisc add dev "$1" handle ffff: ingress
tc filter add dev "$1" parent ffff: protocol all u32 match u32 0 0 action mirred egress redirect dev ifb0
tc qdisc add dev ifb0 root tbf rate 20mbit burst 32k latency 50ms' ||
	bail "ifb-shaping: the ip-up script"

label="$LAB_CLIENT, IFB ingress shaping on ppp0 in ip-up"
lab_client_start "$LAB_CLIENT" auto || bail "$label: PPP session up"
lab_wait 10 lab_ip_up_done
check "$label: every command of the recipe succeeds (ip-up.log: $(grep -c '^+ ' "$LAB_DIR/ip-up.log" 2>/dev/null) commands run)" \
	lab_ip_up_done
check "$label: ip-up runs with PPPOE_DATAPATH=kernel" \
	grep -q "^ip-up ppp0 local .* PPPOE_DATAPATH=kernel\$" "$LAB_DIR/ip-up.log"
diag "$label: ppp0's qdiscs: $(in_gw tc qdisc show dev ppp0 | tr '\n' ';')"
check "$label: ppp0 has the recipe's ingress qdisc" \
	eval 'in_gw tc qdisc show dev ppp0 | grep -q "^qdisc ingress ffff:"'
datapath_check_running "$label" auto

before=$(ifb_bytes)
lab_transfer download http://10.77.3.2/blob 60 "$label"
after=$(ifb_bytes)
lab_check_transfer "$label" complete
lab_check_mss "$label" at-most 1452
check "$label: the download passed through ifb0 (its tbf sent ${before:-none} -> ${after:-none} bytes)" \
	eval '[ -n "$before" ] && [ -n "$after" ] && [ $((after - before)) -ge "$LAB_BLOB_SIZE" ]'
check "$label: the session is still up, the clamp still on wan0 ($(datapath_filter_programs "$LAB_WAN_IF"))" \
	eval 'lab_session_up && [ "$(datapath_filter_count "$LAB_WAN_IF")" -eq 2 ]'
lab_client_stop
lab_down
exit 0
