#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Fault scenario: a PADT for every ending, proved by an access concentrator
# that allows one session per client MAC (pppoe-server -x 1: it ignores the
# PADIs and PADRs of a MAC that holds a session) and by a redial right
# after each kind of kill.  The AC's pppd has no LCP echo, so a session the
# client does not end with a PADT stays at the AC for good, and with -x 1
# no new session could ever come: every redial that comes up shows that
# the old session was ended.  (The AC's pppd ends a session 1 s after
# pppoe-server stops it -- lcp-restart 1, lcp-max-terminate 1 -- as a
# real AC frees the slot at once; the client retries its discovery after
# 1 s: pppoe-mss -t 1, the plugin's pppoe-padi-timeout 1.)  pppd runs with
# persist and in a process group of its own.  The kinds, in this order:
#
#   control      with a session up, a second pppd on the same NIC: the AC
#                turns it away (its log says so) and it gets no session;
#                its start leaves the first session's record alone (held
#                by a live client): no PADT, the first session goes on
#   pppd         pppd killed with SIGKILL in the session: the PADT comes
#                from what outlives it (pppoe-mss behind the pty, the
#                plugin's relay child, the kernel session's guardian)
#   child        the session's child killed with SIGKILL: pty, pppoe-mss
#                (its guardian sends the PADT, pppd redials by itself);
#                plugin, the relay (pppd sends the PADT and redials);
#                ebpf, the guardian -- the session goes on in the kernel --
#                and then pppd: nothing is left to send the PADT, so the
#                next start ends the session first (as for group)
#   group        SIGKILL to the whole process group (pppd, its relay or
#                guardian, pppoe-mss): no PADT, the AC keeps the session,
#                its record stays behind, free; the next start says "a
#                session left over on wan0 (session N with access
#                concentrator MAC): ending it with a PADT before
#                discovery", sends that PADT before its first PADI, and
#                comes up
#   reboot       as group, and then what a reboot changes on the gateway:
#                the run directory (a tmpfs) is emptied, the record's file
#                name names a live process that is not the client (pids
#                start again after a reboot: only the record's lock tells
#                a live client), wan0 goes down and up; the state
#                directory stays.  The AC, another box, keeps its
#                session.  The next start ends it and comes up, and
#                pppoe-mss-sessions shows the new session only.  (Within
#                one UML boot: a second boot would cost the lab a boot,
#                and what it would add is what this does -- every process
#                and so every lock gone, /run empty, the pids new, the NIC
#                reset; the state directory is a plain directory either
#                way, on the host: the run's results/state, which a later
#                uml-run --state-dir DIR boot would find as it was left.)
#   link-down    pppd killed with SIGKILL while wan0 is down: the PADT
#                cannot go out; what outlives pppd retries every second,
#                and when wan0 is up again 2 s later the PADT reaches the
#                AC within 2 s -- the retry's, not the next start's (which
#                says nothing of that session); nothing of the old client
#                is left once it went
#   discovery    the AC's discovery frames held back 1 s (netem), the
#                process that does discovery (pppd with the plugin,
#                pppoe-mss behind the pty) killed with SIGKILL as soon as
#                the capture at the AC shows its PADR, before the PADS
#                comes (both checked in the capture): the guardian answers
#                the late PADS with a PADT within 2 s and says "a PADS for
#                session N arrived after ... was gone: ending it with a
#                PADT"
#
# After every kill but control: the old session's PADT (from the client's
# MAC, to the AC's, with the old session id) within 2 s of the kill (of
# the PADS, of wan0 up) or, when nothing outlived the kill, before the next
# start's first PADI; pppoe-server logs the old session closed and its pppd
# ends; the redial is up within 20 s, and the AC holds it alone; wan0 has
# one session record, the new session's, with both MACs, held; the old
# record is gone.  How many PADIs and PADRs the AC turned away meanwhile,
# and the times, are on "#" lines.
. "$LAB_SRCDIR/tests/lab/topology.sh"
. "$LAB_SRCDIR/tests/lab/measure.sh"
. "$LAB_SRCDIR/tests/lab/faults.sh"
. "$LAB_SRCDIR/tests/lab/records.sh"

