#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A benchmark, not a test: iperf3 TCP through ppp0, in one boot, for
#
#   ebpf           pppd plugin pppoe-mss.so, kernel data path  (the subject)
#                  (pppoe-datapath kernel: the clamp in eBPF)
#   kernel         pppd plugin rp-pppoe.so           kernel mode, no clamp
#   kernel-tcpmss  the same plus an iptables TCPMSS rule per direction
#                  (--set-mss 1452): what users glue together today
#   plugin         pppd plugin pppoe-mss.so, user-space relay
#   rp-pty         pppd pty "pppoe -I wan0 -m 1452"  rp-pppoe user mode
#   pty            pppd pty "pppoe-mss -I wan0"      (for information)
#
# each in both directions: "up" is the gateway sending to the access
# concentrator, "down" (iperf3 -R) the other way.  rp-pppoe's pppoe is told
# -m 1452 so that it inspects every frame for SYNs, as pppoe-mss (clamping
# by default) does.  Compression is off on both ends (topology.sh and the
# AC's options: nodeflate nobsdcomp novj noccp).  The rounds interleave the
# clients, so that a change of load on the machine touches all of them.
#
# The iperf3 client runs on the gateway itself: ppp0's MTU gives its TCP an
# MSS of 1452 whatever the client, so the lab's black hole (which would stall
# the non-clamping kernel client from the LAN) does not come into it.  The
# server runs in the AC's namespace, at the session's far end.
#
# Figures go to "#" lines; the TAP lines only say that each transfer moved
# data.  UML runs everything on one virtual CPU and makes every user/kernel
# crossing expensive, and it has no BPF JIT (the clamp program runs in the
# interpreter), so the absolute figures mean little: the ratios, from the
# same run, are what counts.  Per transfer, a "# cpu" line tells where
# the CPU time went, as UML accounts it (processes of gw and ac, and the
# whole CPU's user/system/softirq/idle time); and throughput.marks lets
# tests/bench/lab-throughput.sh weigh each transfer against the CPU time the
# host gave UML, a figure that other load on the host barely changes.
#
# Knobs (tests/bench/lab-throughput.sh writes them): the file
# throughput.conf next to this run's directory may set TP_SECONDS (length
# of one transfer), TP_OMIT (seconds of warm-up left out), TP_ROUNDS,
# TP_CLIENTS and TP_IDLE (seconds of idling before and after each transfer).
. "$LAB_SRCDIR/tests/lab/topology.sh"
. "$LAB_SRCDIR/tests/lab/measure.sh"

