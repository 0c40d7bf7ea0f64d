#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 3, a fixed clamp: with -m 1400 (pppoe-mss 1400 in the plugin) the
# SYN arrives at the server and the SYN-ACK at the LAN host with MSS 1400
# exactly, and the download completes.
. "$LAB_SRCDIR/tests/lab/topology.sh"
. "$LAB_SRCDIR/tests/lab/measure.sh"

lab_up || bail "lab: namespaces, web server and access concentrator up"

label="$LAB_CLIENT, clamp 1400"
lab_client_start "$LAB_CLIENT" 1400 || bail "$label: PPP session up"
datapath_check_kernel "$label" 1400
lab_transfer download http://10.77.3.2/blob 60 "$label"
lab_check_transfer "$label" complete
lab_check_mss "$label" exactly 1400
lab_client_stop

lab_down
exit 0
