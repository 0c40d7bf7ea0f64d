#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The real pppd loads pppoe-mss.so and parses its options.  This host's
# kernel has no PPP, so pppd stops at /dev/ppp after option parsing; that is
# exactly the part tested here (sessions are tested in the UML lab).  The
# interface is a veth in a private network namespace.
set -u

builddir=${BUILDDIR:-.}
plugin=$builddir/plugin/.libs/pppoe-mss.so
ns=pmss-plugin-$$

[ "$(id -u)" -eq 0 ] || { echo "# cannot run: needs root for a network namespace"; exit 77; }
command -v pppd >/dev/null 2>&1 || { echo "# cannot run: no pppd (apt-get install ppp)"; exit 77; }
[ -f "$plugin" ] || { echo "# cannot run: no plugin at $plugin"; exit 77; }
# A plugin built with --enable-sanitizers needs the ASan runtime loaded
# before anything else in pppd; pppd's own leaks at exit are not ours.
asan=$(ldd "$plugin" 2>/dev/null | awk '/libasan/ { print $3 }')
if [ -n "$asan" ]; then
	export LD_PRELOAD="$asan" ASAN_OPTIONS=detect_leaks=0
	echo "# the plugin is built with sanitizers: pppd runs with $asan preloaded"
fi
ip netns add "$ns" 2>/dev/null || { echo "# cannot run: 'ip netns add' failed"; exit 77; }
trap 'ip netns delete "$ns" 2>/dev/null' EXIT
ip -n "$ns" link add pmp0 type veth peer name pmp1 || exit 1

out=$(mktemp)
n=0
fail=0
# check EXPECTED-STATUS(or any) PATTERN DESCRIPTION -- pppd arguments
check() {
	expected=$1 pattern=$2 what=$3
	shift 4
	ip netns exec "$ns" timeout 10 pppd plugin "$plugin" "$@" nodetach dryrun >"$out" 2>&1
	status=$?
	n=$((n + 1))
	if { [ "$expected" = any ] || [ "$status" -eq "$expected" ]; } && grep -q -- "$pattern" "$out"; then
		echo "ok $n - $what"
	else
		echo "not ok $n - $what (status $status)"
		sed 's/^/# /' "$out"
		fail=1
	fi
}

echo "1..7"
check any "pppoe-mss plugin .* for pppd $(pppd --version 2>&1 | sed -n 's/^pppd version //p')" \
	"pppd loads the plugin, built for its own version" -- pmp0
# Past option parsing, pppd stops at the missing /dev/ppp: the options were accepted.
check any "/dev/ppp" "the device name, pppoe-mss N and pppoe-mss-ipv6 off are accepted" -- \
	pmp0 pppoe-mss 1400 pppoe-mss-ipv6 off
check any "/dev/ppp" "nic-<ifname> and the pppoe.so option names are accepted" -- \
	nic-pmp0 pppoe-service isp pppoe-ac ac1 pppoe-padi-timeout 2 pppoe-padi-attempts 2 \
	pppoe-verbose 1 rp_pppoe_service isp rp_pppoe_ac ac1 host-uniq 0a0b pppoe-sync
check 2 "pppoe-mss bogus: give auto, off, or an MSS from 88 to 65495" \
	"a bad pppoe-mss value is a clear option error" -- pmp0 pppoe-mss bogus
check 2 "pppoe-mss 87: give auto" "pppoe-mss below 88 is refused" -- pmp0 pppoe-mss 87
check 2 "pppoe-mss-ipv6 1e3: give auto" "a bad pppoe-mss-ipv6 value is a clear option error" -- \
	pmp0 pppoe-mss-ipv6 1e3
check 2 "unrecognized option 'pmp9'" "a word that is no Ethernet interface is not taken as the device" -- \
	pmp9
rm -f "$out"
exit "$fail"
