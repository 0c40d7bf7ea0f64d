#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The ISP lab under QEMU, as make check runs it: tests/lab's scenarios in
# one boot of the host's Debian kernel (tests/qemu/qemu-run), for what the
# User-Mode Linux lab cannot do.  Prints TAP; exits 77 with "# cannot run:
# why" when this machine cannot host it (no qemu-system-x86, no
# linux-image-amd64, not root, ...).  Nothing is measured: the CPU is
# emulated.
#
#   plain build      session, blackhole and fixed-mss in synchronous mode
#                    (n_hdlc): pty-sync (pppoe-mss -s, pppd's sync) and,
#                    when it was built, plugin-sync (pppoe-sync)
#   sanitizer build  (configure --enable-sanitizers: ASan needs the full
#                    address space UML lacks) session and blackhole with
#                    the clients under ASan and UBSan, asynchronous and
#                    synchronous: any report fails the run
#
# Environment: BUILDDIR and SRCDIR (from make check's harness); SANITIZER_BUILDDIR,
# a second build configured with --enable-sanitizers, adds its sanitizer
# runs to a plain build's boot; QEMU_LAB_RESULTS keeps the logs there.
set -u

srcdir=${SRCDIR:-.}
builddir=${BUILDDIR:-.}
sanitizer_builddir=${SANITIZER_BUILDDIR:-}

clients=pty
[ -f "$builddir/plugin/.libs/pppoe-mss.so" ] && clients="$clients plugin"

runs=
if ldd "$builddir/pppoe-mss" 2>/dev/null | grep -q libasan; then
	sanitizer_builddir=$builddir
else
	for client in $clients; do
		for scenario in session blackhole fixed-mss; do
			runs="$runs $scenario@$client-sync"
		done
	done
fi
if [ -n "$sanitizer_builddir" ]; then
	for client in $clients; do
		[ -f "$sanitizer_builddir/plugin/.libs/pppoe-mss.so" ] || [ "$client" = pty ] || continue
		runs="$runs session@$client-asan blackhole@$client-asan session@$client-sync-asan"
	done
	set -- --sanitizer-builddir "$sanitizer_builddir"
else
	set --
fi
[ -z "${QEMU_LAB_RESULTS:-}" ] || set -- "$@" --results "$QEMU_LAB_RESULTS"
exec sh "$srcdir/tests/qemu/qemu-run" --builddir "$builddir" "$@" $runs