TP_SECONDS=4
TP_OMIT=1
TP_ROUNDS=2
TP_CLIENTS="ebpf kernel kernel-tcpmss plugin rp-pty pty"
TP_IDLE=2
tp_conf=${LAB_DIR%/*}/throughput.conf
[ -f "$tp_conf" ] && . "$tp_conf"
TP_SERVER=$LAB_AC_IP
TP_PORT=5201

# What each client is called in the figures (tests/bench/lab-throughput.sh
# uses the same names).
tp_name() {
	case $1 in
	ebpf) echo "pppoe-mss.so-ebpf" ;;
	plugin) echo "pppoe-mss.so-relay" ;;
	rp-pty) echo "rp-pppoe-user" ;;
	kernel) echo "rp-pppoe.so-kernel" ;;
	kernel-tcpmss) echo "rp-pppoe.so+TCPMSS" ;;
	pty) echo "pppoe-mss-pty" ;;
	*) echo "$1" ;;
	esac
}

# The TCPMSS rules of kernel-tcpmss: SYNs leaving and entering ppp0 lowered
# to 1452, as the clamp does (TCPMSS --set-mss never raises an MSS).
tp_tcpmss_rules() {
	for tp_rule in "POSTROUTING -o ppp0" "PREROUTING -i ppp0"; do
		in_gw iptables-legacy -t mangle "$1" $tp_rule -p tcp --tcp-flags SYN,RST SYN \
			-j TCPMSS --set-mss 1452 || return 1
	done
}

# The clamp each client is started with: pppoe-mss's default, and the same
# work (inspect every frame, rewrite SYNs to 1452) asked of rp-pppoe.
tp_clamp() {
	case $1 in
	rp-pty) echo 1452 ;;
	kernel|kernel-tcpmss) echo off ;;
	*) echo auto ;;
	esac
}

command -v iperf3 >/dev/null 2>&1 || bail "throughput: iperf3 is installed (apt-get install iperf3)"
clients=
for client in $TP_CLIENTS; do
	case $client in
	plugin|ebpf)
		if [ ! -f "$LAB_BUILDDIR/plugin/.libs/pppoe-mss.so" ]; then
			diag "throughput: no plugin/.libs/pppoe-mss.so: the $client client is left out"
			continue
		fi
		;;
	esac
	clients="$clients $client"
done

lab_up || bail "lab: namespaces, web server and access concentrator up"

# tp_cpu_snapshot: "namespace:comm pid ticks" for every process of gw and
# ac, and "kernel:STATE - ticks" for the CPU's user, system, softirq and
# idle time.
tp_cpu_snapshot() {
	for ns in gw ac; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			comm=$(cat "/proc/$pid/comm" 2>/dev/null) || continue
			# After "pid (comm) ", the parent is field 2, utime and
			# stime are fields 12 and 13.  A child of a process of
			# the same name (the plugin's relay, forked by pppd) is
			# told apart as comm-child.
			sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null |
				awk -v key="$ns:$comm" -v pid="$pid" -v comm="$comm" '{
					parent = ""
					file = "/proc/" $2 "/comm"
					if ((getline parent < file) > 0 && parent == comm) key = key "-child"
					print key, pid, $12 + $13 }'
		done
	done
	awk '$1 == "cpu" {
		print "kernel:user -", $2 + $3
		print "kernel:system -", $4
		print "kernel:softirq -", $8
		print "kernel:idle -", $5 + $6 }' /proc/stat
}

# tp_cpu_report BEFORE AFTER: CPU seconds per namespace:comm between two
# snapshots, for the processes in both (iperf3's own come and go).
tp_cpu_report() {
	awk -v hz="$(getconf CLK_TCK)" '
		FNR == NR { before[$1 " " $2] = $3; next }
		($1 " " $2) in before {
			if (!($1 in spent)) order[n++] = $1
			spent[$1] += $3 - before[$1 " " $2]
		}
		END {
			for (i = 0; i < n; i++)
				printf "%s%s %.2f", (i ? ", " : ""), order[i], spent[order[i]] / hz
			print ""
		}' "$1" "$2"
}

# tp_ppp0_bytes up|down: bytes ppp0 on the gateway has sent (up) or
# received (down) so far.
tp_ppp0_bytes() {
	case $1 in
	up) counter=tx_bytes ;;
	*) counter=rx_bytes ;;
	esac
	in_gw cat "/sys/class/net/ppp0/statistics/$counter" 2>/dev/null
}

# tp_json_field FILE FIELD [BLOCK]: FIELD of BLOCK (default "sum_received":
# what the receiving end counted) of iperf3's JSON (pretty-printed, one key
# a line).  "sum_sent" has the sender's "retransmits", with -R too.
tp_json_field() {
	awk -v field="\"$2\":" -v block="\"${3:-sum_received}\":" '
		$1 == block { inside = 1; next }
		inside && $1 == field { gsub(/[^0-9.]/, "", $2); print $2; exit }' "$1"
}

# tp_ppp_packets up|down: "sent received" -- the frames the sending end's
# ppp interface sent so far in that direction and those the other end's
# received (up: gateway -> AC, down: AC -> gateway).
tp_ppp_packets() {
	ac_if=$(lab_ac_ppp_if)
	case $1 in
	up) sent=$(in_gw cat /sys/class/net/ppp0/statistics/tx_packets 2>/dev/null)
	    received=$(in_ac cat "/sys/class/net/$ac_if/statistics/rx_packets" 2>/dev/null) ;;
	*) sent=$(in_ac cat "/sys/class/net/$ac_if/statistics/tx_packets" 2>/dev/null)
	   received=$(in_gw cat /sys/class/net/ppp0/statistics/rx_packets 2>/dev/null) ;;
	esac
	echo "${sent:-0} ${received:-0}"
}

# tp_relay_drops: "pppd-busy socket-full" -- the frames pppoe-mss's relay
# dropped so far because pppd was not reading (pppoe-mss-sessions --json),
# "- -" when no session of ours publishes a status.
tp_relay_drops() {
	in_gw "$LAB_BUILDDIR/pppoe-mss-sessions" --json 2>/dev/null | awk '
		{ line = line $0 }
		END {
			if (line !~ /"dropped"/) { print "- -"; exit }
			busy = line; full = line
			if (sub(/.*"pppd_busy": */, "", busy)) sub(/[^0-9].*/, "", busy); else busy = 0
			if (sub(/.*"socket_full": */, "", full)) sub(/[^0-9].*/, "", full); else full = 0
			print busy + 0, full + 0
		}'
}

