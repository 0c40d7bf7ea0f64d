#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make bench, first part: tests/bench/relay_bench pushes frames through
# rp-pppoe's pppoe and through pppoe-mss, same workload, same run, and
# prints the table.  Everything runs in a network namespace of its own
# around a veth pair, torn down afterwards.
#
# Environment: BUILDDIR (where pppoe-mss and tests/bench/relay_bench were
# built), BENCH_REPEATS (default 5), BENCH_SCALE (frame counts, default 1),
# RP_PPPOE (rp-pppoe's pppoe; default: pppoe from PATH or /usr/sbin).
set -u

builddir=${BUILDDIR:-.}
program=$builddir/pppoe-mss
driver=$builddir/tests/bench/relay_bench
ns=pmss-bench-$$
ns_created=

cannot_run() {
	echo "relay benchmark skipped: $*"
	exit 0
}

cleanup() {
	[ -n "$ns_created" ] && ip netns delete "$ns" 2>/dev/null
}

in_ns() {
	ip netns exec "$ns" "$@"
}

[ "$(id -u)" -eq 0 ] || cannot_run "needs root for a network namespace and AF_PACKET"
[ -x "$program" ] || cannot_run "no pppoe-mss binary at $program"
[ -x "$driver" ] || cannot_run "no benchmark driver at $driver"
command -v ip >/dev/null 2>&1 || cannot_run "no ip command (iproute2)"

rp_pppoe=${RP_PPPOE:-$(PATH=$PATH:/usr/sbin:/sbin command -v pppoe)}
set --
if [ -n "$rp_pppoe" ] && [ -x "$rp_pppoe" ]; then
	set -- "rp-pppoe=$rp_pppoe"
else
	echo "# rp-pppoe's pppoe not found (Debian: apt-get install pppoe): pppoe-mss alone"
fi
set -- "$@" "pppoe-mss=$program"

trap cleanup EXIT
trap 'exit 1' INT TERM HUP
ip netns add "$ns" 2>/dev/null || cannot_run "'ip netns add' failed"
ns_created=yes
in_ns ip link add bmc0 type veth peer name bma0 2>/dev/null || cannot_run "cannot create a veth pair"
for dev in bmc0 bma0; do
	in_ns sh -c "echo 1 > /proc/sys/net/ipv6/conf/$dev/disable_ipv6" 2>/dev/null
done
in_ns ip link set bmc0 up && in_ns ip link set bma0 up || cannot_run "cannot bring the veth pair up"

echo "machine: $(uname -srm), $(grep -c ^processor /proc/cpuinfo) CPUs," \
	"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1); $(date -u '+%Y-%m-%d %H:%M UTC')"
[ -n "$rp_pppoe" ] && echo "rp-pppoe: $("$rp_pppoe" -V 2>&1 | head -n 1)"
in_ns "$driver" -r "${BENCH_REPEATS:-5}" -s "${BENCH_SCALE:-1}" bmc0 bma0 "$@"
