#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The ISP lab's fault and soak scenarios, as make check runs them: the AC
# restarting, the Ethernet link flapping, a lossy and slow line (netem),
# pppd killed at random points, an AC that allows one session per MAC and
# a redial after each kind of kill (redial: pppd, the session's child, the
# whole process group, a reboot, a kill with the link down, a kill between
# PADR and PADS), the relay (or, for a session in the kernel, its
# guardian) killed, and 100 connect/disconnect cycles -- in one
# User-Mode Linux boot (tests/lab/uml-run), with every client under test.
# Prints TAP, with recovery times on "#" lines; exits 77 with "# cannot
# run: why" when this machine cannot host the lab.
#
# Clients: "pty" (pppd running pppoe-mss through its pty option) and, when
# it was built, the plugin (plugin/.libs/pppoe-mss.so) on its relay
# ("plugin") and in the kernel ("ebpf": guardian-kill instead of
# relay-kill); the cycles again with the plugin on pppd 2.5.2
# (tests/lab-peers.sh).
#
# Environment: BUILDDIR and SRCDIR (from make check's harness); LAB_CLIENTS
# overrides the clients (e.g. LAB_CLIENTS=plugin); LAB_FAULTS_SEED fixes
# the seed of sigkill-random's kill points (each run prints the one it
# used).
set -u

srcdir=${SRCDIR:-.}
builddir=${BUILDDIR:-.}

. "$srcdir/tests/lab/runs.sh"
clients=$(lab_clients "$builddir")

runs=
for client in $clients; do
	kill_scenario=relay-kill
	[ "$client" = ebpf ] && kill_scenario=guardian-kill
	runs="$runs $(lab_runs "ac-restart link-flap netem sigkill-random redial $kill_scenario cycles" "$client")"
done
# pppd 2.5.2 (tests/lab-peers.sh): the plugin's connect/disconnect cycles.
runs="$runs $(lab_runs cycles $(lab_pppd25_clients "plugin ebpf" $clients))"
# cycles bounds itself to 480 s; the others take well under two minutes.
exec sh "$srcdir/tests/lab/uml-run" --builddir "$builddir" --scenario-timeout 540 $runs
