# SPDX-License-Identifier: GPL-2.0-or-later
# A hostile station on the client's Ethernet segment, for the scenarios
# hostile-discovery and hostile-session; sourced after topology.sh and
# measure.sh.  In ac, a bridge br0 without learning (ageing time 0: it
# floods every frame to every port, like a hub or a shared cable segment)
# joins three ports:
#
#   sub0    the gateway's wan0 at the other end (the client under test)
#   acp     to acb, where pppoe-server "lab-ac" listens (the real AC)
#   roguep  to rogue0, where tests/lab/rogue writes and listens
#
# So the rogue sees the client's PADIs and session frames, as an attacker
# on a shared segment would, and can send anything to the client.

LAB_AC_IF=acb
HOSTILE_ROGUE="$LAB_BUILDDIR/tests/lab/rogue"

hostile_segment_up() {
	lab_run ip -n ac link add br0 type bridge ageing_time 0 forward_delay 0 stp_state 0 &&
		lab_run ip -n ac link add acp type veth peer name acb &&
		lab_run ip -n ac link add roguep type veth peer name rogue0 || return 1
	for port in sub0 acp roguep; do
		lab_run ip -n ac link set "$port" master br0 || return 1
	done
	for link in br0 acp acb roguep rogue0; do
		in_ac sysctl -qw "net.ipv6.conf.$link.disable_ipv6=1"
		lab_run ip -n ac link set "$link" mtu 1500 up || return 1
	done
}

# hostile_up: the lab with the hub segment and the AC on acb.
hostile_up() {
	lab_write_ppp_config &&
		lab_netns_up &&
		lab_firewall_up &&
		hostile_segment_up &&
		lab_ac_up
}

hostile_mac() {
	ip -n "$1" -o link show dev "$2" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p'
}

# hostile_rogue ARGS...: the rogue on rogue0, in ac.
hostile_rogue() {
	in_ac "$HOSTILE_ROGUE" -i rogue0 "$@"
}

# hostile_delay_discovery MS: the AC's discovery frames (PADO, PADS) leave
# acb MS later; everything else at once.  It holds the client in each
# discovery state long enough for the rogue's frames to arrive there.
hostile_delay_discovery() {
	for module in sch_prio sch_netem cls_matchall; do
		[ -x /run/lab/modprobe ] && /run/lab/modprobe "$module" 2>/dev/null
	done
	lab_run in_ac tc qdisc add dev acb root handle 1: prio &&
		lab_run in_ac tc qdisc add dev acb parent 1:1 handle 10: netem delay "${1}ms" &&
		lab_run in_ac tc filter add dev acb parent 1: protocol 0x8863 prio 1 matchall classid 1:1
}

hostile_undelay_discovery() {
	lab_run in_ac tc qdisc del dev acb root
}

# The process that runs discovery and the relay: pppoe-mss for the pty
# client (one runs in the lab at a time); for the plugin, pppd itself
# during discovery and its relay child during the session.  A session in
# the kernel (ebpf) has no relay: its guardian child stands in for it here
# (it carries no frames, but reports the clamp's counters on SIGUSR1).
hostile_pty_pid() {
	pgrep -x pppoe-mss | head -n 1
}

hostile_relay_pid() {
	case $LAB_CLIENT in
	pty) hostile_pty_pid ;;
	plugin) pgrep -P "$LAB_PPPD_PID" -x pppoe-mss-relay | head -n 1 ;;
	ebpf) pgrep -P "$LAB_PPPD_PID" -x pppoe-mss-guard | head -n 1 ;;
	esac
}

# Where the client's own log lines land: the program logs to syslog (and
# to pppd's pty stderr), the plugin through pppd's log file.
hostile_client_log() {
	case $LAB_CLIENT in
	pty) echo "$LAB_DIR/syslog" ;;
	*) echo "$LAB_DIR/gw-pppd.log" ;;
	esac
}

# hostile_log_count TEXT: lines of the client's log containing TEXT.
hostile_log_count() {
	grep -cF -- "$1" "$(hostile_client_log)" 2>/dev/null || true
}

# hostile_counters FILE: asks the relay for its counters (SIGUSR1) and
# writes them to FILE as "reason|count" lines (relayed-in, relayed-out,
# clamped-in, clamped-out, one line per drop reason, lcp-acks-ignored; the
# guardian of a session in the kernel reports clamped-in, clamped-out and
# malformed, the IP packets its clamp left untouched; both report
# "ignored: REASON" per reason for the discovery frames they ignored, and
# ac-messages and ac-messages-not-logged for the AC's PADMs and PADNs).
# Fails when no new report appears within 3 s.
hostile_counters() {
	counters_pid=$(hostile_relay_pid)
	[ -n "$counters_pid" ] || return 1
	counters_before=$(hostile_log_count "MSS clamped:")
	kill -USR1 "$counters_pid" || return 1
	lab_wait 3 hostile_new_report "$counters_before" || return 1
	awk '
		/MSS clamped:/ { delete seen; block = 1
			if (match($0, /[0-9]+ inbound SYNs/)) seen["clamped-in"] = substr($0, RSTART, RLENGTH - 13)
			if (match($0, /[0-9]+ outbound,/)) seen["clamped-out"] = substr($0, RSTART, RLENGTH - 10)
			if (match($0, /in the kernel; [0-9]+ malformed/))
				seen["malformed"] = substr($0, RSTART + 15, RLENGTH - 25)
			next }
		block && /relayed [0-9]+ frames out/ {
			if (match($0, /\), [0-9]+ in/)) seen["relayed-in"] = substr($0, RSTART + 3, RLENGTH - 6)
			next }
		block && /dropped [0-9]+ frames: / {
			line = $0
			sub(/.*dropped /, "", line)
			count = line; sub(/ .*/, "", count)
			reason = line; sub(/^[0-9]+ frames: /, "", reason)
			seen[reason] = count
		}
		block && /ignored [0-9]+ discovery frames during the session: / {
			line = $0
			sub(/.*ignored /, "", line)
			count = line; sub(/ .*/, "", count)
			reason = line; sub(/^[0-9]+ discovery frames during the session: /, "", reason)
			seen["ignored: " reason] = count
		}
		block && /ignored [0-9]+ LCP Configure-Acks/ {
			if (match($0, /ignored [0-9]+ LCP/)) seen["lcp-acks-ignored"] = substr($0, RSTART + 8, RLENGTH - 12)
		}
		block && /messages from the access concentrator \(PADM, PADN\) during the session/ {
			if (match($0, /[0-9]+ messages from/)) seen["ac-messages"] = substr($0, RSTART, RLENGTH - 14)
			if (match($0, /[0-9]+ of them not logged/)) seen["ac-messages-not-logged"] = substr($0, RSTART, RLENGTH - 19)
		}
		END { for (k in seen) print k "|" seen[k] }' "$(hostile_client_log)" >"$1"
}

hostile_new_report() {
	[ "$(hostile_log_count "MSS clamped:")" -gt "$1" ]
}

# hostile_counter FILE REASON: the count of REASON in a counters file, 0
# when the relay did not mention it.
hostile_counter() {
	awk -F'|' -v reason="$2" '$1 == reason { print $2; found = 1 } END { if (!found) print 0 }' "$1"
}
