#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The full-path benchmark: iperf3 TCP through ppp0 in the UML lab, for
# pppoe-mss.so on its kernel data path (the clamp in eBPF) and on its
# user-space relay, rp-pppoe.so in kernel mode alone and with an iptables
# TCPMSS rule, rp-pppoe in user mode (pty "pppoe ..."), plus the standalone
# pppoe-mss for information, in one boot (tests/lab/scenarios/throughput.sh).
# Prints the scenario's TAP lines and then two tables, per client and
# direction, with the ratios: kernel path / rp-pppoe.so (target >= 0.95),
# kernel path / rp-pppoe.so + TCPMSS (>= 1.0), relay / rp-pppoe user mode
# and relay / rp-pppoe.so:
#
#   Mbit/s        what iperf3 measured (mean over the rounds, min-max);
#                 other load on the host slows it down, and not evenly
#   Mbit per      bits on ppp0 per second of host CPU time given to UML,
#   CPU-second    sampled here on the host: UML runs on one host CPU at a
#                 time, so this is what the throughput would be on an idle
#                 host, and other load barely changes it
#
# Informative: UML inflates every user/kernel crossing, so only ratios of
# one run compare, never the absolute figures.
#
#   tests/bench/lab-throughput.sh [--builddir DIR] [--results DIR]
#                                 [--seconds S] [--omit S] [--rounds N]
#                                 [--clients "ebpf kernel kernel-tcpmss plugin rp-pty pty"]
#
# Exit status: uml-run's (0 when every transfer moved data, 77 with
# "# cannot run: why" when this machine cannot host the lab).
set -u

here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/../.." && pwd)
builddir=${BUILDDIR:-.}
results=
seconds=4
omit=1
rounds=2
clients="ebpf kernel kernel-tcpmss plugin rp-pty pty"
# Seconds the lab idles before and after each transfer: long enough for the
# host CPU sampler below to take a sample in them even on a loaded host.
idle=2

usage() {
	sed -n '3,/^set -u/s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--builddir) builddir=${2:?}; shift 2 ;;
	--results) results=${2:?}; shift 2 ;;
	--seconds) seconds=${2:?}; shift 2 ;;
	--omit) omit=${2:?}; shift 2 ;;
	--rounds) rounds=${2:?}; shift 2 ;;
	--clients) clients=${2:?}; shift 2 ;;
	-h|--help) usage ;;
	*) echo "lab-throughput: unknown argument $1" >&2; usage ;;
	esac
done
for number in "$seconds" "$omit" "$rounds"; do
	case $number in
	''|*[!0-9]*) echo "lab-throughput: --seconds, --omit and --rounds take whole numbers" >&2; exit 2 ;;
	esac
done

# UML runs the host's own binaries: iperf3 and rp-pppoe's pppoe must be here.
for tool in iperf3 pppoe ps; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "# cannot run: no $tool (apt-get install iperf3 pppoe procps)"
		exit 77
	}
done
builddir=$(cd "$builddir" 2>/dev/null && pwd) || {
	echo "# cannot run: no build directory $builddir"
	exit 77
}

tmp=
if [ -z "$results" ]; then
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/pppoe-mss-lab-throughput.XXXXXX") || exit 1
	results=$tmp
fi
trap '[ -z "$tmp" ] || rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$results" || exit 1
results=$(cd "$results" && pwd) || exit 1
# The scenario reads its knobs from here (UML passes no environment).
printf "TP_SECONDS=%s\nTP_OMIT=%s\nTP_ROUNDS=%s\nTP_CLIENTS='%s'\nTP_IDLE=%s\n" \
	"$seconds" "$omit" "$rounds" "$clients" "$idle" >"$results/throughput.conf"