# How long the AC holds its discovery frames back in the discovery kind, in
# ms: the kill follows the PADR within a few tenths of a second, the PADS
# comes this long after the PADR.
DISCOVERY_DELAY=1000

LAB_AC_OPTS="-x 1"
LAB_AC_PPPD_OPTIONS="lcp-restart 1
lcp-max-terminate 1"
case $LAB_CLIENT in
pty) LAB_CLIENT_OPTS="-t 1" ;;
plugin|ebpf) LAB_CLIENT_OPTS="pppoe-padi-timeout 1" ;;
*) echo "not ok - redial: a scenario of the pty, plugin and ebpf clients (not $LAB_CLIENT)"; exit 1 ;;
esac
LAB_PPPD_SETSID=yes
export LAB_AC_OPTS LAB_AC_PPPD_OPTIONS LAB_CLIENT_OPTS LAB_PPPD_SETSID

# ---- what the capture of the AC's side says ----

# frames SINCE: the capture's discovery frames from SINCE on.
frames() {
	lab_scan "$LAB_DIR/redial.pcap" | awk -v since="$1" '$1 >= since'
}

# first_frame SINCE CODE SOURCE: "time session" of the first CODE frame
# from SOURCE at or after SINCE.
first_frame() {
	frames "$1" | awk -v code="$2" -v mac="$3" '$2 == code && $5 == mac { print $1, $4; exit }'
}

# padt_time SESSION SINCE: when the first PADT for SESSION from the client
# to the AC came, at or after SINCE.
padt_time() {
	frames "$2" | awk -v s="$1" -v from="$client_mac" -v to="$ac_mac" '
		$2 == "PADT" && $4 == s && $5 == from && $7 == to { print $1; exit }'
}

padt_seen() {
	[ -n "$(padt_time "$@")" ]
}

# ---- what the client says ----

# client_said TEXT: the gateway's clients logged TEXT (a fixed string, any
# case) since the marks of the kill (pppd_mark, syslog_mark).
client_said() {
	SYSLOG_MARK=$syslog_mark client_log_since "$pppd_mark" | grep -qiF "$1"
}

# ---- the session and what holds it ----

# learn_session: the facts of the session just up -- its id (from the
# AC's log), the AC's pppd for it, its records, the gateway's processes.
learn_session() {
	session=$(ac_last_session "$client_mac")
	ac_pppd=$(faults_ac_pppd_for "$session")
	records=$(records_files "$LAB_WAN_IF" | tr '\n' ' ')
	gw_pids=$(ip netns pids gw | tr '\n' ' ')
	index=$(faults_ppp0_index)
}

# start_session: pppd with the client, up (lab_client_start: 20 s); sets
# up_at.
start_session() {
	lab_wait 5 lab_no_ppp0
	LAB_PPPD_EXTRA="$FAULTS_PPPD_OPTIONS" lab_client_start "$LAB_CLIENT" auto
	start_status=$?
	up_at=$(lab_now)
	return "$start_status"
}

# mark: where the logs are now, and the time; what a kill is measured from.
mark() {
	syslog_mark=$(syslog_lines)
	pppd_mark=$(lab_line_count "$LAB_DIR/gw-pppd.log")
	ac_mark=$((syslog_mark + 1))
	up_at=
	killed=$(lab_now)
}

# gone PIDS...: none of them runs any more (zombies count as gone).
gone() {
	for pid in "$@"; do
		state=
		{ read -r state <"/proc/$pid/stat"; } 2>/dev/null
		state=${state##*) }
		case $state in ''|Z*) ;; *) return 1 ;; esac
	done
}

# pppd_gone: the pppd of the session killed has ended (reaped: it is this
# shell's child unless a background start launched it).
pppd_gone() {
	lab_wait 5 gone "$1"
	wait "$1" 2>/dev/null
	LAB_PPPD_PID=
}

