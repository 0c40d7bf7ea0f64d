# SPDX-License-Identifier: GPL-2.0-or-later
# What the lab's scenarios measure with, sourced after topology.sh: TAP
# lines, tcpdump captures read back with tests/lab/pcap_scan, and timed
# HTTP transfers from the LAN host.  tests/lab/init numbers the TAP lines
# of all scenarios of a run, so scenarios print "ok - ..." unnumbered.
#
# Environment: LAB_BUILDDIR, LAB_DIR, LAB_STALL_TIMEOUT (seconds a download
# may take before it counts as stalled).

LAB_CAPTURE_PIDS=

ok() {
	echo "ok - $*"
}

not_ok() {
	echo "not ok - $*"
}

diag() {
	echo "# $*"
}

# check DESCRIPTION COMMAND...: one TAP line for the command's status; what
# the command prints goes to the scenario's lab.log.
check() {
	check_description=$1
	shift
	lab_log "+ $*"
	if "$@" >>"$LAB_DIR/lab.log" 2>&1; then
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
	# --immediate-mode: hand every packet over at once, not a block at a
	# time, so that what was sent before lab_capture_stop is in the file.
	ip netns exec "$capture_ns" tcpdump -i "$capture_if" -n -s 200 -U --immediate-mode -Z root \
		-w "$LAB_DIR/$capture_name.pcap" "$@" 2>"$LAB_DIR/$capture_name.tcpdump.log" </dev/null &
	LAB_CAPTURE_PIDS="$LAB_CAPTURE_PIDS $!"
	# Packets sent before tcpdump listens would be missing.
	lab_wait 5 grep -q 'listening on' "$LAB_DIR/$capture_name.tcpdump.log" || {
		diag "tcpdump on $capture_ns/$capture_if did not start: $(cat "$LAB_DIR/$capture_name.tcpdump.log")"
		return 1
	}
}

# lab_file_name TEXT: TEXT as a file name ("pty, clamp off" -> pty-clamp-off).
lab_file_name() {
	echo "$1" | tr -cs 'A-Za-z0-9' - | sed 's/^-//; s/-$//'
}

lab_capture_stop() {
	[ -n "$LAB_CAPTURE_PIDS" ] || return 0
	# tcpdump drops what it has not read yet when told to stop: wait until
	# the captures have stopped growing.
	lab_wait 3 lab_captures_settled
	kill -TERM $LAB_CAPTURE_PIDS 2>/dev/null
	lab_wait 5 lab_none_running $LAB_CAPTURE_PIDS
	for pid in $LAB_CAPTURE_PIDS; do
		wait "$pid" 2>/dev/null
	done
	LAB_CAPTURE_PIDS=
}

