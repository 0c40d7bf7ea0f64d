# SPDX-License-Identifier: GPL-2.0-or-later
# What the lab's scenarios measure with, sourced after topology.sh: TAP
# lines, tcpdump captures read back with tests/lab/pcap_scan, and timed
# HTTP transfers from the LAN host.  tests/lab/init numbers the TAP lines
# of all scenarios of a run, so scenarios print "ok - ..." unnumbered.
#
# Environment: LAB_BUILDDIR, LAB_DIR, LAB_STALL_TIMEOUT (seconds a download
# may take before it counts as stalled).

LAB_CAPTURE_PIDS=
LAB_FAILED=0

ok() {
	echo "ok - $*"
}

not_ok() {
	echo "not ok - $*"
	LAB_FAILED=$((LAB_FAILED + 1))
}

diag() {
	echo "# $*"
}

# check DESCRIPTION COMMAND...: one TAP line for the command's status.
check() {
	check_description=$1
	shift
	if "$@"; then
		ok "$check_description"
	else
		not_ok "$check_description"
	fi
}

# bail DESCRIPTION: a failure the rest of the scenario cannot go on from.
bail() {
	not_ok "$*"
	lab_capture_stop
	lab_down
	exit 1
}

# lab_elapsed START: seconds since START (from lab_now), to 0.01 s.
lab_elapsed() {
	awk -v start="$1" -v now="$(lab_now)" 'BEGIN { printf "%.2f", now - start }'
}

# lab_capture_start NAME NETNS INTERFACE FILTER...: tcpdump into
# $LAB_DIR/NAME.pcap until lab_capture_stop.  Headers are all the lab reads.
lab_capture_start() {
	capture_name=$1
	capture_ns=$2
	capture_if=$3
	shift 3
	# -Z root: Debian's tcpdump would otherwise write as user tcpdump.
	ip netns exec "$capture_ns" tcpdump -i "$capture_if" -n -s 200 -U -Z root \
		-w "$LAB_DIR/$capture_name.pcap" "$@" 2>"$LAB_DIR/$capture_name.tcpdump.log" </dev/null &
	LAB_CAPTURE_PIDS="$LAB_CAPTURE_PIDS $!"
	# Packets sent before tcpdump listens would be missing.
	lab_wait 5 grep -q 'listening on' "$LAB_DIR/$capture_name.tcpdump.log" || {
		diag "tcpdump on $capture_ns/$capture_if did not start: $(cat "$LAB_DIR/$capture_name.tcpdump.log")"
		return 1
	}
}

lab_capture_stop() {
	[ -n "$LAB_CAPTURE_PIDS" ] || return 0
	# tcpdump -U has written every packet already; SIGTERM lets it close
	# the file cleanly.
	kill -TERM $LAB_CAPTURE_PIDS 2>/dev/null
	lab_wait 5 lab_none_running $LAB_CAPTURE_PIDS
	for pid in $LAB_CAPTURE_PIDS; do
		wait "$pid" 2>/dev/null
	done
	LAB_CAPTURE_PIDS=
}

lab_scan() {
	"$LAB_BUILDDIR/tests/lab/pcap_scan" "$@" 2>>"$LAB_DIR/lab.log"
}

# lab_mss NAME KIND: the MSS values of every SYN or SYN-ACK (KIND) in
# capture NAME, distinct and in order, space-separated.
lab_mss() {
	lab_scan "$LAB_DIR/$1.pcap" | awk -v kind="$2" '
		$2 == kind && !seen[$NF]++ { printf "%s%s", sep, $NF; sep = " " }'
}

# lab_mss_all_at_most "VALUES" LIMIT: every value is a number <= LIMIT.
lab_mss_all_at_most() {
	[ -n "$1" ] || return 1
	for value in $1; do
		case $value in
		*[!0-9]*) return 1 ;;
		esac
		[ "$value" -le "$2" ] || return 1
	done
	return 0
}

# lab_mss_all_equal "VALUES" EXPECTED
lab_mss_all_equal() {
	[ "$1" = "$2" ]
}

# lab_download URL SECONDS: the LAN host fetches URL with busybox wget,
# given SECONDS.  Sets LAB_STATUS (0: complete, 124: still going when time
# was up), LAB_BYTES (bytes that arrived) and LAB_SECONDS.
lab_download() {
	rm -f /tmp/lab-download
	download_start=$(lab_now)
	in_lan timeout "$2" busybox wget -q -O /tmp/lab-download "$1" 2>>"$LAB_DIR/lab.log"
	LAB_STATUS=$?
	LAB_SECONDS=$(lab_elapsed "$download_start")
	LAB_BYTES=$(wc -c </tmp/lab-download 2>/dev/null || echo 0)
	LAB_BYTES=$(echo $LAB_BYTES)
	lab_log "download $1: status $LAB_STATUS, $LAB_BYTES bytes in $LAB_SECONDS s"
}

