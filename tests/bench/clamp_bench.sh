#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make bench, second part: instructions per frame in the MSS clamp, counted
# by callgrind inside mss_clamp_ppp() (and what it calls) over N calls and
# over none; the difference divided by N is the figure.  Instruction counts
# do not depend on the machine's load, unlike the relay table.
#
# Environment: BUILDDIR (where tests/bench/clamp_bench was built),
# CLAMP_CALLS (N, default 100000).
set -u

builddir=${BUILDDIR:-.}
harness=$builddir/tests/bench/clamp_bench
calls=${CLAMP_CALLS:-100000}

if ! command -v valgrind >/dev/null 2>&1; then
	echo "clamp benchmark skipped: no valgrind (Debian: apt-get install valgrind)"
	exit 0
fi
[ -x "$harness" ] || { echo "clamp benchmark skipped: no $harness"; exit 0; }

out=$(mktemp -d) || exit 1
trap 'rm -rf "$out"' EXIT

# Instructions collected in the clamp for one run of the harness.
instructions() {
	valgrind --tool=callgrind --toggle-collect=mss_clamp_ppp \
		--callgrind-out-file="$out/callgrind" "$harness" "$1" "$2" >/dev/null 2>"$out/log" ||
		{ sed 's/^/# /' "$out/log" >&2; return 1; }
	sed -n 's/^summary: *\([0-9]*\).*/\1/p; s/^totals: *\([0-9]*\).*/\1/p' "$out/callgrind" | head -n 1
}

echo
echo "MSS clamp: instructions per frame in mss_clamp_ppp() (callgrind; (Ir with $calls calls - Ir with 0) / $calls)"
printf '%-20s %12s\n' "frame" "instructions"
for name in $("$harness" list); do
	with=$(instructions "$name" "$calls") || exit 1
	without=$(instructions "$name" 0) || exit 1
	awk -v name="$name" -v with="$with" -v without="$without" -v calls="$calls" \
		'BEGIN { printf "%-20s %12.1f\n", name, (with - without) / calls }'
done
