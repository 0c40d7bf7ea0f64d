#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 7, before and after: the same gateway, the same download, first
# with pppd's kernel-mode PPPoE (rp-pppoe.so, which does not clamp): it
# stalls; then with pppoe-mss ($LAB_CLIENT client, default clamp): it
# completes.
. "$LAB_SRCDIR/tests/lab/topology.sh"
. "$LAB_SRCDIR/tests/lab/measure.sh"

lab_up || bail "lab: namespaces, web server and access concentrator up"

label="before: kernel-mode rp-pppoe.so"
lab_client_start kernel off || bail "$label: PPP session up"
lab_transfer download http://10.77.3.2/blob "$LAB_STALL_TIMEOUT" "$label"
lab_check_transfer "$label" stalled
lab_check_mss "$label" exactly 1460
before="$LAB_BYTES bytes in $LAB_SECONDS s"
lab_client_stop

label="after: pppoe-mss ($LAB_CLIENT)"
lab_client_start "$LAB_CLIENT" auto || bail "$label: PPP session up"
lab_transfer download http://10.77.3.2/blob 60 "$label"
lab_check_transfer "$label" complete
lab_check_mss "$label" at-most 1452
after="$LAB_BYTES bytes in $LAB_SECONDS s"
lab_client_stop

diag "before/after: rp-pppoe.so got $before (stalled); pppoe-mss got $after"
lab_down
exit 0
