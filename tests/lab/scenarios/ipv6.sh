#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The black hole and the clamp over IPv6: IPV6CP on the session, the LAN's
# prefix routed to the gateway, ICMPv6 "packet too big" dropped at the AC.
# Clamping off: the download from [fd77:3::2] stalls with MSS 1440 (1500 -
# 60).  Automatic clamp: it completes with MSS <= 1432 at both ends.  A
# fixed -m 1400 gives IPv6 1380 (the IPv6 header is 20 bytes longer).
. "$LAB_SRCDIR/tests/lab/topology.sh"
. "$LAB_SRCDIR/tests/lab/measure.sh"

url='http://[fd77:3::2]/blob'
lab_up || bail "lab: namespaces, web server and access concentrator up"

label="IPv6, $LAB_CLIENT, clamp off"
lab_client_start "$LAB_CLIENT" off && lab_ipv6_up || bail "$label: PPP session with IPv6 up"
check "IPv6: ping from the LAN host to the web server across the session" \
	in_lan busybox ping -q -c 3 -w 5 fd77:3::2
lab_transfer download "$url" "$LAB_STALL_TIMEOUT" "$label"
lab_check_transfer "$label" stalled
lab_check_mss "$label" exactly 1440
lab_client_stop

label="IPv6, $LAB_CLIENT, clamp auto"
lab_client_start "$LAB_CLIENT" auto && lab_ipv6_up || bail "$label: PPP session with IPv6 up"
datapath_check_kernel "$label" auto
lab_transfer download "$url" 60 "$label"
lab_check_transfer "$label" complete
lab_check_mss "$label" at-most 1432
lab_client_stop

label="IPv6, $LAB_CLIENT, clamp 1400"
lab_client_start "$LAB_CLIENT" 1400 && lab_ipv6_up || bail "$label: PPP session with IPv6 up"
lab_transfer download "$url" 60 "$label"
lab_check_transfer "$label" complete
lab_check_mss "$label" exactly 1380
lab_client_stop

lab_down
exit 0
