#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The ISP lab, as make check runs it: every scenario of tests/lab/scenarios
# in one User-Mode Linux boot (tests/lab/uml-run), with real pppd, rp-pppoe's
# pppoe-server, NAT and a Path MTU black hole.  Prints TAP; exits 77 with
# "# cannot run: why" when this machine cannot host it (not root, no
# user-mode-linux, pppd, pppoe-server, ...).
#
# Environment: BUILDDIR and SRCDIR (from tests/run-tests); LAB_CLIENTS, the
# clients that run the scenarios (default "pty": pppd with pppoe-mss through
# its pty option; "plugin" adds pppd with plugin/.libs/pppoe-mss.so).
set -u

srcdir=${SRCDIR:-.}
builddir=${BUILDDIR:-.}
clients=${LAB_CLIENTS:-pty}

runs=
for client in $clients; do
	for scenario in session blackhole fixed-mss padt before-after ipv6; do
		runs="$runs $scenario@$client"
	done
done
exec sh "$srcdir/tests/lab/uml-run" --builddir "$builddir" $runs
