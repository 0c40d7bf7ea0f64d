#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make demo: the story pppoe-mss exists for, told in a few lines.  One boot
# of the ISP lab (tests/lab/uml-run: User-Mode Linux, real pppd, rp-pppoe's
# pppoe-server, an access concentrator that drops ICMP "fragmentation
# needed") brings a session up with the pppoe-mss.so plugin, then downloads
# 256 KiB from behind the gateway twice: through pppd's kernel-mode
# rp-pppoe.so, which does not clamp, and through pppoe-mss.
set -u

srcdir=${SRCDIR:-.}
builddir=${BUILDDIR:-.}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

client=plugin
[ -f "$builddir/plugin/.libs/pppoe-mss.so" ] || client=pty
echo "pppoe-mss demo: booting the ISP lab (User-Mode Linux: LAN host -> gateway with pppd -> access"
echo "concentrator dropping ICMP 'fragmentation needed' -> web server); this takes about a minute"
sh "$srcdir/tests/lab/uml-run" --builddir "$builddir" "session@$client" "before-after@$client" >"$log" 2>&1
status=$?
if [ "$status" -eq 77 ]; then
	sed -n 's/^# cannot run: /demo cannot run: /p' "$log"
	echo "(on a fresh Debian 12, as root: sh tests/bootstrap demo installs what it needs)"
	exit 1
fi

line() {
	grep -E "$1" "$log" | head -n 1 | sed -e 's/^ok [0-9]* - /  /' -e 's/^# /  /'
}
line "^ok [0-9]+ - $client client: PPP session up"
line "^ok [0-9]+ - ping from the LAN host to the web server"
line "^# before: "
line "^ok [0-9]+ - before: .*download stalls"
line "^# after: "
line "^ok [0-9]+ - after: .*download completes"

failed=$(grep -c '^not ok ' "$log")
verdict=$(sed -n 's/^# before\/after: //p' "$log" | head -n 1)
if [ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ -n "$verdict" ]; then
	echo "verdict: without clamping the download hangs; pppoe-mss fixes it ($verdict)"
	exit 0
fi
grep '^not ok ' "$log"
echo "verdict: FAILED -- the lab did not tell the story (full output: tests/lab/uml-run --builddir . session before-after)"
exit 1
