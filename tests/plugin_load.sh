#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The real pppd loads pppoe-mss.so and parses its options.  This host's
# kernel has no PPP, so pppd stops at /dev/ppp after option parsing; that is
# exactly the part tested here (sessions are tested in the UML lab).  The
# interface is a veth in a private network namespace.  Some runs are a user's
# who may run the setuid pppd: what root alone may choose stays root's.
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
out=$(mktemp)
etc_ppp=$(mktemp -d)
trap 'ip netns delete "$ns" 2>/dev/null; rm -rf "$out" "$etc_ppp"' EXIT
ip -n "$ns" link add pmp0 type veth peer name pmp1 || exit 1

# A user who may run pppd but is not root: Debian's pppd is setuid root, for
# group dip.  Such a user starts the plugin from a peers file that root wrote
# (privileged options) and may add options on the command line (not
# privileged).  Those runs see, in a mount namespace of their own, an
# /etc/ppp that holds only our peers files.
pppd_path=$(command -v pppd)
dip_gid=$(getent group dip 2>/dev/null | cut -d: -f3)
user_cannot_run=
if [ ! -u "$pppd_path" ]; then
	user_cannot_run="pppd is not setuid root here"
elif [ -z "$dip_gid" ]; then
	user_cannot_run="no group dip"
elif ! command -v setpriv >/dev/null 2>&1 || ! command -v unshare >/dev/null 2>&1; then
	user_cannot_run="no setpriv or unshare (util-linux)"
elif [ -n "$asan" ]; then
	# A setuid pppd ignores the LD_PRELOAD a sanitizer build needs.  A copy
	# without the setuid bit parses the options with the same rights -- pppd
	# takes them from the real uid -- and then stops where it needs root
	# ("must be root to run ..., since it is not setuid-root").
	cp "$pppd_path" "$etc_ppp/pppd" && chmod 755 "$etc_ppp/pppd" && pppd_path=$etc_ppp/pppd ||
		user_cannot_run="cannot copy $pppd_path"
fi
mkdir "$etc_ppp/peers"
: >"$etc_ppp/options"
printf 'plugin %s\npmp0\nnoauth\n' "$(cd "$(dirname "$plugin")" && pwd)/pppoe-mss.so" \
	>"$etc_ppp/peers/pmss"
printf 'call pmss\npppoe-dump %s/dump\n' "$etc_ppp" >"$etc_ppp/peers/pmss-dump"
chmod -R a+rX "$etc_ppp"

n=0
fail=0
# check [--as-user] EXPECTED-STATUS(or any) PATTERN DESCRIPTION -- pppd arguments
# (--as-user: pppd run by that user, nobody in group dip, without "plugin")
check() {
	as_user=
	[ "$1" = --as-user ] && { as_user=yes; shift; }
	expected=$1 pattern=$2 what=$3
	shift 4
	n=$((n + 1))
	if [ -n "$as_user" ] && [ -n "$user_cannot_run" ]; then
		echo "ok $n - $what # SKIP $user_cannot_run"
		return
	fi
	if [ -n "$as_user" ]; then
		ip netns exec "$ns" unshare -m sh -c \
			'mount --bind "$1" /etc/ppp && gid=$2 && shift 2 &&
			 exec setpriv --reuid=65534 --regid="$gid" --clear-groups "$@"' \
			sh "$etc_ppp" "$dip_gid" timeout 10 "$pppd_path" "$@" nodetach dryrun >"$out" 2>&1
	else
		ip netns exec "$ns" timeout 10 pppd plugin "$plugin" "$@" nodetach dryrun >"$out" 2>&1
	fi
	status=$?
	if { [ "$expected" = any ] || [ "$status" -eq "$expected" ]; } && grep -q -- "$pattern" "$out"; then
		echo "ok $n - $what"
	else
		echo "not ok $n - $what (status $status)"
		sed 's/^/# /' "$out"
		fail=1
	fi
}

echo "1..12"
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
# The dump is opened as root and holds the PAP password: root's choice alone, as pppd's record.
check --as-user 2 "using the pppoe-dump option requires root privilege" \
	"a user who may run pppd cannot make root write a dump where the user likes" -- \
	call pmss pppoe-dump /etc/pmss-not-here
check --as-user 2 "using the pppoe-dump-max option requires root privilege" \
	"nor raise the dump's limit that root set" -- call pmss-dump pppoe-dump-max 1024
# Past option parsing: at the missing /dev/ppp (or, for the copy, at the root check).
check --as-user any "/dev/ppp\\|since it is not setuid-root" \
	"the same user may use a peers file that root wrote with pppoe-dump" -- \
	call pmss-dump
check any "/dev/ppp" "root may give pppoe-dump on the command line" -- \
	pmp0 pppoe-dump "$etc_ppp/dump"
check 2 "pppoe-dump-max value must be between 1 and 1024" "the dump's limit is 1 to 1024 MiB" -- \
	pmp0 pppoe-dump-max 2048
exit "$fail"