# the one session record of LAB_WAN_IF is the new session's, as it should
# be, and held
record_is_new_session() {
	new_records=$(records_files "$LAB_WAN_IF")
	[ "$(faults_count $new_records)" -eq 1 ] &&
		record_matches "$new_records" "$LAB_WAN_IF" "$new_session" "$ac_mac" "$client_mac" &&
		record_held "$new_records"
}

# old_records_gone: none of the records the old session had is left, but
# for the new session's one record when it has the same name (the plugin
# names it after pppd, which redials itself: the record is written anew).
# After record_is_new_session (new_records).
old_records_gone() {
	for record in $records; do
		[ ! -e "$record" ] || [ "$record" = "$new_records" ] || return 1
	done
	return 0
}

ac_holds_new_only() {
	[ "$(faults_ac_pppd_count)" -eq 1 ] && [ -n "$(faults_ac_pppd_for "$new_session")" ] &&
		{ [ -z "$ac_pppd" ] || lab_not_running "$ac_pppd"; }
}

# records_all_free / records_all_held: the old session's records (there is
# one at least) are all there, none held / all held.
records_all_free() {
	[ -n "$records" ] || return 1
	for record in $records; do
		[ -f "$record" ] && ! record_held "$record" || return 1
	done
}

records_all_held() {
	[ -n "$records" ] || return 1
	for record in $records; do
		record_held "$record" || return 1
	done
}

# check_padt LABEL SINCE: the old session's PADT within 2 s of SINCE.
check_padt() {
	lab_wait 3 padt_seen "$session" "$2"
	padt=$(padt_time "$session" "$2")
	padt_after=$(faults_seconds "$2" "${padt:-$2}")
	check "$1: the client's PADT for session $session reaches the AC within 2 s (${padt:+$padt_after s})" \
		eval '[ -n "$padt" ] && faults_at_most "$padt_after" 2'
}

# check_left_behind LABEL: nothing outlived the kill: 2 s on, no PADT for
# the session, the AC still holds it, its record is there and free.
check_left_behind() {
	sleep 2
	lab_wait 3 lab_captures_settled
	check "$1: nothing outlives the kill: no PADT for session $session within 2 s ($(padt_time "$session" "$killed"))" \
		test -z "$(padt_time "$session" "$killed")"
	check "$1: the AC still holds session $session (its pppd $ac_pppd)" \
		eval '[ -n "$ac_pppd" ] && ! lab_not_running "$ac_pppd"'
	check "$1: the session's record stays behind, held by nobody ($(records_describe "$LAB_WAN_IF"))" \
		records_all_free
}

# check_leftover_ended LABEL STARTED: the start at STARTED said it ended the
# session left over, and its PADT came before its first PADI.
check_leftover_ended() {
	lab_wait 3 lab_captures_settled
	check "$1: the new start says 'a session left over on $LAB_WAN_IF (session $session with access concentrator $ac_mac): ending it with a PADT before discovery'" \
		client_said "a session left over on $LAB_WAN_IF (session $session with access concentrator $ac_mac): ending it with a PADT before discovery"
	padt=$(padt_time "$session" "$2")
	set -- "$1" "$2" $(first_frame "$2" PADI "$client_mac")
	padi=${3:-}
	check "$1: its PADT for session $session (from $client_mac to $ac_mac) goes out before its first PADI (PADT ${padt:+$(faults_seconds "$2" "$padt") s}${padt:-none}, PADI ${padi:+$(faults_seconds "$2" "$padi") s}${padi:-none} after the start)" \
		eval '[ -n "$padt" ] && [ -n "$padi" ] && awk -v t="$padt" -v i="$padi" "BEGIN { exit !(t < i) }"'
}

