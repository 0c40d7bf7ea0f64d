#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make bench, second part: instructions per frame in the MSS clamp, counted
# by callgrind inside clamp_ppp() (and what it calls) over N calls and
# over none; the difference divided by N is the figure.  Instruction counts
# do not depend on the machine's load, unlike the relay table.  Next to
# them, nanoseconds per frame: clamp.c, and the tc clamp program of the
# kernel data path on the same frames, timed by the kernel (BPF_PROG_TEST_RUN
# with repeat, and one run per call, which rewriting SYNs need; root).
#
# Environment: BUILDDIR (where tests/bench/clamp_bench was built),
# CLAMP_CALLS (N, default 100000), CLAMP_TIMED (frames timed, default 1000000).
set -u

builddir=${BUILDDIR:-.}
harness=$builddir/tests/bench/clamp_bench
calls=${CLAMP_CALLS:-100000}
timed=${CLAMP_TIMED:-1000000}

if ! command -v valgrind >/dev/null 2>&1; then
	echo "clamp benchmark skipped: no valgrind (Debian: apt-get install valgrind)"
	exit 0
fi
[ -x "$harness" ] || { echo "clamp benchmark skipped: no $harness"; exit 0; }

out=$(mktemp -d) || exit 1
trap 'rm -rf "$out"' EXIT

# Instructions collected in the clamp for one run of the harness.
instructions() {
	valgrind --tool=callgrind --toggle-collect=clamp_ppp \
		--callgrind-out-file="$out/callgrind" "$harness" "$1" "$2" >/dev/null 2>"$out/log" ||
		{ sed 's/^/# /' "$out/log" >&2; return 1; }
	sed -n 's/^summary: *\([0-9]*\).*/\1/p; s/^totals: *\([0-9]*\).*/\1/p' "$out/callgrind" | head -n 1
}

# "CASE clamp.c-ns eBPF-ns eBPF-ns-one-by-one" per case ('-' where there is none).
"$harness" ns "$timed" >"$out/ns" 2>"$out/ns.log" || { sed 's/^/# /' "$out/ns.log" >&2; exit 1; }

echo
echo "MSS clamp: instructions per frame in clamp_ppp() (callgrind; (Ir with $calls calls - Ir with 0) / $calls),"
echo "and ns per frame over $timed frames: clamp.c, and the tc program (eBPF) by BPF_PROG_TEST_RUN"
echo "repeated, and one run per call (adds the kernel's timer reads; the only way to time rewrites)"
printf '%-20s %12s %12s %12s %12s\n' "frame" "instructions" "clamp.c ns" "eBPF ns" "eBPF 1-by-1"
for name in $("$harness" list); do
	with=$(instructions "$name" "$calls") || exit 1
	without=$(instructions "$name" 0) || exit 1
	set -- $(awk -v name="$name" '$1 == name { print $2, $3, $4 }' "$out/ns") - - -
	awk -v name="$name" -v with="$with" -v without="$without" -v calls="$calls" \
		-v c="$1" -v bpf="$2" -v single="$3" \
		'BEGIN { printf "%-20s %12.1f %12s %12s %12s\n", name, (with - without) / calls, c, bpf, single }'
done
if [ -s "$out/ns.log" ]; then
	sed 's/^/# /' "$out/ns.log"
fi