lab_captures_settled() {
	sizes=$(cat "$LAB_DIR"/*.pcap 2>/dev/null | wc -c)
	sleep 0.3
	[ "$sizes" = "$(cat "$LAB_DIR"/*.pcap 2>/dev/null | wc -c)" ]
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
	LAB_DOWNLOADED=yes
	rm -f /tmp/lab-download
	download_start=$(lab_now)
	in_lan timeout "$2" busybox wget -q -O /tmp/lab-download "$1" 2>>"$LAB_DIR/lab.log"
	LAB_STATUS=$?
	LAB_SECONDS=$(lab_elapsed "$download_start")
	LAB_BYTES=$(wc -c </tmp/lab-download 2>/dev/null | tr -d ' ')
	LAB_BYTES=${LAB_BYTES:-0}
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
	LAB_DOWNLOADED=no
	upload_start=$(lab_now)
	answer=$(in_lan timeout "$2" busybox wget -q -O - --post-file "$LAB_WEB_ROOT/upload" "$1" 2>>"$LAB_DIR/lab.log")
	LAB_STATUS=$?
	LAB_SECONDS=$(lab_elapsed "$upload_start")
	lab_log "upload $1: the server answered '$answer'"
	case $answer in
	''|*[!0-9]*) LAB_BYTES=0 ;;
	*) LAB_BYTES=$answer ;;
	esac
	lab_log "upload $1: status $LAB_STATUS, server received $LAB_BYTES bytes in $LAB_SECONDS s"
}

lab_upload_complete() {
	[ "$LAB_STATUS" -eq 0 ] && [ "$LAB_BYTES" -eq "$LAB_BLOB_SIZE" ]
}

# lab_transfer download|upload URL SECONDS LABEL: one HTTP transfer of the
# 256 KiB file between the LAN host and the web server, with captures at
# both ends.  Sets what lab_download or lab_upload set, and LAB_SYN_MSS (the
# MSS of the SYNs as they reach the server) and LAB_SYNACK_MSS (of the
# SYN-ACKs as they reach the LAN host).
lab_transfer() {
	transfer_label=$4
	capture=$(lab_file_name "$transfer_label")
	lab_capture_start "$capture-web" web eth0 tcp port 80 &&
		lab_capture_start "$capture-lan" lan eth0 tcp port 80 ||
		bail "$transfer_label: captures started"
	if [ "$1" = download ]; then
		lab_download "$2" "$3"
	else
		lab_upload "$2" "$3"
	fi
	lab_capture_stop
	LAB_SYN_MSS=$(lab_mss "$capture-web" SYN)
	LAB_SYNACK_MSS=$(lab_mss "$capture-lan" SYN-ACK)
	diag "$transfer_label: $1 of $LAB_BYTES bytes in $LAB_SECONDS s; MSS of the SYN at the server: ${LAB_SYN_MSS:-none seen}, of the SYN-ACK at the LAN host: ${LAB_SYNACK_MSS:-none seen}"
}

# lab_check_transfer LABEL complete|stalled: how the last transfer ended.
lab_check_transfer() {
	case $2 in
	complete)
		if [ "$LAB_DOWNLOADED" = yes ]; then
			check "$1: 256 KiB download completes intact ($LAB_BYTES bytes in $LAB_SECONDS s)" \
				lab_download_intact
		else
			check "$1: 256 KiB upload completes ($LAB_BYTES bytes received in $LAB_SECONDS s)" \
				lab_upload_complete
		fi
		;;
	stalled)
		check "$1: 256 KiB download stalls: the black hole ($LAB_BYTES of $LAB_BLOB_SIZE bytes after $LAB_SECONDS s)" \
			lab_download_stalled
		;;
	esac
}

# lab_check_mss LABEL at-most|exactly N: the MSS of the last transfer's SYN
# at the server and SYN-ACK at the LAN host.
lab_check_mss() {
	if [ "$2" = exactly ]; then
		mss_test=lab_mss_all_equal
		mss_words="MSS $3"
	else
		mss_test=lab_mss_all_at_most
		mss_words="MSS <= $3"
	fi
	check "$1: SYN reaches the server with $mss_words (${LAB_SYN_MSS:-none})" \
		$mss_test "$LAB_SYN_MSS" "$3"
	check "$1: SYN-ACK reaches the LAN host with $mss_words (${LAB_SYNACK_MSS:-none})" \
		$mss_test "$LAB_SYNACK_MSS" "$3"
}

# lab_padt_delay CAPTURE SINCE MAC: seconds from SINCE to the first PADT
# from MAC in the capture $LAB_DIR/CAPTURE.pcap, or nothing yet.
lab_padt_delay() {
	lab_scan "$LAB_DIR/$1.pcap" | awk -v since="$2" -v mac="$3" '
		$2 == "PADT" && $5 == mac && $1 >= since { printf "%.2f", $1 - since; exit }'
}

lab_padt_seen() {
	[ -n "$(lab_padt_delay "$1" "$2" "$3")" ]
}

# lab_ac_process NAME: the pid of process NAME in netns ac (the AC runs one
# session at a time, so one pppd).
lab_ac_process() {
	for pid in $(ip netns pids ac); do
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$1" ] && echo "$pid"
	done
}