# check_redial LABEL: the AC ended the old session, the redial is up and
# alone at the AC, the records are the new session's; "#" line with times.
check_redial() {
	lab_wait 20 eval 'lab_session_up && [ "$(faults_ppp0_index)" != "$index" ]'
	[ -n "$up_at" ] || up_at=$(lab_now)
	up_after=$(faults_seconds "$killed" "$up_at")
	lab_wait 10 eval 'ac_closed "$session" "$ac_mark" && { [ -z "$ac_pppd" ] || lab_not_running "$ac_pppd"; }'
	check "$1: the AC ends session $session (pppoe-server logs it closed, its pppd ${ac_pppd:-(gone already)} ends)" \
		eval 'ac_closed "$session" "$ac_mark" && { [ -z "$ac_pppd" ] || lab_not_running "$ac_pppd"; }'
	new_session=$(ac_last_session "$client_mac" "$ac_mark")
	check "$1: the redial is up ($up_after s after the kill), session ${new_session:-none}, which the AC created after it closed session $session" \
		eval 'lab_session_up && [ "$(faults_ppp0_index)" != "$index" ] && [ -n "$new_session" ] &&
			ac_closed_before_last_created "$session" "$client_mac" "$ac_mark"'
	lab_wait 5 ac_holds_new_only
	check "$1: the AC holds the new session alone (its pppds: $(faults_ac_pppds))" ac_holds_new_only
	lab_wait 3 eval 'record_is_new_session && old_records_gone'
	check "$1: $LAB_WAN_IF has one session record, session $new_session's with both MACs, held; the old one is gone ($(records_describe "$LAB_WAN_IF"))" \
		eval 'record_is_new_session && old_records_gone'
	padt_text=none
	[ -z "$padt" ] || padt_text="at the AC $(faults_seconds "$killed" "$padt") s after the kill"
	diag "$1: session $session: PADT $padt_text; redial up $up_after s after the kill (session $new_session); the AC turned away $(ac_refusals "$client_mac" "$ac_mark") PADI/PADR meanwhile"
	LAB_PPPD_PID=$(faults_pids gw pppd)
	learn_session
}

[ -n "$LAB_STATE_DIR" ] || bail "redial: the build's state directory (statedir in $LAB_BUILDDIR/Makefile)"
lab_up || bail "lab: namespaces, web server and access concentrator (pppoe-server -x 1) up"
for module in sch_prio sch_netem cls_u32; do
	/run/lab/modprobe "$module" 2>/dev/null
done
lab_capture_start redial ac "$LAB_AC_IF" ether proto 0x8863 || bail "redial: capture on the AC's $LAB_AC_IF"
client_mac=$(faults_client_mac)
ac_mac=$(faults_ac_mac)

start_session || bail "$LAB_CLIENT client: a first session, up"
learn_session
diag "$LAB_CLIENT client: first session $session (pppd $LAB_PPPD_PID, the AC's pppd $ac_pppd); records: $(records_describe "$LAB_WAN_IF"); process groups on the gateway: $(faults_gw_groups)"

# ---- control: the AC takes one session per MAC ----
label="$LAB_CLIENT client, control"
mark
before=$(ip netns pids gw | tr '\n' ' ')
lab_other_pppd_start gw2 1
lab_wait 8 eval '[ "$(ac_refusals "$client_mac" "$ac_mark")" -ge 1 ]'
refused=$(ac_refusals "$client_mac" "$ac_mark")
kill -TERM "$LAB_OTHER_PPPD_PID" 2>/dev/null
lab_wait 10 lab_not_running "$LAB_OTHER_PPPD_PID"
kill -KILL "$LAB_OTHER_PPPD_PID" 2>/dev/null
wait "$LAB_OTHER_PPPD_PID" 2>/dev/null
# What the second pppd started may wait a while for a late PADS (it sent no
# PADR: none comes).
faults_wait_time 15 eval '[ "$(ip netns pids gw | tr "\n" " ")" = "$before" ]'
check "$label: the second pppd and all it started end ($FAULTS_TOOK s after its SIGTERM; the gateway runs: $(ip netns pids gw | tr '\n' ' '))" \
	test "$(ip netns pids gw | tr '\n' ' ')" = "$before"
check "$label: a second pppd on $LAB_WAN_IF while session $session is up: the AC turns it away ($refused PADI/PADR) and creates no session" \
	eval '[ "$refused" -ge 1 ] && [ -z "$(ac_created_sessions "$client_mac" "$ac_mark")" ]'
lab_wait 3 lab_captures_settled
check "$label: the second start leaves session $session alone: no PADT, still up on the same ppp0, its record held ($(records_describe "$LAB_WAN_IF"))" \
	eval '[ -z "$(padt_time "$session" "$killed")" ] && lab_session_up && [ "$(faults_ppp0_index)" = "$index" ] &&
		records_all_held'
