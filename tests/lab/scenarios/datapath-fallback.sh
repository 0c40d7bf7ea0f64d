#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The plugin's choice of data path when the kernel lacks what its path
# needs: the pppoe module (PPPoE sockets), then cls_bpf (the clamp's tc
# filters), each removed and kept from loading again (an "install MODULE
# /bin/false" rule in /run/modprobe.d, which the lab's modprobe reads: the
# kernel's own module requests go through it too).  With pppoe-datapath
# auto the session must come up on the user-space relay, the log line must
# say why, the relay must clamp (the download through the black hole
# completes), and the kernel path's attempt must leave nothing behind; with
# pppoe-datapath kernel pppd must fail the connect with its one clear line,
# leaving nothing on the gateway nor a session on the AC.  The modules are
# back afterwards, whatever happens.  Plugin only (run as
# datapath-fallback@ebpf).
. "$LAB_SRCDIR/tests/lab/topology.sh"
. "$LAB_SRCDIR/tests/lab/measure.sh"

BLOCKED=/run/modprobe.d/lab-datapath-fallback.conf

module_loaded() {
	grep -q "^$1 " /proc/modules
}

# block_module MODULE: unloaded, and no modprobe can load it.
block_module() {
	blocking=$1
	mkdir -p /run/modprobe.d && echo "install $blocking /bin/false" >"$BLOCKED" || return 1
	module_loaded "$blocking" || return 0
	# In use a moment longer by what the last session left to the kernel.
	lab_wait 5 eval 'rmmod "$blocking" 2>/dev/null || ! module_loaded "$blocking"'
	! module_loaded "$blocking"
}

# Every module back, as init loaded them.
restore_modules() {
	rm -f "$BLOCKED"
	for module in pppoe cls_bpf; do
		module_loaded "$module" || /run/lab/modprobe "$module"
	done
}
trap restore_modules EXIT
trap 'restore_modules; exit 1' TERM INT

# Nothing of a kernel path attempt is left: no bpf filter on wan0, no BPF
# program or map.
no_kernel_traces() {
	[ "$(datapath_filter_count "$LAB_WAN_IF")" -eq 0 ] && datapath_bpf_none
}

[ "$LAB_CLIENT" = ebpf ] || bail "datapath-fallback: a scenario of the plugin's data paths (run it as datapath-fallback@ebpf)"
lab_up || bail "lab: namespaces, web server and access concentrator up"

# MODULE WHY-PATTERN WHAT: WHY-PATTERN, a grep -E pattern the reason must
# match; WHAT, what the module gives.
for missing in "pppoe|this kernel has no PPPoE sockets.*modprobe pppoe|PPPoE sockets" \
	"cls_bpf|^the MSS clamp cannot run in the kernel: .*cls_bpf|the clamp's tc filters"; do
	module=${missing%%|*}
	why=${missing#*|}
	what=${why#*|}
	why=${why%|*}
	block_module "$module" || bail "no $module: the module unloaded and blocked"
	check "no $module ($what): not loaded, and modprobe $module fails" \
		eval '! module_loaded "$module" && ! /run/lab/modprobe "$module" 2>/dev/null && ! module_loaded "$module"'

	label="pppoe-datapath auto, no $module"
	LAB_DATAPATH=auto lab_client_start "$LAB_CLIENT" auto || bail "$label: PPP session up"
	reason=$(echo "$LAB_PPPD_DATAPATH_LINE" | sed -n 's/.* runs on the user-space relay: //p')
	diag "$label: $LAB_PPPD_DATAPATH_LINE"
	check "$label: the session runs on the relay, and the log says why ('${reason:-$LAB_PPPD_DATAPATH_LINE}')" \
		eval '[ "$LAB_PPPD_DATAPATH" = user ] && echo "$reason" | grep -Eq "$why"'
	datapath_check_running "$label" auto
	check "$label: the kernel path's attempt left nothing: no bpf filter on wan0, no BPF program or map ($(datapath_bpf_loaded))" \
		no_kernel_traces
	lab_transfer download http://10.77.3.2/blob 60 "$label"
	lab_check_transfer "$label" complete
	lab_check_mss "$label" at-most 1452
	lab_client_stop
	lab_wait 5 lab_no_ac_ppp

	label="pppoe-datapath kernel, no $module"
	log_from=$(($(lab_line_count "$LAB_DIR/gw-pppd.log") + 1))
	start=$(lab_now)
	LAB_DATAPATH=kernel lab_client_start "$LAB_CLIENT" auto 2>>"$LAB_DIR/lab.log"
	lab_wait 20 lab_not_running "$LAB_PPPD_PID"
	took=$(lab_elapsed "$start")
	line=$(lab_datapath_line "$LAB_DIR/gw-pppd.log" "$log_from")
	diag "$label: pppd ended after $took s; ${line:-no line about the data path}"
	status=running
	if lab_not_running "$LAB_PPPD_PID"; then
		wait "$LAB_PPPD_PID"
		status=$?
	fi
	check "$label: pppd gives up by itself with a failure, no session (after $took s, exit status $status)" \
		eval '[ "$status" != running ] && [ "$status" -ne 0 ] && lab_no_ppp0'
	lab_client_stop
	check "$label: the log says the session cannot run in the kernel, and why ('${line#*: }')" \
		eval 'echo "$line" | grep -Eq "^pppoe-mss: pppoe-datapath kernel: session [0-9]+ cannot run in the kernel: " &&
			echo "${line#*cannot run in the kernel: }" | grep -Eq "$why"'
	check "$label: nothing left on the gateway: no process, no bpf filter on wan0, no BPF program or map" \
		lab_wait 5 eval '[ -z "$(ip netns pids gw)" ] && no_kernel_traces'
	check "$label: no session left on the AC (the client's PADT ended the one discovery made)" \
		lab_wait 10 lab_no_ac_ppp

	rm -f "$BLOCKED"
	check "$module loads again" eval '/run/lab/modprobe "$module" && module_loaded "$module"'
done

lab_down
exit 0