# The scenario runs every client itself; its own client only has to exist.
run=throughput@pty
[ -f "$builddir/plugin/.libs/pppoe-mss.so" ] && run=throughput@plugin
set -- $clients
transfers=$(($# * 2 * rounds))
# Per transfer: the run, the warm-up, iperf3's start and end, the idle
# margins; per session: discovery, PAP, IPCP and the goodbye.
limit=$((60 + transfers * (seconds + omit + 2 * idle + 12) + $# * rounds * 30))

# The host's CPU time given to this UML: every host process of its process
# group (uml-run starts linux.uml with setsid, and each guest address space
# is a host process of that group), the reaped ones included.
uml_group() {
	ps -ww -eo pgid=,args= | awk -v want="lab.dir=$results" '
		{ for (i = 2; i <= NF; i++) if ($i == want) { print $1; exit } }'
}

uml_cpu_ticks() {
	# After "pid (comm) ": the group is field 3; utime, stime, cutime and
	# cstime are fields 12 to 15.
	awk -v group="$1" '
		{ sub(/^.*\) /, ""); split($0, field, " ") }
		field[3] == group { ticks += field[12] + field[13] + field[14] + field[15] }
		END { if (ticks > 0) print ticks }' /proc/[0-9]*/stat 2>/dev/null
}

out=$results/uml-run.out
samples=$results/host-cpu
: >"$samples"
sh "$srcdir/tests/lab/uml-run" --builddir "$builddir" --results "$results" \
	--scenario-timeout "$limit" "$run" >"$out" 2>&1 &
uml_run=$!
# Ten samples a second ("wall-clock ticks") for as long as uml-run runs:
# its own watchdog bounds this loop.
group=
while kill -0 "$uml_run" 2>/dev/null; do
	[ -n "$group" ] || group=$(uml_group)
	if [ -n "$group" ]; then
		now=$(date +%s.%N)
		ticks=$(uml_cpu_ticks "$group")
		[ -z "$ticks" ] || echo "$now $ticks" >>"$samples"
	fi
	sleep 0.1
done
wait "$uml_run"
status=$?
cat "$out"
[ "$status" -eq 77 ] && exit 77

# Per transfer (throughput.marks: client direction round start end bytes),
# the host CPU time between the last sample before it started and the last
# before the lab went on after it, both from the idling the scenario leaves
# on either side (a sample outside it would count other work: the transfer
# then goes without a figure).  What is still in flight when iperf3 ends
# drains in the second margin: ppp0's bytes are read after it too.  The
# figure: Mbit on ppp0 per host CPU-second.
efficiency=$results/efficiency
cat "$results"/throughput-*/throughput.marks 2>/dev/null |
	awk -v hz="$(getconf CLK_TCK)" -v samples="$samples" -v figures="$efficiency" -v idle="$idle" '
	function name(c) {
		if (c == "ebpf") return "pppoe-mss.so-ebpf"
		if (c == "plugin") return "pppoe-mss.so-relay"
		if (c == "rp-pty") return "rp-pppoe-user"
		if (c == "kernel") return "rp-pppoe.so-kernel"
		if (c == "kernel-tcpmss") return "rp-pppoe.so+TCPMSS"
		if (c == "pty") return "pppoe-mss-pty"
		return c
	}
	BEGIN {
		printf "" >figures
		while ((getline line < samples) > 0) {
			split(line, part, " ")
			at[count] = part[1]; ticks[count] = part[2]; count++
		}
	}
	{
		client = $1; dir = $2; round = $3; start = $4; end = $5; bytes = $6
		before = -1; after = -1
		for (i = 0; i < count; i++) {
			if (at[i] <= start - 0.02 && at[i] >= start - idle + 0.05) before = i
			if (at[i] >= end + 0.02 && at[i] <= end + idle - 0.02) after = i
		}
		label = name(client) " " dir " round " round
		if (before < 0 || after < 0 || ticks[after] <= ticks[before]) {
			printf "# efficiency: %s: no host CPU samples in the idle margins\n", label
			next
		}
		cpu = (ticks[after] - ticks[before]) / hz
		value = bytes * 8 / 1e6 / cpu
		printf "# efficiency: %s: %.2f Mbit per host CPU-second (%d bytes on ppp0, %.2f s of host CPU in %.2f s)\n",
			label, value, bytes, cpu, end - start
		print name(client), dir, value >figures
	}' >"$out.efficiency"
# Their means, and the ratios, as the scenario gives them for Mbit/s.
awk '
	{
		key = $1 " " $2
		if (!(key in runs)) keys[n++] = key
		sum[key] += $3; runs[key]++
		if (!(key in low) || $3 < low[key]) low[key] = $3
		if (!(key in high) || $3 > high[key]) high[key] = $3
	}
	END {
		for (d = 1; d <= 2; d++) {
			dir = d == 1 ? "up" : "down"
			for (i = 0; i < n; i++) {
				key = keys[i]
				if (key !~ (" " dir "$")) continue
				mean[key] = sum[key] / runs[key]
				printf "# efficiency: %s %.2f Mbit per host CPU-second (min %.2f, max %.2f, %d runs)\n",
					key, mean[key], low[key], high[key], runs[key]
			}
			split("pppoe-mss.so-ebpf rp-pppoe.so-kernel pppoe-mss.so-ebpf rp-pppoe.so+TCPMSS " \
				"pppoe-mss.so-relay rp-pppoe-user pppoe-mss.so-relay rp-pppoe.so-kernel", pairs, " ")
			for (j = 1; j < 8; j += 2)
				if (mean[pairs[j] " " dir] && mean[pairs[j + 1] " " dir])
					printf "# cpu-ratio: %s/%s %s %.2f\n", pairs[j], pairs[j + 1], dir,
						mean[pairs[j] " " dir] / mean[pairs[j + 1] " " dir]
		}
	}' "$efficiency" >>"$out.efficiency"
cat "$out.efficiency"

cat "$out" "$out.efficiency" | awk '
	function remember(kind, value_field, low_field, high_field) {
		client = $3; dir = $4
		if (!(client in seen)) { seen[client] = 1; order[n++] = client }
		value[kind, client, dir] = $value_field
		spread[kind, client, dir] = $low_field "-" $high_field
		gsub(/,/, "", spread[kind, client, dir])
	}
	/^# throughput: [^ ]+ (up|down) [0-9.]+ Mbit\/s \(min/ { remember("rate", 5, 8, 10) }
	/^# efficiency: [^ ]+ (up|down) [0-9.]+ Mbit per host CPU-second \(min/ { remember("cpu", 5, 11, 13) }
	/^# ratio: / { ratio["rate", $3, $4] = $5 }
	/^# cpu-ratio: / { ratio["cpu", $3, $4] = $5 }
	function label(c) {
		if (c == "pppoe-mss.so-ebpf") return "pppoe-mss.so, kernel + eBPF clamp"
		if (c == "pppoe-mss.so-relay") return "pppoe-mss.so, user-space relay"
		if (c == "rp-pppoe-user") return "rp-pppoe user mode (pty pppoe)"
		if (c == "rp-pppoe.so-kernel") return "rp-pppoe.so kernel mode, no clamp"
		if (c == "rp-pppoe.so+TCPMSS") return "rp-pppoe.so + iptables TCPMSS"
		if (c == "pppoe-mss-pty") return "pppoe-mss standalone (pty)"
		return c
	}
	function table(kind, title,    i, d, c, dir, t, part, other, cell) {
		print ""
		print title
		printf "%-46s %-24s %-24s\n", "client", "up (gw -> ac)", "down (ac -> gw)"
		for (i = 0; i < n; i++) {
			c = order[i]
			printf "%-46s", label(c)
			for (d = 1; d <= 2; d++) {
				dir = d == 1 ? "up" : "down"
				cell = "      -"
				if ((kind, c, dir) in value)
					cell = sprintf("%7s (%s)", value[kind, c, dir], spread[kind, c, dir])
				printf " %-24s", cell
			}
			print ""
		}
		for (t = 1; t <= 4; t++) {
			split(targets[t], part, ":")
			other = part[1]
			printf "%-46s", "ratio " other
			for (d = 1; d <= 2; d++) {
				dir = d == 1 ? "up" : "down"
				cell = (kind, other, dir) in ratio ? ratio[kind, other, dir] : "-"
				printf " %7s%17s", cell, ""
			}
			printf "(target >= %s)\n", part[2]
		}
	}
	BEGIN {
		targets[1] = "pppoe-mss.so-ebpf/rp-pppoe.so-kernel:0.95"
		targets[2] = "pppoe-mss.so-ebpf/rp-pppoe.so+TCPMSS:1.0"
		targets[3] = "pppoe-mss.so-relay/rp-pppoe-user:1.5"
		targets[4] = "pppoe-mss.so-relay/rp-pppoe.so-kernel:0.9"
	}
	END {
		if (n == 0) { print "# lab-throughput: no figures (see above)"; exit }
		table("rate", "Full path in the UML lab, iperf3 TCP through ppp0: Mbit/s, mean (min-max)")
		table("cpu", "The same in Mbit per host CPU-second given to UML (other load on the host barely changes it)")
	}'
exit "$status"
