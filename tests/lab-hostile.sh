#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The ISP lab's hostile segment: the scenarios hostile-discovery and
# hostile-session (tests/lab/scenarios/hostile-*.sh) in one User-Mode Linux
# boot (tests/lab/uml-run), with every client under test -- "pty" (pppd
# running the standalone pppoe-mss) and, when it was built, "plugin".  A
# rogue station (tests/lab/rogue) on the client's Ethernet segment floods
# discovery with malformed and misleading frames, attacks the running
# session with spoofed PADTs and session frames, and sends malformed TCP
# SYNs through it as the access concentrator.  Prints TAP; exits 77 with
# "# cannot run: why" when this machine cannot host the lab.
#
# Environment: BUILDDIR and SRCDIR (from make check's harness); LAB_CLIENTS
# overrides the clients (e.g. LAB_CLIENTS=plugin).
set -u

srcdir=${SRCDIR:-.}
builddir=${BUILDDIR:-.}

if [ ! -x "$builddir/tests/lab/rogue" ]; then
	echo "# cannot run: no $builddir/tests/lab/rogue (make check builds it)"
	exit 77
fi

. "$srcdir/tests/lab/runs.sh"
clients=$(lab_clients "$builddir")

runs=$(lab_runs "hostile-discovery hostile-session" $clients)
exec sh "$srcdir/tests/lab/uml-run" --builddir "$builddir" $runs
