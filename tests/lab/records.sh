# SPDX-License-Identifier: GPL-2.0-or-later
# The clients' session records and live status, and what the access
# concentrator logs of its sessions, sourced after topology.sh and
# measure.sh by the scenarios that look at them (redial, two-sessions,
# status, sigkill-random).
#
# Session records: LAB_STATE_DIR/<nic>-<pid>.session, one per session,
# holding the session's nic, id and both MACs (one "key value" line each:
# nic, session, ac-mac, our-mac), locked (flock) by every live process of
# the session and removed when the session ends properly; a start on that
# nic ends a record no live process holds with a PADT before its discovery.
# tests/lab/init binds a private directory (the run's results/state on the
# host) over the state directory compiled into the build (LAB_STATE_DIR):
# records last from scenario to scenario of one boot, as on a disk.
# Live status: LAB_RUN_DIR/*.status (a tmpfs, lost at a reboot), written
# by the process that carries the session's data and read by
# pppoe-mss-sessions (built in LAB_BUILDDIR).

# records_files [NIC]: the session records (of NIC, else all), one path a
# line.
records_files() {
	for records_file in "$LAB_STATE_DIR/${1:-*}"-*.session; do
		[ -f "$records_file" ] && echo "$records_file"
	done
	return 0
}

# record_field FILE KEY: the value of KEY (nic, session, ac-mac, our-mac) in
# a record, whether written "key value", "key=value" or "key: value" (and
# ac_mac for ac-mac); MACs in lower case, a hex session id in decimal.
record_field() {
	awk -v want="$2" '
		match($0, /^[ \t]*[A-Za-z][A-Za-z_-]*/) {
			key = tolower(substr($0, RSTART, RLENGTH))
			gsub(/[ \t]/, "", key)
			gsub(/_/, "-", key)
			if (key != want) next
			value = substr($0, RSTART + RLENGTH)
			sub(/^[ \t]*[=:]?[ \t]*/, "", value)
			sub(/[ \t]+$/, "", value)
			value = tolower(value)
			if (want == "session" && value ~ /^0x[0-9a-f]+$/) {
				n = 0
				for (i = 3; i <= length(value); i++)
					n = n * 16 + index("0123456789abcdef", substr(value, i, 1)) - 1
				value = n
			}
			print value
			exit
		}' "$1" 2>/dev/null
}

# records_of NIC SESSION: the records of NIC for session SESSION.
records_of() {
	for records_file in $(records_files "$1"); do
		[ "$(record_field "$records_file" session)" = "$2" ] && echo "$records_file"
	done
	return 0
}

# record_held FILE: a live process holds the record's lock.  The probe's
# own lock, taken and dropped at once, would make a client starting at
# that moment take the record for a live one: scenarios probe only while
# no client starts.  The file is opened for reading only: a record that is
# gone meanwhile is never created again.
record_held() {
	[ -f "$1" ] || return 1
	if { flock -n -x 9; } 9<"$1" 2>/dev/null; then
		return 1
	fi
	[ -f "$1" ]
}

# records_describe [NIC]: every record (of NIC), on one line: "name:
# session N ac-mac M our-mac M held|free; ...", or "none".
records_describe() {
	records_text=
	for records_file in $(records_files "${1:-}"); do
		records_lock=free
		record_held "$records_file" && records_lock=held
		records_text="$records_text${records_file##*/}: session $(record_field "$records_file" session) ac-mac $(record_field "$records_file" ac-mac) our-mac $(record_field "$records_file" our-mac) $records_lock; "
	done
	echo "${records_text:-none}" | sed 's/; $//'
}

# record_matches FILE NIC SESSION AC-MAC OUR-MAC: the record says so.
record_matches() {
	[ "$(record_field "$1" nic)" = "$2" ] && [ "$(record_field "$1" session)" = "$3" ] &&
		[ "$(record_field "$1" ac-mac)" = "$4" ] && [ "$(record_field "$1" our-mac)" = "$5" ]
}

# ---- the access concentrator's log (pppoe-server, in the scenario's syslog) ----

# ac_created_sessions MAC [FROM-LINE]: the sessions pppoe-server created for
# client MAC ("Session N created for client MAC ..."), in order, from line
# FROM-LINE of the syslog on (default 1).
ac_created_sessions() {
	tail -n "+${2:-1}" "$LAB_DIR/syslog" 2>/dev/null |
		sed -n "s/.*pppoe-server.*Session \([0-9]*\) created for client $1 .*/\1/Ip" | tr '\n' ' ' |
		sed 's/ $//'
}

# ac_last_session MAC [FROM-LINE]: the last of them.
ac_last_session() {
	set -- $(ac_created_sessions "$@")
	eval "echo \${$#:-}"
}

# ac_closed SESSION [FROM-LINE]: pppoe-server logged session SESSION closed
# ("Session N closed for client ...") from line FROM-LINE on.
ac_closed() {
	tail -n "+${2:-1}" "$LAB_DIR/syslog" 2>/dev/null | grep -q "pppoe-server.*Session $1 closed for client"
}

