#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Debian's way: configs/peers/isp as /etc/ppp/peers/isp (only the NIC and
# the user name changed), "pon isp", "poff isp", "plog".  The plugin is
# found by name in pppd's plugin directory, as once installed.  pon's pppd
# detaches; poff finds it by its command line ("pppd call isp") and sends
# SIGTERM: the AC must see the PADT.  The example leaves pppoe-datapath at
# auto: pon@ebpf runs it so, and the plugin must choose the kernel (the
# lab's kernel has the modules); pon@plugin pins the relay (pppoe-datapath
# user) in the copy.
. "$LAB_SRCDIR/tests/lab/topology.sh"
. "$LAB_SRCDIR/tests/lab/measure.sh"

# pon does not tell us the pid, and /run/ppp0.pid will not do: the AC's
# pppd has a ppp0 too (in its own namespace) and writes the same file.
# Find them as poff does, by the command line, among the gateway's processes.
lab_pon_pids() {
	for pid in $(ip netns pids gw 2>/dev/null); do
		case $(tr '\0' ' ' </proc/"$pid"/cmdline 2>/dev/null) in
		*pppd" call isp "*) echo "$pid" ;;
		esac
	done
}

lab_up || bail "lab: namespaces, web server and access concentrator up"
lab_install_plugin || bail "pppoe-mss.so in pppd's plugin directory (inside UML only)"
client_mac=$(ip -n gw -o link show dev wan0 | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')

case $LAB_CLIENT_KIND in
ebpf)
	datapath=kernel
	changes="the NIC and the user"
	changed=2
	pin=
	;;
*)
	datapath=user
	changes="the NIC, the user and pppoe-datapath user"
	changed=3
	pin="s/^pppoe-datapath auto\$/pppoe-datapath user/"
	;;
esac
mkdir -p /etc/ppp/peers
sed -e "s/^eth0\$/$LAB_WAN_IF/" -e "s/^user .*/user \"$LAB_PPP_USER\"/" -e "$pin" \
	"$LAB_SRCDIR/configs/peers/isp" >/etc/ppp/peers/isp
check "the example's only changes are $changes" \
	sh -c '[ "$(diff "$1" /etc/ppp/peers/isp | grep -c "^>")" -eq "$2" ]' - "$LAB_SRCDIR/configs/peers/isp" "$changed"
# plog reads /var/log/syslog when there is no ppp.log: show it the lab's
# syslog through a private /var/log (inside UML only).
mount -t tmpfs tmpfs /var/log && ln -s "$LAB_DIR/syslog" /var/log/syslog

started=$(lab_now)
check "pon isp returns at once (pppd detaches)" lab_in_gw_with_pppd timeout 10 pon isp
lab_wait 20 lab_ppp0_has_address
LAB_PPPD_PID=$(lab_pon_pids | head -n 1)
check "pon isp: the session is up ($(lab_elapsed "$started") s), IPv4 address and default route on ppp0" \
	lab_session_up
diag "pon isp: $(ip -n gw -o -4 addr show dev ppp0 | awk '{ print $4 }'), pppd $LAB_PPPD_PID: $(tr '\0' ' ' </proc/"$LAB_PPPD_PID"/cmdline 2>/dev/null)"
# pppd logs through syslog here (the example has no logfile).
lab_wait 5 eval 'lab_datapath_as_asked "$LAB_DIR/syslog" 1 "$datapath" auto 2>/dev/null'
check "pon isp: the plugin says the session runs $([ "$datapath" = kernel ] && echo "in the kernel, with the clamp in eBPF (pppoe-datapath auto)" || echo "on the relay (pppoe-datapath user)"): '${LAB_PPPD_DATAPATH_LINE:-nothing}'" \
	lab_datapath_as_asked "$LAB_DIR/syslog" 1 "$datapath" auto
# The plugin's session child (the relay, or the kernel path's guardian) is a
# fork of pppd under a name of its own: poff would signal it too otherwise,
# and fail when it is gone between its ps and its kill.
child=pppoe-mss-relay
[ "$datapath" = kernel ] && child=pppoe-mss-guard
check "poff finds one process for isp, pppd: its child is named $child ($(ps -o comm= --ppid "$LAB_PPPD_PID" 2>/dev/null | tr '\n' ' '))" \
	sh -c '[ "$(echo $1)" = "$2" ] && ps -o comm= --ppid "$2" | grep -qx "$3"' - "$(lab_pon_pids)" "$LAB_PPPD_PID" "$child"
check "the plugin was loaded by name from pppd's plugin directory" \
	grep -q "Plugin pppoe-mss.so loaded" "$LAB_DIR/syslog"
check "plog shows pppd's log" sh -c 'plog | grep -q "pppd\["'
check "usepeerdns: the AC's DNS server is in /etc/ppp/resolv.conf" \
	grep -q "^nameserver $LAB_AC_DNS\$" /etc/ppp/resolv.conf

label="pon isp, pppoe-mss auto"
lab_transfer download http://10.77.3.2/blob 60 "$label"
lab_check_transfer "$label" complete
lab_check_mss "$label" at-most 1452

# After the transfer: lab_transfer stops every capture when it is done.
lab_capture_start pon-padt ac sub0 ether proto 0x8863 || bail "capture on the AC's sub0"
stopped=$(lab_now)
check "poff isp finds pon's pppd and stops it" ip netns exec gw poff isp
lab_wait 3 lab_padt_seen pon-padt "$stopped" "$client_mac"
padt=$(lab_padt_delay pon-padt "$stopped" "$client_mac")
check "poff isp: the client's PADT reaches the AC within 3 s, poff's own ps included (${padt:-none} s)" \
	awk -v d="${padt:-99}" 'BEGIN { exit !(d <= 3) }'
# pppd leaves once its ip-down scripts (started when IPCP went down) are
# done, or after its child-timeout (5 s by default).
lab_wait 10 lab_not_running "$LAB_PPPD_PID"
gone=$(lab_elapsed "$stopped")
check "poff isp: pppd $LAB_PPPD_PID is gone within 10 s ($gone s)" \
	lab_not_running "$LAB_PPPD_PID"
check "poff isp: ppp0 is gone" lab_wait 5 lab_no_ppp0
check "poff isp: the AC has closed the session within 10 s" lab_wait 10 lab_no_ac_ppp
[ "$datapath" = kernel ] && datapath_check_gone "poff isp"
check "poff isp again: no pppd for isp, says so" sh -c '! ip netns exec gw poff isp'
LAB_PPPD_PID=

lab_capture_stop
umount /var/log
lab_uninstall_plugin
lab_down
exit 0
