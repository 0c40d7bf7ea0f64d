#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 2, the black hole: the AC drops ICMP "fragmentation needed", so
# Path MTU discovery cannot help.  With clamping off, a 256 KiB download
# from the LAN host stalls: the server's 1500-byte segments never cross the
# 1492-byte session -- the lab reproduces the failure.  With the default
# automatic clamp, the download and an upload complete, and the SYN reaches
# the server and the SYN-ACK the LAN host with an MSS of at most 1452.
# In the kernel (ebpf) the clamp is an eBPF program on wan0: no filter
# with clamping off, one each way with it on.
. "$LAB_SRCDIR/tests/lab/topology.sh"
. "$LAB_SRCDIR/tests/lab/measure.sh"

lab_up || bail "lab: namespaces, web server and access concentrator up"

label="$LAB_CLIENT, clamp off"
lab_client_start "$LAB_CLIENT" off || bail "$label: PPP session up"
datapath_check_kernel "$label" off
lab_transfer download http://10.77.3.2/blob "$LAB_STALL_TIMEOUT" "$label"
lab_check_transfer "$label" stalled
lab_check_mss "$label" exactly 1460
lab_client_stop

label="$LAB_CLIENT, clamp auto"
lab_client_start "$LAB_CLIENT" auto || bail "$label: PPP session up"
datapath_check_kernel "$label" auto
lab_transfer download http://10.77.3.2/blob 60 "$label"
lab_check_transfer "$label" complete
lab_check_mss "$label" at-most 1452
label="$LAB_CLIENT, clamp auto, upload"
lab_transfer upload http://10.77.3.2/cgi-bin/upload 60 "$label"
lab_check_transfer "$label" complete
lab_check_mss "$label" at-most 1452
lab_client_stop

lab_down
exit 0
