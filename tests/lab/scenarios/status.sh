#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Live status: pppoe-mss-sessions (and its --json) against what the lab
# knows of the running session.  One session with the client under test,
# IPv4 and IPv6 up; through the black hole, a download and an upload over
# IPv4 and a download over IPv6, captured at the LAN host and at the web
# server.  Then every field of the session's JSON object is checked:
#
#   nic, our_mac, ac_mac   wan0 and the MACs of wan0 and the AC's sub0
#   session                the id pppoe-server logged creating for our MAC
#   ac_name                lab-ac (pppoe-server -C)
#   datapath               kernel (ebpf) or user (plugin, pty)
#   pid, pppd_pid          the process that carries the session (pty:
#                          pppoe-mss; plugin: its relay child; ebpf: its
#                          guardian) and pppd
#   started, uptime        between pppd's start and the session up; uptime
#                          is now - started (within a second)
#   mtu, mru               1492, as LCP negotiated them
#   mss                    1452 (IPv4) and 1432 (IPv6), both directions
#   clamped                per direction and family, the SYNs the captures
#                          saw cross with a larger MSS: outbound, the LAN
#                          host's SYNs above the limit in its capture;
#                          inbound, the web server's SYN-ACKs above it in
#                          its capture (and all of them arrived at or below
#                          the limit at the other end)
#   malformed              0 both ways
#   frames, bytes          relay (pty, plugin): frames both ways, bytes in
#                          at least the downloads', out at least the
#                          upload's; the kernel path counts none (0)
#   dropped                0 for every reason the network could cause (a
#                          clean segment); pppd-busy and socket-full on a
#                          "#" line
#
# The text output says the same in its head line ("wan0: session N with AC
# "lab-ac" (MAC)"), MTU/MRU and MSS lines.  Once pppd has stopped, no
# session is listed (JSON [], text "no PPPoE session is running") and the
# session's status file is gone from the run directory.
. "$LAB_SRCDIR/tests/lab/topology.sh"
. "$LAB_SRCDIR/tests/lab/measure.sh"
. "$LAB_SRCDIR/tests/lab/faults.sh"
. "$LAB_SRCDIR/tests/lab/records.sh"

# count_mss CAPTURE KIND FAMILY LIMIT: the KIND (SYN or SYN-ACK) frames of
# FAMILY (ipv4, ipv6) in LAB_DIR/CAPTURE.pcap with an MSS above LIMIT.
count_mss() {
	lab_scan "$LAB_DIR/$1.pcap" | awk -v kind="$2" -v family="$3" -v limit="$4" '
		$2 == kind && $6 == "mss" && $7 ~ /^[0-9]+$/ && $7 + 0 > limit + 0 {
			v6 = index($3, ":") > 0
			if ((family == "ipv6") == v6) n++
		}
		END { print n + 0 }'
}

# the_carrier: the process that carries the session's data and publishes
# its status.
the_carrier() {
	case $LAB_CLIENT in
	pty) faults_pids gw pppoe-mss ;;
	plugin) datapath_relay_of "$LAB_PPPD_PID" ;;
	ebpf) datapath_guardian_of "$LAB_PPPD_PID" ;;
	esac
}

# field PATH: the session's value at PATH in the last status_json.
field() {
	status_value "${index:-x}" "$1"
}

# check_field LABEL PATH EXPECTED: one TAP line.
check_field() {
	check "pppoe-mss-sessions --json: $2 is $3 ($1; it says '$(field "$2")')" \
		test "$(field "$2")" = "$3"
}

# all_clamps_at_most CAPTURE KIND LIMIT4 LIMIT6: every KIND frame in the
# capture has an MSS, at most the limit of its family.
all_clamps_at_most() {
	lab_scan "$LAB_DIR/$1.pcap" | awk -v kind="$2" -v l4="$3" -v l6="$4" '
		$2 == kind { n++; limit = index($3, ":") ? l6 : l4; if ($7 !~ /^[0-9]+$/ || $7 + 0 > limit + 0) bad++ }
		END { exit !(n > 0 && !bad) }'
}