# ac_closed_before_last_created SESSION MAC FROM-LINE: from line FROM-LINE
# on, pppoe-server logged SESSION closed before the last session it created
# for client MAC.
ac_closed_before_last_created() {
	tail -n "+$3" "$LAB_DIR/syslog" 2>/dev/null | awk -v s="$1" -v mac="$(echo "$2" | tr A-F a-f)" '
		/pppoe-server/ && !closed && index($0, "Session " s " closed for client") { closed = NR }
		/pppoe-server/ && index(tolower($0), " created for client " mac " ") { created = NR }
		END { exit !(closed && created > closed) }'
}

# ac_refusals MAC [FROM-LINE]: how many PADIs and PADRs of client MAC
# pppoe-server turned away for its limit of sessions per MAC (-x).
ac_refusals() {
	tail -n "+${2:-1}" "$LAB_DIR/syslog" 2>/dev/null |
		grep -ci "pppoe-server.*PAD[IR]: Client $1 attempted to create more than"
}

# syslog_lines: the syslog's length now (a mark for the FROM-LINE above: pass
# it plus one).
syslog_lines() {
	lab_line_count "$LAB_DIR/syslog"
}

# client_log_since LINES: what the gateway's clients logged since pppd's log
# file had LINES lines and the syslog SYSLOG_MARK (both, for a pty client
# logs to syslog and the plugin to pppd's log file).
client_log_since() {
	tail -n "+$(($1 + 1))" "$LAB_DIR/gw-pppd.log" 2>/dev/null
	tail -n "+$((${SYSLOG_MARK:-0} + 1))" "$LAB_DIR/syslog" 2>/dev/null
}

# ---- live status: pppoe-mss-sessions ----

# json_flatten: JSON on stdin as "path<TAB>value" lines (.a.b[0].c, strings
# without their quotes), enough for pppoe-mss-sessions --json.
json_flatten() {
	awk '
		BEGIN { RS = "\001" }
		{ text = text $0 "\n" }
		END {
			n = 0
			len = length(text)
			i = 1
			while (i <= len) {
				c = substr(text, i, 1)
				if (c ~ /[ \t\r\n]/) { i++; continue }
				if (c ~ /[][{}:,]/) { token[++n] = c; i++; continue }
				if (c == "\"") {
					s = ""
					for (j = i + 1; j <= len; j++) {
						d = substr(text, j, 1)
						if (d == "\\") {
							e = substr(text, j + 1, 1)
							if (e == "u") { s = s "?"; j += 5 }
							else { s = s (e == "n" || e == "t" || e == "r" ? " " : e); j++ }
							continue
						}
						if (d == "\"") break
						s = s d
					}
					token[++n] = "\"" s
					i = j + 1
					continue
				}
				for (j = i; j <= len && substr(text, j, 1) !~ /[][{}:, \t\r\n]/; j++)
					;
				token[++n] = "=" substr(text, i, j - i)
				i = j
			}
			at = 1
			value("")
		}
		function value(path,    t, key, index_) {
			t = token[at]
			if (t == "{") {
				at++
				if (token[at] == "}") { at++; return }
				while (at <= n) {
					key = substr(token[at], 2)
					at += 2
					value(path "." key)
					if (token[at++] != ",") return
				}
			} else if (t == "[") {
				at++
				index_ = 0
				if (token[at] == "]") { at++; return }
				while (at <= n) {
					value(path "[" index_ "]")
					index_++
					if (token[at++] != ",") return
				}
			} else {
				print path "\t" substr(t, 2)
				at++
			}
		}'
}

# status_json [ARGS...]: pppoe-mss-sessions --json on the gateway,
# flattened (json_flatten: "[0].nic<TAB>wan0", "[0].mss.outbound.ipv4<TAB>
# 1452", ...) into LAB_DIR/status.flat, and kept as it came in
# LAB_DIR/status.json (each call appends to status.log too).  Sets
# STATUS_EXIT.
status_json() {
	ip netns exec gw "$LAB_BUILDDIR/pppoe-mss-sessions" --json "$@" >"$LAB_DIR/status.json" 2>>"$LAB_DIR/status.log"
	STATUS_EXIT=$?
	{
		echo "---- $(date +%T.%N | cut -c1-12) pppoe-mss-sessions --json $*: exit $STATUS_EXIT"
		cat "$LAB_DIR/status.json"
	} >>"$LAB_DIR/status.log"
	json_flatten <"$LAB_DIR/status.json" >"$LAB_DIR/status.flat"
}

# status_value INDEX PATH: the value of PATH (".mss.outbound.ipv4") in the
# INDEXth session (from 0) of the last status_json.
status_value() {
	awk -F '\t' -v want="[$1]$2" '$1 == want { print $2; exit }' "$LAB_DIR/status.flat" 2>/dev/null
}

# status_index SESSION: the index of session SESSION in the last status_json.
status_index() {
	awk -F '\t' -v s="$1" '$1 ~ /^\[[0-9]+\]\.session$/ && $2 == s {
		sub(/^\[/, "", $1); sub(/\].*/, "", $1); print $1; exit }' "$LAB_DIR/status.flat" 2>/dev/null
}

# status_sessions: the session ids the last status_json listed, in order,
# space-separated.
status_sessions() {
	awk -F '\t' '$1 ~ /\]\.session$/ { printf "%s%s", sep, $2; sep = " " }' "$LAB_DIR/status.flat" 2>/dev/null
}
