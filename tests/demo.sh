#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make demo: the standalone client at work on this machine, told in a few
# lines.  It runs tests/host_relay.sh -- the real pppoe-mss on a veth pair in
# a private network namespace, a pty standing in for pppd, a scripted access
# concentrator on the far end -- and picks out the story: discovery, SYNs
# leaving and arriving with MSS 1460, clamped to 1452 (IPv4) and 1432 (IPv6),
# and the PADT when the client stops.  (The full lab with real pppd and
# rp-pppoe's pppoe-server in User-Mode Linux replaces this when it lands.)
set -u

srcdir=${SRCDIR:-.}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "pppoe-mss demo: pppoe-mss between a pty (pppd's side) and a veth pair (the DSL modem's side)"
sh "$srcdir/tests/host_relay.sh" >"$log" 2>&1
status=$?
if [ "$status" -eq 77 ]; then
	sed -n 's/^# cannot run: /demo cannot run: /p' "$log"
	exit 1
fi

show() {
	grep -E "^ok [0-9]+ - ($1)" "$log" | head -n 1 | sed 's/^ok [0-9]* - /  /'
}
show "PADI is broadcast"
show "PADR echoes"
show "pppd -> AC: IPv4 SYN with MSS 1460 arrives with MSS 1452"
show "AC -> pppd: IPv4 SYN-ACK with MSS 1460 arrives with MSS 1452"
show "pppd -> AC: IPv6 SYN with MSS 1440 arrives with MSS 1432"
show "AC -> pppd: IPv6 SYN-ACK with MSS 1440 arrives with MSS 1432"
show "SIGTERM"

passed=$(grep -c '^ok ' "$log")
failed=$(grep -c '^not ok ' "$log")
if [ "$status" -eq 0 ] && [ "$failed" -eq 0 ]; then
	echo "verdict: pppoe-mss clamps SYNs in both directions to what a 1492-byte PPPoE link carries ($passed checks passed)"
	exit 0
fi
grep '^not ok ' "$log"
echo "verdict: FAILED -- $failed of $((passed + failed)) checks failed (full log: sh tests/host_relay.sh)"
exit 1