case $LAB_CLIENT in
pty|plugin) datapath=user ;;
ebpf) datapath=kernel ;;
*) echo "not ok - status: a scenario of the pty, plugin and ebpf clients (not $LAB_CLIENT)"; exit 1 ;;
esac
lab_up || bail "lab: namespaces, web server and access concentrator up"
client_mac=$(faults_client_mac)
ac_mac=$(faults_ac_mac)
mark=$(($(syslog_lines) + 1))
before_start=$(date +%s)
lab_client_start "$LAB_CLIENT" auto && lab_ipv6_up || bail "$LAB_CLIENT client: a session with IPv4 and IPv6 up"
after_up=$(date +%s)
session=$(ac_last_session "$client_mac" "$mark")
carrier=$(the_carrier)
diag "$LAB_CLIENT client: session ${session:-?} (pppoe-server's log), pppd $LAB_PPPD_PID, carried by ${carrier:-?}"

# The traffic the counters must show.
transfers=
for transfer in "download http://10.77.3.2/blob IPv4 download" "upload http://10.77.3.2/cgi-bin/upload IPv4 upload" \
	"download http://[fd77:3::2]/blob IPv6 download"; do
	set -- $transfer
	label="$LAB_CLIENT client, $3 $4"
	lab_transfer "$1" "$2" 60 "$label"
	lab_check_transfer "$label" complete
	transfers="$transfers $(lab_file_name "$label")"
done
out4=0 out6=0 in4=0 in6=0
for capture in $transfers; do
	out4=$((out4 + $(count_mss "$capture-lan" SYN ipv4 1452)))
	out6=$((out6 + $(count_mss "$capture-lan" SYN ipv6 1432)))
	in4=$((in4 + $(count_mss "$capture-web" SYN-ACK ipv4 1452)))
	in6=$((in6 + $(count_mss "$capture-web" SYN-ACK ipv6 1432)))
	check "$capture: every SYN reaches the server, every SYN-ACK the LAN host, with MSS <= 1452 (IPv4), <= 1432 (IPv6)" \
		eval 'all_clamps_at_most "$capture-web" SYN 1452 1432 && all_clamps_at_most "$capture-lan" SYN-ACK 1452 1432'
done
diag "$LAB_CLIENT client: the captures saw SYNs above the limit leave the LAN host: IPv4 $out4, IPv6 $out6; SYN-ACKs above it leave the web server: IPv4 $in4, IPv6 $in6"

status_json
index=$(status_index "$session")
now=$(date +%s)
check "pppoe-mss-sessions --json: exit 0, one session listed, session $session (pppoe-server's log) (exit $STATUS_EXIT; sessions: $(status_sessions))" \
	eval '[ "$STATUS_EXIT" -eq 0 ] && [ "$(status_sessions)" = "$session" ] && [ "$index" = 0 ]'
check_field "the PPPoE interface" .nic "$LAB_WAN_IF"
check_field "the AC's name (pppoe-server -C)" .ac_name lab-ac
check_field "the AC's MAC" .ac_mac "$ac_mac"
check_field "wan0's MAC" .our_mac "$client_mac"
check_field "the $LAB_CLIENT client" .datapath "$datapath"
check_field "the process that carries the session" .pid "${carrier:-?}"
check_field "pppd (pty: not the shell pppd runs the pty command with)" .pppd_pid "$LAB_PPPD_PID"
started=$(field .started)
uptime=$(field .uptime)
check "pppoe-mss-sessions --json: .started ($started) falls between pppd's start ($before_start) and the session up ($after_up)" \
	eval '[ -n "$started" ] && [ "$started" -ge "$before_start" ] && [ "$started" -le "$after_up" ]'
check "pppoe-mss-sessions --json: .uptime ($uptime) is now ($now) - .started, within a second" \
	eval '[ -n "$uptime" ] && [ -n "$started" ] && d=$((now - started - uptime)) && [ "$d" -ge -1 ] && [ "$d" -le 1 ]'