# The download is complete and identical to what the server holds.
lab_download_intact() {
	[ "$LAB_STATUS" -eq 0 ] && cmp -s /tmp/lab-download "$LAB_WEB_ROOT/blob"
}

lab_download_stalled() {
	[ "$LAB_STATUS" -eq 124 ] && [ "$LAB_BYTES" -lt "$LAB_BLOB_SIZE" ]
}

# lab_upload URL SECONDS: the LAN host POSTs the 256 KiB file to the
# server's counting CGI.  Sets LAB_STATUS, LAB_BYTES (what the server says
# it received) and LAB_SECONDS.
lab_upload() {
	upload_start=$(lab_now)
	LAB_BYTES=$(in_lan timeout "$2" busybox wget -q -O - --post-file "$LAB_WEB_ROOT/blob" "$1" 2>>"$LAB_DIR/lab.log")
	LAB_STATUS=$?
	LAB_SECONDS=$(lab_elapsed "$upload_start")
	LAB_BYTES=$(echo $LAB_BYTES | tr -cd 0-9)
	LAB_BYTES=${LAB_BYTES:-0}
	lab_log "upload $1: status $LAB_STATUS, server received $LAB_BYTES bytes in $LAB_SECONDS s"
}

lab_upload_complete() {
	[ "$LAB_STATUS" -eq 0 ] && [ "$LAB_BYTES" -eq "$LAB_BLOB_SIZE" ]
}

# lab_transfer_clamped DIRECTION URL LIMIT LABEL: one TCP transfer
# (download or upload) with captures at the server and at the LAN host,
# checked to complete and to show MSS values <= LIMIT at both ends.
lab_transfer_clamped() {
	transfer=$1
	url=$2
	limit=$3
	label=$4
	lab_capture_start "$label-web" web eth0 tcp port 80 &&
		lab_capture_start "$label-lan" lan eth0 tcp port 80 ||
		bail "$label: captures started"
	if [ "$transfer" = download ]; then
		lab_download "$url" 60
		check "$label: 256 KiB download completes intact ($LAB_BYTES bytes in $LAB_SECONDS s)" \
			lab_download_intact
	else
		lab_upload "$url" 60
		check "$label: 256 KiB upload completes ($LAB_BYTES bytes received in $LAB_SECONDS s)" \
			lab_upload_complete
	fi
	lab_capture_stop
	syn=$(lab_mss "$label-web" SYN)
	synack=$(lab_mss "$label-lan" SYN-ACK)
	diag "$label: MSS of the SYN at the server: ${syn:-none seen}; of the SYN-ACK at the LAN host: ${synack:-none seen}"
	check "$label: SYN reaches the server with MSS <= $limit (${syn:-none})" \
		lab_mss_all_at_most "$syn" "$limit"
	check "$label: SYN-ACK reaches the LAN host with MSS <= $limit (${synack:-none})" \
		lab_mss_all_at_most "$synack" "$limit"
}

# lab_transfer_stalls URL LABEL MSS: the download hangs, and the SYN and
# SYN-ACK arrive with the unclamped MSS: the black hole, reproduced.
lab_transfer_stalls() {
	url=$1
	label=$2
	unclamped=$3
	lab_capture_start "$label-web" web eth0 tcp port 80 &&
		lab_capture_start "$label-lan" lan eth0 tcp port 80 ||
		bail "$label: captures started"
	lab_download "$url" "$LAB_STALL_TIMEOUT"
	lab_capture_stop
	check "$label: 256 KiB download stalls, the black hole ($LAB_BYTES of $LAB_BLOB_SIZE bytes after $LAB_SECONDS s)" \
		lab_download_stalled
	syn=$(lab_mss "$label-web" SYN)
	synack=$(lab_mss "$label-lan" SYN-ACK)
	diag "$label: MSS of the SYN at the server: ${syn:-none seen}; of the SYN-ACK at the LAN host: ${synack:-none seen}"
	check "$label: SYN reaches the server unclamped, MSS $unclamped (${syn:-none})" \
		lab_mss_all_equal "$syn" "$unclamped"
	check "$label: SYN-ACK reaches the LAN host unclamped, MSS $unclamped (${synack:-none})" \
		lab_mss_all_equal "$synack" "$unclamped"
}
