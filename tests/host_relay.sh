#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Host-level end-to-end test: tests/host_relay plays pppd (on a pty) and an
# access concentrator (on a veth end) around the real pppoe-mss binary.
# Everything runs in a network namespace of its own, so no frame reaches a
# real network and parallel runs do not meet.
#
# Environment: BUILDDIR (where pppoe-mss and tests/host_relay were built),
# SRCDIR (unused, passed by make check's harness), CAPTURE_DIR (optional: write
# the AC side's traffic to $CAPTURE_DIR/host_session.pcap with tcpdump).
# Exit status 77 with "# cannot run: ..." when this machine cannot host it.
set -u

builddir=${BUILDDIR:-.}
program=$builddir/pppoe-mss
tester=$builddir/tests/host_relay
ns=pmss-test-$$
client_if=pmc0
ac_if=pma0
tcpdump_pid=
capture_log=
ns_created=

cannot_run() {
	echo "# cannot run: $*"
	exit 77
}

cleanup() {
	if [ -n "$tcpdump_pid" ]; then
		kill "$tcpdump_pid" 2>/dev/null
		wait "$tcpdump_pid" 2>/dev/null
	fi
	[ -n "$capture_log" ] && rm -f "$capture_log"
	# Deleting the namespace takes the veth pair with it.
	[ -n "$ns_created" ] && ip netns delete "$ns" 2>/dev/null
}

in_ns() {
	ip netns exec "$ns" "$@"
}

[ "$(id -u)" -eq 0 ] || cannot_run "needs root for network namespaces and AF_PACKET"
[ -x "$program" ] || cannot_run "no pppoe-mss binary at $program"
[ -x "$tester" ] || cannot_run "no test program at $tester"
command -v ip >/dev/null 2>&1 || cannot_run "no ip command (iproute2)"

trap cleanup EXIT
trap 'exit 1' INT TERM HUP
ip netns add "$ns" 2>/dev/null || cannot_run "'ip netns add' failed (no network namespaces here?)"
ns_created=yes

in_ns ip link add "$client_if" type veth peer name "$ac_if" 2>/dev/null ||
	cannot_run "cannot create a veth pair (no veth support?)"
# IPv6 autoconfiguration would only add neighbour discovery chatter to the link.
for dev in "$client_if" "$ac_if"; do
	in_ns sh -c "echo 1 > /proc/sys/net/ipv6/conf/$dev/disable_ipv6" 2>/dev/null
done
in_ns ip link set "$client_if" up && in_ns ip link set "$ac_if" up ||
	cannot_run "cannot bring the veth pair up"

if [ -n "${CAPTURE_DIR:-}" ]; then
	if command -v tcpdump >/dev/null 2>&1 && mkdir -p "$CAPTURE_DIR"; then
		capture_log=$(mktemp)
		in_ns tcpdump -i "$ac_if" -U -w "$CAPTURE_DIR/host_session.pcap" 2>"$capture_log" &
		tcpdump_pid=$!
		# Frames sent before tcpdump listens would be missing from the capture.
		tries=0
		while [ "$tries" -lt 50 ] && ! grep -q 'listening on' "$capture_log" 2>/dev/null; do
			sleep 0.1
			tries=$((tries + 1))
		done
		grep -q 'listening on' "$capture_log" 2>/dev/null ||
			echo "# tcpdump did not start listening within 5 s: the capture may be incomplete"
	else
		echo "# CAPTURE_DIR is set but tcpdump is missing or $CAPTURE_DIR is not writable: no capture"
	fi
fi

in_ns "$tester" "$program" "$client_if" "$ac_if"
status=$?
if [ -n "$tcpdump_pid" ]; then
	# Let tcpdump write out what it has before the namespace goes away.
	kill "$tcpdump_pid" 2>/dev/null
	wait "$tcpdump_pid" 2>/dev/null
	tcpdump_pid=
fi
exit "$status"
