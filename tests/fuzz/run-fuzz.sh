#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds the libFuzzer targets (make fuzz-build) and runs each on a scratch
# copy of its corpus for FUZZ_SECONDS, after replaying its committed crash
# reproducers.  Speaks TAP, one line per target, with '#' lines giving the
# executions, exec/s and coverage from libFuzzer's final stats.
#   BUILDDIR, SRCDIR   where the build and the sources are (default .)
#   FUZZ_SECONDS       time per target (default 60)
#   FUZZ_TARGETS       which targets (default all)
#   FUZZ_JOBS          how many run at once (default: the number of CPUs)
#   FUZZ_MERGE=1       merge what a run found into tests/fuzz/corpus
#   FUZZ_CC            the compiler (default clang)
# Exit 77 ("cannot run") when clang or libFuzzer is missing.
set -u

builddir=${BUILDDIR:-.}
srcdir=${SRCDIR:-.}
seconds=${FUZZ_SECONDS:-60}
targets=${FUZZ_TARGETS:-clamp discovery hdlc lcp_snoop relay clamp_bpf session_status}
cc=${FUZZ_CC:-clang}
fuzz_jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
make=${MAKE:-make}

cannot_run() {
	echo "# cannot run: $*"
	exit 77
}

case $seconds in
'' | *[!0-9]*) echo "run-fuzz.sh: FUZZ_SECONDS must be a number of seconds" >&2; exit 2 ;;
esac
case $fuzz_jobs in
'' | *[!0-9]* | 0) echo "run-fuzz.sh: FUZZ_JOBS must be a number" >&2; exit 2 ;;
esac

command -v "${cc%% *}" >/dev/null 2>&1 || cannot_run "no $cc (apt-get install clang)"
[ -f "$builddir/Makefile" ] || cannot_run "no Makefile in $builddir (run ./configure)"

scratch=$(mktemp -d) || exit 1
trap 'rm -rf "$scratch"' EXIT INT TERM

# libFuzzer ships separately from clang on Debian (libclang-rt-<version>-dev).
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { return d && n; }\n' \
	>"$scratch/probe.c"
$cc -fsanitize=fuzzer,address,undefined -o "$scratch/probe" "$scratch/probe.c" \
	>"$scratch/probe.log" 2>&1 ||
	cannot_run "$cc cannot link libFuzzer (apt-get install libclang-rt-dev):" \
		"$(head -n 1 "$scratch/probe.log")"

if ! $make -C "$builddir" --no-print-directory fuzz-build FUZZ_CC="$cc" \
	>"$scratch/build.log" 2>&1; then
	sed 's/^/# /' "$scratch/build.log"
	echo "Bail out! the fuzz targets do not build"
	exit 1
fi

# The '#N DONE cov: ...' line (or the last '#N' line when it stopped early).
stat_field() {
	# $1: log, $2: field name as libFuzzer prints it (cov, ft)
	grep -a '^#[0-9]' "$1" | tail -n 1 | sed -n "s/.* $2: \([0-9]*\).*/\1/p"
}

stat_value() {
	# $1: log, $2: stat:: name
	sed -n "s/^stat::$2: *\([0-9]*\).*/\1/p" "$1" | tail -n 1
}

# fuzz_target N TARGET: one target's run, its TAP line and '#' lines on
# stdout; false when it failed.
fuzz_target() {
	n=$1
	target=$2
	program=$builddir/tests/fuzz/fuzz-$target
	corpus=$srcdir/tests/fuzz/corpus/$target
	regressions=$srcdir/tests/fuzz/regressions/$target
	artifacts=$builddir/tests/fuzz/artifacts/$target
	log=$scratch/$target.log
	mkdir -p "$artifacts" "$scratch/$target"

	# Every bug found so far must stay fixed: replay its reproducer first.
	if [ -d "$regressions" ] && [ -n "$(ls "$regressions")" ]; then
		if ! "$program" -runs=1 "$regressions"/* >"$log" 2>&1; then
			grep -a 'ERROR\|invariant\|runtime error\|Running:' "$log" | head -n 20 | sed 's/^/# /'
			echo "not ok $n - $target: a committed reproducer fails again"
			return 1
		fi
		echo "# $target: $(ls "$regressions" | wc -l | tr -d ' ') reproducers replayed"
	fi

	# A scratch copy, so the run does not add to the committed corpus.
	if [ -d "$corpus" ]; then
		cp "$corpus"/* "$scratch/$target/" 2>/dev/null
	fi
	"$program" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
		-artifact_prefix="$artifacts/" "$scratch/$target" >"$log" 2>&1
	status=$?

	execs=$(stat_value "$log" number_of_executed_units)
	rate=$(stat_value "$log" average_exec_per_sec)
	echo "# $target: ${execs:-?} executions, ${rate:-?} exec/s, cov: $(stat_field "$log" cov)" \
		"ft: $(stat_field "$log" ft), corpus $(ls "$scratch/$target" | wc -l | tr -d ' ') inputs" \
		"(${seconds}s)"
	if [ "$status" -ne 0 ]; then
		grep -a 'ERROR\|invariant broken\|runtime error\|Test unit written\|SUMMARY' "$log" |
			head -n 20 | sed 's/^/# /'
		echo "not ok $n - $target: finding, reproducer in $artifacts"
		return 1
	fi
	if [ "${FUZZ_MERGE:-0}" = 1 ]; then
		mkdir -p "$corpus"
		"$program" -merge=1 "$corpus" "$scratch/$target" >"$log.merge" 2>&1 ||
			echo "# $target: merging into $corpus failed"
		echo "# $target: corpus now $(ls "$corpus" | wc -l | tr -d ' ') inputs"
	fi
	echo "ok $n - $target"
}

# The targets run FUZZ_JOBS at a time (default: one per CPU), each for
# FUZZ_SECONDS; their lines come out in order.
set -- $targets
echo "1..$#"
n=0
batch=
for target in $targets; do
	n=$((n + 1))
	fuzz_target "$n" "$target" >"$scratch/$n.tap" &
	batch="$batch $!"
	if [ "$(echo $batch | wc -w)" -ge "$fuzz_jobs" ] || [ "$n" -eq $# ]; then
		wait $batch
		batch=
	fi
done
i=1
while [ "$i" -le "$n" ]; do
	cat "$scratch/$i.tap"
	i=$((i + 1))
done
! grep -q '^not ok' "$scratch"/*.tap