check_field "LCP's MTU" .mtu 1492
check_field "LCP's MRU" .mru 1492
check_field "1492 - 40" .mss.outbound.ipv4 1452
check_field "1492 - 40" .mss.inbound.ipv4 1452
check_field "1492 - 60" .mss.outbound.ipv6 1432
check_field "1492 - 60" .mss.inbound.ipv6 1432
check_field "the LAN host's IPv4 SYNs above 1452 in its capture" .clamped.outbound.ipv4 "$out4"
check_field "the LAN host's IPv6 SYNs above 1432 in its capture" .clamped.outbound.ipv6 "$out6"
check_field "the web server's IPv4 SYN-ACKs above 1452 in its capture" .clamped.inbound.ipv4 "$in4"
check_field "the web server's IPv6 SYN-ACKs above 1432 in its capture" .clamped.inbound.ipv6 "$in6"
check_field "nothing malformed" .malformed.outbound 0
check_field "nothing malformed" .malformed.inbound 0
frames_out=$(field .frames.outbound)
frames_in=$(field .frames.inbound)
bytes_out=$(field .bytes.outbound)
bytes_in=$(field .bytes.inbound)
if [ "$datapath" = user ]; then
	check "pppoe-mss-sessions --json: the relay counted frames both ways ($frames_out out, $frames_in in), bytes in at least the two downloads' ($bytes_in >= $((2 * LAB_BLOB_SIZE))), out at least the upload's ($bytes_out >= $LAB_BLOB_SIZE)" \
		eval '[ "${frames_out:-0}" -gt 0 ] && [ "${frames_in:-0}" -gt 0 ] &&
			[ "${bytes_in:-0}" -ge $((2 * LAB_BLOB_SIZE)) ] && [ "${bytes_out:-0}" -ge "$LAB_BLOB_SIZE" ]'
else
	check "pppoe-mss-sessions --json: the kernel path counts no frames or bytes (frames $frames_out/$frames_in, bytes $bytes_out/$bytes_in)" \
		test "$frames_out $frames_in $bytes_out $bytes_in" = "0 0 0 0"
fi
for reason in not_session not_to_us wrong_ac wrong_session empty too_big; do
	check_field "a clean segment" ".dropped.$reason" 0
done
diag "$LAB_CLIENT client: pppoe-mss-sessions: frames $frames_out out, $frames_in in; bytes $bytes_out out, $bytes_in in; dropped because pppd was busy: $(field .dropped.pppd_busy), by the kernel on the full socket: $(field .dropped.socket_full)"

ip netns exec gw "$LAB_BUILDDIR/pppoe-mss-sessions" >"$LAB_DIR/status.txt" 2>>"$LAB_DIR/status.log"
text_exit=$?
head_line="$LAB_WAN_IF: session $session with AC \"lab-ac\" ($ac_mac)"
check "pppoe-mss-sessions: exit 0, its head line says '$head_line' ('$(head -n 1 "$LAB_DIR/status.txt")')" \
	eval '[ "$text_exit" -eq 0 ] && [ "$(head -n 1 "$LAB_DIR/status.txt")" = "$head_line" ]'
check "pppoe-mss-sessions: MTU/MRU 1492/1492, MSS limit outbound IPv4 1452, IPv6 1432; inbound IPv4 1452, IPv6 1432" \
	eval 'grep -q "^  MTU/MRU: *1492/1492\$" "$LAB_DIR/status.txt" &&
		grep -q "^  MSS limit: *outbound IPv4 1452, IPv6 1432; inbound IPv4 1452, IPv6 1432\$" "$LAB_DIR/status.txt"'
check "pppoe-mss-sessions: SYNs clamped outbound IPv4 $out4, IPv6 $out6; inbound IPv4 $in4, IPv6 $in6" \
	grep -q "^  SYNs clamped: *outbound IPv4 $out4, IPv6 $out6; inbound IPv4 $in4, IPv6 $in6\$" "$LAB_DIR/status.txt"

lab_client_stop TERM
status_json
ip netns exec gw "$LAB_BUILDDIR/pppoe-mss-sessions" >"$LAB_DIR/status-after.txt" 2>>"$LAB_DIR/status.log"
check "pppd stopped: pppoe-mss-sessions lists nothing (JSON: $(tr -d ' \n' <"$LAB_DIR/status.json"); text: '$(head -n 1 "$LAB_DIR/status-after.txt")')" \
	eval '[ "$STATUS_EXIT" -eq 0 ] && [ "$(tr -d " \n" <"$LAB_DIR/status.json")" = "[]" ] &&
		grep -q "^no PPPoE session is running" "$LAB_DIR/status-after.txt"'
# The session's own file ("wan0-1-<AC MAC, 12 hex digits>.status"); what
# earlier scenarios killed with no chance to withdraw theirs may lie beside
# it (/run lasts the whole boot), which pppoe-mss-sessions must not list.
status_file=$LAB_RUN_DIR/$LAB_WAN_IF-$session-$(echo "$ac_mac" | tr -d :).status
check "pppd stopped: its status file is gone (${status_file##*/}; $LAB_RUN_DIR holds: $(ls "$LAB_RUN_DIR" 2>/dev/null | tr '\n' ' '))" \
	test ! -e "$status_file"
lab_down
exit 0
