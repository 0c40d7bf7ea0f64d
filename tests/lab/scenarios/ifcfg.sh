#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The network-scripts way: configs/network-scripts/ifcfg-ppp0 with the lab's
# NIC and user, started and stopped by pppoe-mss-start/-stop/-status, and by
# the rp-pppoe names initscripts' ifup-ppp / ifdown-ppp call for TYPE=xDSL
# (adsl-start FILE, adsl-stop FILE).  CLAMPMSS=1400 must show 1400 at the
# server, CLAMPMSS=no 1460 (and the download stalls in the black hole);
# stop must send the PADT; status must tell the truth.  The example leaves
# the data path at auto: ifcfg@ebpf runs it so, and the plugin must choose
# the kernel (with CLAMPMSS=no, without a clamp); ifcfg@plugin pins the
# relay (PPPOE_EXTRA="pppoe-datapath user").
. "$LAB_SRCDIR/tests/lab/topology.sh"
. "$LAB_SRCDIR/tests/lab/measure.sh"

scripts=/run/lab/network-scripts
bin=/run/lab/bin
case $LAB_CLIENT in
ebpf) datapath=kernel extra= ;;
*) datapath=user extra="pppoe-datapath user" ;;
esac

# lab_ifcfg CLAMPMSS: the example file with the lab's NIC and user.
lab_ifcfg() {
	sed -e "s/^ETH=.*/ETH=$LAB_WAN_IF/" -e "s/^USER=.*/USER='$LAB_PPP_USER'/" \
		-e "s/^CLAMPMSS=.*/CLAMPMSS=$1/" -e "s/^CONNECT_POLL=.*/CONNECT_POLL=1/" \
		-e "s/^PPPOE_EXTRA=.*/PPPOE_EXTRA=\"$extra\"/" \
		"$LAB_SRCDIR/configs/network-scripts/ifcfg-ppp0" >"$scripts/ifcfg-ppp0"
}

# in_gw_script NAME ARGS...: one of the installed names, run on the gateway.
in_gw_script() {
	name=$1
	shift
	ip netns exec gw timeout 60 "$bin/$name" "$@" \
		>"$LAB_DIR/$name.out" 2>&1
}

lab_up || bail "lab: namespaces, web server and access concentrator up"
lab_install_plugin || bail "pppoe-mss.so in pppd's plugin directory (inside UML only)"
client_mac=$(ip -n gw -o link show dev wan0 | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')
mkdir -p "$scripts" "$bin"
# The script with the lab's directory for /etc/sysconfig/network-scripts:
# as root it takes none from the environment.
sed "s|^config_dir=.*|config_dir=$scripts|" "$LAB_SRCDIR/src/pppoe-mss-ifcfg" >"$bin/pppoe-mss-ifcfg"
chmod 755 "$bin/pppoe-mss-ifcfg"
grep -qx "config_dir=$scripts" "$bin/pppoe-mss-ifcfg" || bail "pppoe-mss-ifcfg pointed at $scripts"
for name in pppoe-mss-start pppoe-mss-stop pppoe-mss-status adsl-start adsl-stop adsl-status; do
	ln -sf pppoe-mss-ifcfg "$bin/$name"
done

# lab_ifcfg_session LABEL CLAMPMSS START STOP STATUS [FILE]: start, status, a
# download, stop, status again.
lab_ifcfg_session() {
	label=$1 clamp=$2 start=$3 stop=$4 status=$5 file=${6:-}
	lab_ifcfg "$clamp"
	syslog_from=$(($(lab_line_count "$LAB_DIR/syslog") + 1))
	started=$(lab_now)
	check "$label: $start ${file:-(no argument: finds ifcfg-ppp0)} brings the link up" \
		in_gw_script "$start" $file
	diag "$label: $(cat "$LAB_DIR/$start.out") after $(lab_elapsed "$started") s"
	LAB_PPPD_PID=$(head -n 1 /run/pppoe-mss-ppp0.pid 2>/dev/null)
	check "$label: the session is up, pppd $LAB_PPPD_PID" lab_session_up
	# pppd logs through syslog here.
	clamp_word=$clamp
	[ "$clamp" = no ] && clamp_word=off
	lab_wait 5 eval 'lab_datapath_as_asked "$LAB_DIR/syslog" "$syslog_from" "$datapath" "$clamp_word" 2>/dev/null'
	check "$label: the plugin says the session runs $([ "$datapath" = kernel ] && echo "in the kernel (auto)" || echo "on the relay (PPPOE_EXTRA=\"$extra\")"): '${LAB_PPPD_DATAPATH_LINE:-nothing}'" \
		lab_datapath_as_asked "$LAB_DIR/syslog" "$syslog_from" "$datapath" "$clamp_word"
	check "$label: $status says the link is up, with its address" \
		sh -c 'ip netns exec gw "$2/$3" $4 >"$5" 2>&1 &&
			grep -q "ppp0: link up" "$5" && grep -q "inet 10\.77\.2\." "$5"' - \
		"$scripts" "$bin" "$status" "$file" "$LAB_DIR/$status.out"
	diag "$label: $(tr '\n' ' ' <"$LAB_DIR/$status.out")"

	if [ "$clamp" = no ]; then
		lab_transfer download http://10.77.3.2/blob 8 "$label"
		lab_check_transfer "$label" stalled
		lab_check_mss "$label" exactly 1460
	else
		lab_transfer download http://10.77.3.2/blob 60 "$label"
		lab_check_transfer "$label" complete
		lab_check_mss "$label" exactly "$clamp"
	fi

	# After the transfer: lab_transfer stops every capture when it is done.
	lab_capture_start ifcfg-padt ac sub0 ether proto 0x8863 || bail "capture on the AC's sub0"
	stopped=$(lab_now)
	check "$label: $stop stops pppd" in_gw_script "$stop" $file
	lab_wait 3 lab_padt_seen ifcfg-padt "$stopped" "$client_mac"
	padt=$(lab_padt_delay ifcfg-padt "$stopped" "$client_mac")
	check "$label: $stop: the client's PADT reaches the AC within 3 s, the script's own start-up included (${padt:-none} s)" \
		awk -v d="${padt:-99}" 'BEGIN { exit !(d <= 3) }'
	check "$label: $stop: pppd and ppp0 are gone" lab_wait 5 lab_no_ppp0
	lab_not_running "$LAB_PPPD_PID" || not_ok "$label: pppd $LAB_PPPD_PID still runs"
	check "$label: $status now says not running, exit status 1" \
		sh -c '! ip netns exec gw "$2/$3" $4 >"$5" 2>&1 &&
			grep -q "ppp0: not running" "$5"' - \
		"$scripts" "$bin" "$status" "$file" "$LAB_DIR/$status.out"
	check "$label: the AC has closed the session within 10 s" lab_wait 10 lab_no_ac_ppp
	[ "$datapath" = kernel ] && datapath_check_gone "$label: $stop"
	lab_capture_stop
	LAB_PPPD_PID=
}

lab_ifcfg_session "pppoe-mss-start, CLAMPMSS=1400" 1400 \
	pppoe-mss-start pppoe-mss-stop pppoe-mss-status
# As initscripts' ifup-ppp and ifdown-ppp call it for TYPE=xDSL.
lab_ifcfg_session "ifup-style adsl-start, CLAMPMSS=no" no \
	adsl-start adsl-stop adsl-status "$scripts/ifcfg-ppp0"

lab_uninstall_plugin
lab_down
exit 0