check "$label: the second start does not take session $session for one left over" \
	eval '! client_said "session left over on $LAB_WAN_IF (session $session "'

# ---- pppd killed in the session ----
label="$LAB_CLIENT client, pppd killed in the session"
mark
kill -KILL "$LAB_PPPD_PID"
pppd_gone "$LAB_PPPD_PID"
start_session
check_padt "$label" "$killed"
check_redial "$label"

# ---- the session's child killed ----
case $LAB_CLIENT in
pty)
	label="pty client, pppoe-mss killed in the session"
	child=$(faults_pids gw pppoe-mss)
	mark
	kill -KILL $child
	check_padt "$label" "$killed"
	check_redial "$label"
	;;
plugin)
	label="plugin client, the relay killed in the session"
	child=$(datapath_relay_of "$LAB_PPPD_PID")
	mark
	kill -KILL $child
	check_padt "$label" "$killed"
	check_redial "$label"
	;;
ebpf)
	label="ebpf client, the guardian killed in the session, then pppd"
	child=$(datapath_guardian_of "$LAB_PPPD_PID")
	kill -KILL $child
	lab_wait 2 gone $child
	sleep 1
	check "$label: with the guardian gone the session goes on (same ppp0)" \
		eval 'lab_session_up && [ "$(faults_ppp0_index)" = "$index" ]'
	mark
	kill -KILL "$LAB_PPPD_PID"
	pppd_gone "$LAB_PPPD_PID"
	check_left_behind "$label"
	started=$(lab_now)
	start_session
	check_leftover_ended "$label" "$started"
	check_redial "$label"
	;;
esac

# ---- the whole process group killed ----
label="$LAB_CLIENT client, its whole process group killed"
groups=$(faults_gw_groups)
diag "$label: the gateway's processes (pid comm group): $(for p in $(ip netns pids gw); do printf '%s ' "$p $(faults_comm "$p") $(faults_pgid "$p");"; done)"
check "$label: pppd leads the one process group of the gateway ($groups)" test "$groups" = "$LAB_PPPD_PID"
mark
faults_kill_groups $groups
pppd_gone "$LAB_PPPD_PID"
check "$label: nothing of the client runs any more" lab_wait 5 faults_gw_empty
check_left_behind "$label"
started=$(lab_now)
start_session
check_leftover_ended "$label" "$started"
check_redial "$label"

# ---- a reboot: everything gone at once, the run directory too ----
label="$LAB_CLIENT client, a reboot"
mark
faults_kill_groups $(faults_gw_groups)
pppd_gone "$LAB_PPPD_PID"
lab_wait 5 faults_gw_empty
check_left_behind "$label"
# What the reboot changes: the run directory is a new tmpfs, the pids start
# again (the record's name now names a live process that is not the
# client: pppoe-server's), the NIC comes up anew.
lab_run rm -rf "$LAB_RUN_DIR"
renamed=
for record in $records; do
	renamed="$renamed $LAB_STATE_DIR/$LAB_WAN_IF-$(faults_pids ac pppoe-server | head -n 1).session"
	lab_run mv "$record" "${renamed##* }"
done
records=$renamed
lab_run ip -n gw link set "$LAB_WAN_IF" down
sleep 0.5
lab_run ip -n gw link set "$LAB_WAN_IF" up
diag "$label: the run directory removed, the record renamed to${records:- (none)}"
started=$(lab_now)
start_session
check_leftover_ended "$label" "$started"
check_redial "$label"
status_json
check "$label: pppoe-mss-sessions --json lists the new session only (session $new_session; exit $STATUS_EXIT, sessions: $(status_sessions))" \
	eval '[ "$STATUS_EXIT" -eq 0 ] && [ "$(status_sessions)" = "$new_session" ]'