# tp_difference "A B" "C D": "C-A D-B", "- -" when either is "- -".
tp_difference() {
	echo "$1 $2" | awk '$1 == "-" || $3 == "-" { print "- -"; exit } { print $3 - $1, $4 - $2 }'
}

# tp_transfer CLIENT DIRECTION ROUND: one iperf3 run; its figures on "#"
# lines and in $LAB_DIR/throughput.figures ("client direction Mbit/s").
# $LAB_DIR/throughput.marks gets "client direction round start end bytes":
# the wall-clock times iperf3 ran between and the bytes ppp0 carried in
# that direction meanwhile.  The lab idles for TP_IDLE seconds on either
# side, so that tests/bench/lab-throughput.sh, which samples on the host
# the CPU time the host gives this UML, can tell what the transfer cost.
tp_transfer() {
	name=$(tp_name "$1")
	label="$name $2 round $3"
	json=$LAB_DIR/iperf3-$1-$2-$3.json
	reverse=
	[ "$2" = down ] && reverse=-R
	ip netns exec ac iperf3 -s -1 -p "$TP_PORT" </dev/null >>"$LAB_DIR/iperf3-server.log" 2>&1 &
	server=$!
	lab_wait 5 lab_listening ac "$TP_PORT" || {
		not_ok "$label: the iperf3 server listens in netns ac"
		kill "$server" 2>/dev/null
		return 1
	}
	tp_cpu_snapshot >/tmp/tp-cpu-before
	ppp0_before=$(tp_ppp0_bytes "$2")
	packets_before=$(tp_ppp_packets "$2")
	drops_before=$(tp_relay_drops)
	lab_log "+ iperf3 -c $TP_SERVER $reverse ($label)"
	sleep "$TP_IDLE"
	start=$(lab_now)
	in_gw timeout $((TP_SECONDS + TP_OMIT + 30)) iperf3 -c "$TP_SERVER" -p "$TP_PORT" $reverse \
		-t "$TP_SECONDS" -O "$TP_OMIT" --connect-timeout 5000 -J </dev/null >"$json" 2>>"$LAB_DIR/lab.log"
	status=$?
	end=$(lab_now)
	sleep "$TP_IDLE"
	ppp0_after=$(tp_ppp0_bytes "$2")
	packets_after=$(tp_ppp_packets "$2")
	drops_after=$(tp_relay_drops)
	tp_cpu_snapshot >/tmp/tp-cpu-after
	lab_wait 5 lab_not_running "$server" || kill "$server" 2>/dev/null
	wait "$server" 2>/dev/null
	bytes=$(tp_json_field "$json" bytes)
	bits=$(tp_json_field "$json" bits_per_second)
	seconds=$(tp_json_field "$json" seconds)
	mbps=$(awk -v bits="${bits:-0}" 'BEGIN { printf "%.2f", bits / 1e6 }')
	check "throughput: $label: iperf3 moved data (${bytes:-no} bytes, status $status)" \
		test "${bytes:-0}" -gt 0
	ppp0=$((${ppp0_after:-0} - ${ppp0_before:-0}))
	diag "throughput: $label: $mbps Mbit/s (${bytes:-0} bytes in ${seconds:-0} s; $ppp0 bytes on ppp0)"
	diag "cpu: $label: $(tp_cpu_report /tmp/tp-cpu-before /tmp/tp-cpu-after)"
	# Frames one ppp interface sent and the other never received were lost
	# on the way, whoever dropped them (for the user-space clients: mostly
	# the relay, or the kernel on its full socket).
	lost=$(echo "$packets_before $packets_after" |
		awk '{ sent = $3 - $1; printf "%d of %d", sent - ($4 - $2), sent }')
	drops=$(tp_difference "$drops_before" "$drops_after")
	retransmits=$(tp_json_field "$json" retransmits sum_sent)
	diag "drops: $label: $lost frames lost between the ppp interfaces;" \
		"relay dropped ${drops% *} (pppd busy) + ${drops#* } (socket full);" \
		"TCP retransmits ${retransmits:--}"
	[ "${bytes:-0}" != 0 ] && echo "$1 $2 $mbps" >>"$LAB_DIR/throughput.figures"
	echo "$1 $2 $3 $start $end $ppp0" >>"$LAB_DIR/throughput.marks"
	return 0
}

