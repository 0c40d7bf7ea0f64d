#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The ISP lab, as make check runs it: the scenarios of tests/lab/scenarios
# in one User-Mode Linux boot (tests/lab/uml-run), with real pppd, rp-pppoe's
# pppoe-server, NAT and a Path MTU black hole.  Prints TAP; exits 77 with
# "# cannot run: why" when this machine cannot host it (not root, no
# user-mode-linux, pppd, pppoe-server, ...).
#
# Each scenario runs with every client under test: "pty" (pppd running the
# standalone pppoe-mss through its pty option) and, when it was built, the
# plugin (pppd with plugin/.libs/pppoe-mss.so) on each of its data paths:
# "plugin" (the user-space relay) and "ebpf" (the kernel's PPPoE with the
# clamp in eBPF).  The before/after comparison with pppd's own kernel-mode
# rp-pppoe.so runs once, against the plugin on its relay when it runs, else
# the last client.  With the plugin, the pon/poff and network-scripts
# scenarios run on both paths (pppoe-datapath auto must choose the kernel);
# with the kernel path, two scenarios of its own: the fallback to the
# relay when the kernel lacks a module, and an IFB ingress-shaping recipe
# in ip-up.  With the pty client and the plugin on both paths: the live
# status (pppoe-mss-sessions) checked field by field, and two sessions on
# one NIC, one of them killed and restarted while the other carries on.
# Then the same clients on pppd 2.5.2 for the core scenarios, and RFC 4638
# (PPP-Max-Payload, a 1500-byte MTU) for the plugin with both pppds.
#
# Environment: BUILDDIR and SRCDIR (from make check's harness); LAB_CLIENTS
# overrides the clients (e.g. LAB_CLIENTS=plugin).
set -u

srcdir=${SRCDIR:-.}
builddir=${BUILDDIR:-.}

. "$srcdir/tests/lab/runs.sh"
clients=$(lab_clients "$builddir")

runs=$(lab_runs "session blackhole fixed-mss padt reconnect ipv6 discovery vlan" $clients)
for client in $clients; do
	case $client in
	pty|plugin|ebpf) runs="$runs status@$client two-sessions@$client" ;;
	esac
done
before_after=${clients##* }
case " $clients " in
*" plugin "*) before_after=plugin ;;
esac
# How users start the plugin: Debian's pon/poff with configs/peers/isp, and
# the network-scripts tools with configs/network-scripts/ifcfg-ppp0.
for client in plugin ebpf; do
	case " $clients " in
	*" $client "*) runs="$runs pon@$client ifcfg@$client" ;;
	esac
done
case " $clients " in
*" ebpf "*) runs="$runs datapath-fallback@ebpf ifb-shaping@ebpf" ;;
esac
# pppd 2.5.2 (tests/lab-peers.sh): the core scenarios with the plugin built
# for it on both data paths, pon/poff included, and the standalone program
# under its pty option; RFC 4638 (rp-pppoe 4.0's AC) with both pppds.
runs="$runs $(lab_runs "session blackhole" $(lab_pppd25_clients pty $clients))"
runs="$runs $(lab_runs "session blackhole fixed-mss padt reconnect ipv6 pon" $(lab_pppd25_clients "plugin ebpf" $clients))"
for client in plugin ebpf; do
	case " $clients " in
	*" $client "*) runs="$runs rfc4638@$client rfc4638@$client-pppd25" ;;
	esac
done
exec sh "$srcdir/tests/lab/uml-run" --builddir "$builddir" $runs "before-after@$before_after"