# ---- pppd killed while the link is down ----
label="$LAB_CLIENT client, pppd killed while $LAB_WAN_IF is down"
old_pids=$gw_pids
lab_run ip -n gw link set "$LAB_WAN_IF" down
mark
kill -KILL "$LAB_PPPD_PID"
pppd_gone "$LAB_PPPD_PID"
sleep 2
lab_run ip -n gw link set "$LAB_WAN_IF" up
link_up=$(lab_now)
start_session
check_padt "$label (after $LAB_WAN_IF is up again)" "$link_up"
check "$label: the PADT is the retry's, not the next start's clean-up (which says nothing of session $session)" \
	eval '! client_said "session left over on $LAB_WAN_IF (session $session "'
check "$label: the old client's processes end once the PADT went out (of: $old_pids)" lab_wait 5 gone $old_pids
check_redial "$label"

# ---- killed between the PADR and the PADS ----
label="$LAB_CLIENT client, killed between its PADR and the PADS"
lab_client_stop TERM
lab_wait 10 faults_ac_empty
lab_run ip netns exec ac tc qdisc add dev "$LAB_AC_IF" root handle 1: prio &&
	lab_run ip netns exec ac tc qdisc add dev "$LAB_AC_IF" parent 1:3 handle 30: netem delay "${DISCOVERY_DELAY}ms" &&
	lab_run ip netns exec ac tc filter add dev "$LAB_AC_IF" parent 1: protocol 0x8863 prio 1 u32 match u32 0 0 flowid 1:3 ||
	bail "$label: a ${DISCOVERY_DELAY} ms delay (netem) for the AC's discovery frames"
learn_session
session=
mark
started=$killed
(LAB_PPPD_EXTRA="$FAULTS_PPPD_OPTIONS" lab_client_start "$LAB_CLIENT" auto >/dev/null 2>&1) &
starter=$!
# The kill follows the client's PADR as soon as the capture shows it at the
# AC; the PADS comes DISCOVERY_DELAY after the PADR.
lab_wait 10 eval 'first_frame "$started" PADR "$client_mac" | grep -q .'
pppd=$(faults_pids gw pppd)
victim=$pppd
victim_name=pppd
if [ "$LAB_CLIENT" = pty ]; then
	victim=$(faults_pids gw pppoe-mss)
	victim_name=pppoe-mss
fi
killed=$(lab_now)
kill -KILL $victim
lab_wait 5 eval 'first_frame "$started" PADS "$ac_mac" | grep -q .'
lab_run ip netns exec ac tc qdisc del dev "$LAB_AC_IF" root
set -- $(first_frame "$started" PADR "$client_mac")
padr=${1:-}
set -- $(first_frame "$started" PADS "$ac_mac")
pads=${1:-}
session=${2:-}
ac_pppd=$(faults_ac_pppd_for "$session")
check "$label: $victim_name killed after its PADR went out, before the PADS came (PADR ${padr:+$(faults_seconds "$killed" "$padr")}, PADS ${pads:+$(faults_seconds "$killed" "$pads")} s from the kill)" \
	eval '[ -n "$padr" ] && [ -n "$pads" ] && awk -v r="$padr" -v k="$killed" -v s="$pads" "BEGIN { exit !(r < k && k < s) }"'
check_padt "$label" "${pads:-$killed}"
check "$label: the client says 'a PADS for session $session arrived after ... was gone: ending it with a PADT'" \
	eval 'SYSLOG_MARK=$syslog_mark client_log_since "$pppd_mark" | grep -q "a PADS for session $session arrived after .* was gone: ending it with a PADT"'
# The redial: pppd (persist) behind a killed pppoe-mss goes on by itself;
# a killed pppd is started again.
if [ "$victim_name" = pppd ]; then
	wait "$starter" 2>/dev/null
	pppd_gone "$pppd"
	start_session
else
	LAB_PPPD_PID=$pppd
fi
check_redial "$label"

lab_client_stop TERM
lab_capture_stop
check "$LAB_CLIENT client: nothing of the client is left on the gateway" lab_wait 5 faults_gw_empty
faults_wait_time 10 faults_ac_empty
check "$LAB_CLIENT client: nothing is left on the AC ($FAULTS_TOOK s)" faults_ac_empty
lab_down
exit 0
