# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by the lab runners (tests/lab.sh, lab-hostile.sh, lab-faults.sh):
# which clients they exercise and the scenario@client list for uml-run.

# lab_clients BUILDDIR: LAB_CLIENTS when set, else "pty" (pppd running the
# standalone pppoe-mss through its pty option) and, when it was built, the
# plugin (plugin/.libs/pppoe-mss.so) on each of its data paths: "plugin"
# (pppoe-datapath user: the user-space relay) and "ebpf" (pppoe-datapath
# kernel: the kernel's PPPoE, the clamp in eBPF).
lab_clients() {
	if [ -n "${LAB_CLIENTS:-}" ]; then
		echo "$LAB_CLIENTS"
	elif [ -f "$1/plugin/.libs/pppoe-mss.so" ]; then
		echo "pty plugin ebpf"
	else
		echo pty
	fi
}

# lab_pppd25_clients "WANTED" CLIENT...: CLIENT-pppd25 for each CLIENT
# that is in WANTED: the same client with pppd 2.5.2 and the plugin built
# for it (tests/lab-peers.sh).
lab_pppd25_clients() {
	lab_wanted=" $1 "
	shift
	for lab_client in "$@"; do
		case $lab_wanted in
		*" $lab_client "*) printf ' %s-pppd25' "$lab_client" ;;
		esac
	done
}

# lab_runs "SCENARIOS" CLIENT...: every scenario with the first client, then
# with the next, as scenario@client words.
lab_runs() {
	lab_scenarios=$1
	shift
	for lab_client in "$@"; do
		for lab_scenario in $lab_scenarios; do
			printf ' %s@%s' "$lab_scenario" "$lab_client"
		done
	done
}