: >"$LAB_DIR/throughput.figures"
: >"$LAB_DIR/throughput.marks"
round=1
while [ "$round" -le "$TP_ROUNDS" ]; do
	for client in $clients; do
		name=$(tp_name "$client")
		lab_client_start "${client%-tcpmss}" "$(tp_clamp "$client")" ||
			bail "throughput: $name: PPP session up"
		if [ "$client" = kernel-tcpmss ]; then
			tp_tcpmss_rules -A || bail "throughput: $name: the TCPMSS rules (xt_TCPMSS)"
		fi
		for direction in up down; do
			tp_transfer "$client" "$direction" "$round"
		done
		[ "$client" = kernel-tcpmss ] && tp_tcpmss_rules -D
		lab_client_stop
		# The next session must not meet the AC still ending this one.
		lab_wait 5 lab_no_ac_ppp
	done
	round=$((round + 1))
done

# The summary: the mean over the rounds per client and direction, its
# spread, and the ratios of the targets: the kernel data path against
# rp-pppoe.so alone and with TCPMSS, the relay against both modes of
# rp-pppoe.
tp_names=
for client in $clients; do
	tp_names="$tp_names $client=$(tp_name "$client")"
done
awk -v order="$clients" -v names="$tp_names" '
	BEGIN {
		n = split(names, pairs, " ")
		for (i = 1; i <= n; i++) {
			split(pairs[i], pair, "=")
			name[pair[1]] = pair[2]
		}
	}
	{
		key = $1 " " $2
		sum[key] += $3; runs[key]++
		if (!(key in low) || $3 < low[key]) low[key] = $3
		if (!(key in high) || $3 > high[key]) high[key] = $3
	}
	END {
		n = split(order, clients, " ")
		split("ebpf kernel ebpf kernel-tcpmss plugin rp-pty plugin kernel", ratios, " ")
		for (d = 1; d <= 2; d++) {
			dir = d == 1 ? "up" : "down"
			for (i = 1; i <= n; i++) {
				key = clients[i] " " dir
				if (!(key in runs)) continue
				mean[key] = sum[key] / runs[key]
				printf "# throughput: %s %s %.2f Mbit/s (min %.2f, max %.2f, %d runs)\n",
					name[clients[i]], dir, mean[key], low[key], high[key], runs[key]
			}
			for (j = 1; j < 8; j += 2) {
				ours = ratios[j] " " dir; other = ratios[j + 1] " " dir
				if (mean[ours] && mean[other])
					printf "# ratio: %s/%s %s %.2f\n", name[ratios[j]], name[ratios[j + 1]],
						dir, mean[ours] / mean[other]
			}
		}
	}' "$LAB_DIR/throughput.figures"

rm -f /tmp/tp-cpu-before /tmp/tp-cpu-after
lab_down
exit 0
