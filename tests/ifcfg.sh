#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# pppoe-mss-ifcfg (pppoe-mss-start/-stop/-status/-connect) on the host: how
# it finds the ifcfg file, how every variable becomes pppd options, the
# errors for bad values, what it trusts as root (no program or directory
# from the environment, only files no one else can change, only the pppd
# it started), and that the real pppd with the plugin accepts the options
# it builds (pppd's dryrun: it parses everything, then stops).
# Sessions with these scripts run in the UML lab (scenarios/ifcfg.sh).
set -u

srcdir=${SRCDIR:-.}
builddir=${BUILDDIR:-.}
installed=$srcdir/src/pppoe-mss-ifcfg
plugin=$builddir/plugin/.libs/pppoe-mss.so

# As root the script reads only files in directories no one else can write
# to: mktemp's in /tmp (sticky) are.  Its messages name them without links.
work=$(mktemp -d) || exit 1
work=$(cd "$work" && pwd -P) || exit 1
ns=pmss-ifcfg-$$
# Processes a test starts (run_held): ended with their children.
started=
# shellcheck disable=SC2317 # run by the EXIT trap
clean_up() {
	for process in $started; do
		kill "$process" 2>/dev/null
	done
	rm -rf "$work"
	ip netns delete "$ns" 2>/dev/null
}
trap clean_up EXIT
n=0
fail=0
ifcfg_dir=$work/network-scripts
run_dir=$work/run
mkdir -p "$ifcfg_dir" "$run_dir"
as_root=no
[ "$(id -u)" -eq 0 ] && as_root=yes
have_ns=no
[ "$as_root" = yes ] && ip netns add "$ns" 2>/dev/null && have_ns=yes

result() {
	# result STATUS DESCRIPTION [OUTPUT-FILE]
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		printf '%s\n' "ok $n - $2"
	else
		printf '%s\n' "not ok $n - $2"
		[ -n "${3:-}" ] && sed 's/^/# /' "$3"
		fail=1
	fi
}

skip() {
	# skip DESCRIPTION REASON
	n=$((n + 1))
	printf '%s\n' "ok $n - $1 # SKIP $2"
}

# run_held PROGRAM ARGS...: PROGRAM ARGS in the background under a shell
# that waits for it, so that once ended it leaves no zombie behind for stop
# to wait on; its pid in $held once it runs PROGRAM.
run_held() {
	rm -f "$work/held"
	HELD=$work/held sh -c '"$@" & printf "%s\n" "$!" >"$HELD"; wait' - "$@" &
	started="$started $!"
	command_line=$(printf '%s\n' "$@")
	waited=0
	held=
	until [ -n "$held" ] &&
		[ "$(tr '\0' '\n' <"/proc/$held/cmdline" 2>/dev/null)" = "$command_line" ]; do
		[ "$waited" -lt 50 ] || break
		sleep 0.1
		waited=$((waited + 1))
		held=$(cat "$work/held" 2>/dev/null)
	done
	started="$started $held"
}
# What run_held runs as a pppd stand-in: a shell that stays until SIGTERM.
stay='trap "kill \$! 2>/dev/null; exit 0" TERM; sleep 300 & wait'

# alive PID: PID is a process, not a zombie.
alive() {
	state=$(sed -n 's/.*) \(.\) .*/\1/p' "/proc/$1/stat" 2>/dev/null)
	[ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# script_copy FILE [PPPD]: the script with the test's directories (and
# PPPD) in place of its own: as root it takes none from the environment.
script_copy() {
	sed -e "s|^config_dir=.*|config_dir='$ifcfg_dir'|" -e "s|^run_dir=.*|run_dir='$run_dir'|" \
		-e "s|^pppd=.*|pppd='${2:-pppd}'|" "$installed" >"$1"
	chmod 755 "$1"
	if [ "$(grep -c "^config_dir='$ifcfg_dir'\$\|^run_dir='$run_dir'\$\|^pppd='${2:-pppd}'\$" "$1")" -ne 3 ]; then
		echo "Bail out! cannot point $installed at the test's directories: its config_dir=, run_dir= or pppd= line is gone"
		exit 1
	fi
}
# The copy's pppd: a copy of the shell, so that /proc/PID/exe of a stand-in
# started from it is that file, as a real pppd's is pppd's.
mkdir -p "$work/fakebin"
cp "$(readlink -f /bin/sh)" "$work/fakebin/pppd"
script=$work/pppoe-mss-ifcfg
script_copy "$script" "$work/fakebin/pppd"

# ifcfg FILE VARIABLE=VALUE...: the example file with these changes.  Its
# PIDFILE goes: the default is in the test's run directory, and the example's
# /var/run/pppoe-mss-ppp0.pid may be a real line's.
ifcfg() {
	file=$1
	shift
	grep -v '^PIDFILE=' "$srcdir/configs/network-scripts/ifcfg-ppp0" >"$file"
	for setting in "$@"; do
		variable=${setting%%=*}
		grep -v "^$variable=" "$file" >"$file.new"
		printf '%s\n' "$setting" >>"$file.new"
		mv "$file.new" "$file"
	done
}

options() {
	sh "$script" options "$@" 2>"$work/stderr" | tr '\n' ' '
}

# expect_options DESCRIPTION PATTERN CONFIG: the option line matches PATTERN.
expect_options() {
	got=$(options "$3")
	case " $got" in
	*"$2"*) result 0 "$1" ;;
	*)
		printf '%s\n' "got: $got" >"$work/got"
		cat "$work/stderr" >>"$work/got"
		result 1 "$1 (wanted '$2')" "$work/got"
		;;
	esac
}

# expect_absent DESCRIPTION WORD CONFIG
expect_absent() {
	got=$(options "$3")
	case " $got " in
	*" $2 "*) printf '%s\n' "got: $got" >"$work/got"; result 1 "$1" "$work/got" ;;
	*) result 0 "$1" ;;
	esac
}

# expect_error DESCRIPTION MESSAGE CONFIG-ARGUMENT [COMMAND]: exit status 2 and MESSAGE.
expect_error() {
	sh "$script" "${4:-options}" "$3" >"$work/out" 2>&1
	status=$?
	if [ "$status" -eq 2 ] && grep -qF -- "$2" "$work/out"; then
		result 0 "$1"
	else
		echo "status $status" >>"$work/out"
		result 1 "$1 (wanted '$2')" "$work/out"
	fi
}

cfg=$work/ifcfg-test
ifcfg "$cfg"
expect_options "the example: plugin, NIC, user, interface ppp0 through linkname and unit" \
	"plugin pppoe-mss.so eth0 user customer@isp.example linkname ppp0 unit 0 " "$cfg"
expect_options "the example: PPPoE's 1492 and RFC 2516's no-ACFC, LCP echoes 20 x 3" \
	"mtu 1492 mru 1492 noaccomp nopcomp default-asyncmap novj nobsdcomp nodeflate lcp-echo-interval 20 lcp-echo-failure 3 " "$cfg"
expect_options "the example: default route, peer DNS, redial for ever, CLAMPMSS=1452 -> pppoe-mss 1452" \
	"noipdefault defaultroute replacedefaultroute usepeerdns persist maxfail 0 holdoff 5 pppoe-mss 1452 " "$cfg"
expect_options "connect runs pppd in the foreground" "nodetach " "$cfg"

ifcfg "$cfg" CLAMPMSS=no
expect_options "CLAMPMSS=no -> pppoe-mss off" "pppoe-mss off " "$cfg"
ifcfg "$cfg" CLAMPMSS=auto
expect_absent "CLAMPMSS=auto -> the plugin's default (automatic, from LCP)" pppoe-mss "$cfg"
ifcfg "$cfg" CLAMPMSS=
expect_absent "CLAMPMSS unset -> automatic" pppoe-mss "$cfg"
ifcfg "$cfg" CLAMPMSS=1400
expect_options "CLAMPMSS=1400 -> pppoe-mss 1400" "pppoe-mss 1400 " "$cfg"

ifcfg "$cfg" DEMAND=300
expect_options "DEMAND=300 -> dial on demand, idle 300" "demand idle 300 ipcp-accept-local ipcp-accept-remote " "$cfg"
expect_absent "DEMAND: no noipdefault (demand needs its placeholder addresses)" noipdefault "$cfg"
ifcfg "$cfg" SYNCHRONOUS=yes LCP_INTERVAL=10 LCP_FAILURE=6 PPPOE_TIMEOUT=80 MTU=1500 MRU=1480
expect_options "SYNCHRONOUS, LCP_INTERVAL, LCP_FAILURE, PPPOE_TIMEOUT, MTU, MRU" \
	"mtu 1500 mru 1480 " "$cfg"
expect_options "... as lcp-echo-interval 10 lcp-echo-failure 6" "lcp-echo-interval 10 lcp-echo-failure 6 " "$cfg"
expect_options "... as pppoe-sync and pppoe-idle-timeout 80" "pppoe-sync " "$cfg"
expect_options "... pppoe-idle-timeout" "pppoe-idle-timeout 80 " "$cfg"
ifcfg "$cfg" DEFROUTE=no PEERDNS=no RETRY_ON_FAILURE=no IPV6INIT=yes
expect_absent "DEFROUTE=no: no default route" defaultroute "$cfg"
expect_absent "PEERDNS=no: no usepeerdns" usepeerdns "$cfg"
expect_absent "RETRY_ON_FAILURE=no: no persist" persist "$cfg"
expect_options "IPV6INIT=yes -> +ipv6" "+ipv6 " "$cfg"
ifcfg "$cfg" "ACNAME='Big AC 1'" SERVICENAME=gold "PPPOE_EXTRA='pppoe-mac 00:11:22:33:44:55'" \
	"PPPD_EXTRA='debug kdebug 1'" DEVICE=dsl0
expect_options "ACNAME with spaces stays one word, SERVICENAME" "pppoe-ac Big AC 1 pppoe-service gold " "$cfg"
got=$(sh "$script" options "$cfg" | grep -c '^Big AC 1$')
result $((got != 1)) "... one option argument per line: 'Big AC 1' is one"
expect_options "PPPOE_EXTRA and PPPD_EXTRA are appended" "pppoe-mac 00:11:22:33:44:55 debug kdebug 1 nodetach" "$cfg"
# What pppd itself gets from connect (and start): one argument per word.
printf '#!/bin/sh\nfor arg; do printf "[%%s]\\n" "$arg"; done\n' >"$work/show-args"
chmod +x "$work/show-args"
script_copy "$work/show-args-ifcfg" "$work/show-args"
ETH=lo sh "$work/show-args-ifcfg" connect "$cfg" >"$work/args" 2>"$work/stderr"
grep -qx '\[pppoe-mac\]' "$work/args" && grep -qx '\[00:11:22:33:44:55\]' "$work/args" &&
	grep -qx '\[kdebug\]' "$work/args"
result $? "connect hands pppd PPPOE_EXTRA and PPPD_EXTRA word by word" "$work/args"
expect_options "DEVICE=dsl0 (not pppN) -> ifname dsl0" "linkname dsl0 ifname dsl0 " "$cfg"

# Values reach pppd as they are written: dash's echo read backslashes (\c
# ended the output, gluing the value to the next option) and took -n for
# its flag; no word of PPPD_EXTRA is a file name pattern.
ifcfg "$cfg" 'USER='"'"'DOM\cuser'"'"
expect_options "USER='DOM\\cuser': one option, backslash and all, and linkname after it" \
	'user DOM\cuser linkname ppp0 ' "$cfg"
ifcfg "$cfg" USER=-n
expect_options "USER=-n: the user name -n, not echo's flag" 'user -n linkname ppp0 ' "$cfg"
ifcfg "$cfg" 'PPPD_EXTRA='"'"'remotename isp\cpeer'"'"
expect_options "PPPD_EXTRA='remotename isp\\cpeer': both words, backslash and all" \
	'remotename isp\cpeer nodetach ' "$cfg"
ifcfg "$cfg" "PPPD_EXTRA='remotename *'"
got=$(cd "$work" && sh "$script" options "$cfg" | tr '\n' ' ')
case $got in
*'remotename * nodetach '*) result 0 "PPPD_EXTRA='remotename *': a star, not the files where the script runs" ;;
*) printf '%s\n' "got: $got" >"$work/got"; result 1 "PPPD_EXTRA='remotename *': a star, not the files" "$work/got" ;;
esac
mkdir "$work/dom\cnet"
ifcfg "$work/dom\cnet/ifcfg-ppp0"
expect_options "a file whose path has a backslash in it" 'user customer@isp.example ' "$work/dom\cnet/ifcfg-ppp0"
ifcfg "$cfg" 'ETH='"'"'eth\c0'"'"
expect_error "ETH='eth\\c0': the message shows the value whole" "$cfg: ETH=eth\c0: not an interface name" "$cfg"

# Errors name the file and the variable.
for bad in "CLAMPMSS=big:CLAMPMSS=big: give auto, no, or an MSS from 88 to 65495" \
	"CLAMPMSS=87:CLAMPMSS=87: give auto, no" \
	"CLAMPMSS=65496:CLAMPMSS=65496: give auto, no" \
	"MTU=9000:MTU=9000: give a whole number from 128 to 1500" \
	"MRU=-1:MRU=-1: give a whole number" \
	"LCP_INTERVAL=1e3:LCP_INTERVAL=1e3: give a whole number" \
	"DEMAND=maybe:DEMAND=maybe: give a whole number" \
	"DEFROUTE=perhaps:DEFROUTE=perhaps: give yes or no" \
	"SYNCHRONOUS=2:SYNCHRONOUS=2: give yes or no" \
	"TYPE=Modem:TYPE=Modem: not a PPPoE line" \
	"ETH=:ETH is not set" \
	"ETH='eth 0':ETH=eth 0: not an interface name" \
	"USER=:USER is not set" \
	"DEVICE=:DEVICE is not set" \
	"PPPOE_EXTRA=-f:PPPOE_EXTRA=-f: '-f' is a flag of rp-pppoe's pppoe program"; do
	setting=${bad%%:*}
	ifcfg "$cfg" "$setting"
	expect_error "$setting: a clear error naming the file and the variable" "$cfg: ${bad#*:}" "$cfg"
done
printf 'USER=x\nif then\n' >"$work/broken"
expect_error "a file the shell cannot read: named, with the shell's reason" "$work/broken: not a valid shell variable file" "$work/broken"
expect_error "a missing file" "$work/none: no such readable file" "$work/none"

# Finding the file.
expect_error "no argument and no ifcfg-ppp* with TYPE=xDSL" "no ifcfg-ppp* file with TYPE=xDSL in $ifcfg_dir" ""
ifcfg "$ifcfg_dir/ifcfg-ppp0" TYPE=Modem
ifcfg "$ifcfg_dir/ifcfg-ppp1~" DEVICE=ppp1 USER=backup
ifcfg "$ifcfg_dir/ifcfg-ppp2" DEVICE=ppp2 USER=second
# An ETH that exists nowhere: start must stop before anything runs.
ifcfg "$ifcfg_dir/ifcfg-ppp3" DEVICE=ppp3 USER=third ETH=pmsnone0
expect_options "no argument: the first ifcfg-ppp* with TYPE=xDSL (not a Modem, not a backup~)" \
	"user second linkname ppp2 unit 2 " ""
expect_options "a device name: ifcfg-<name> in the network-scripts directory" "user third " ppp3
expect_options "ifcfg-<name> in the network-scripts directory" "user third " ifcfg-ppp3
USER=root expect_options "USER from the environment does not leak into the file's" "user third " ppp3
# A name stands for a file of the network-scripts directory only: not for
# one of the current directory, nor for one on PATH (where "." looks).
mkdir -p "$work/cwd" "$work/path"
ifcfg "$work/cwd/ppp5" DEVICE=ppp5 USER=from-cwd
ifcfg "$work/path/ppp5" DEVICE=ppp5 USER=from-path
ifcfg "$ifcfg_dir/ifcfg-ppp5" DEVICE=ppp5 USER=from-scripts
got=$(cd "$work/cwd" && PATH=$work/path:$PATH sh "$script" options ppp5 2>&1 | tr '\n' ' ')
case $got in
*'user from-scripts '*) result 0 "a name with a file of that name here and on PATH: ifcfg-<name> in the network-scripts directory" ;;
*) printf '%s\n' "got: $got" >"$work/got"; result 1 "a name: ifcfg-<name> in the network-scripts directory, not ./<name> or <name> on PATH" "$work/got" ;;
esac
ifcfg "$work/cwd/ppp6" DEVICE=ppp6 USER=from-cwd
(cd "$work/cwd" && sh "$script" options ppp6) >"$work/out" 2>&1
status=$?
[ "$status" -eq 2 ] && grep -qF "$ifcfg_dir/ifcfg-ppp6: no such readable file" "$work/out"
result $? "a name with no ifcfg-<name> in the network-scripts directory: an error, though ./<name> exists" "$work/out"

# The names it is installed under.
mkdir -p "$work/bin"
for name in pppoe-mss-status adsl-status pppoe-status; do
	ln -sf "$script" "$work/bin/$name"
	"$work/bin/$name" ppp3 >"$work/out" 2>&1
	status=$?
	grep -q "ppp3: not running" "$work/out"
	result $((status != 1 || $? != 0)) "$name with nothing running: 'not running', exit status 1" "$work/out"
done
ln -sf "$script" "$work/bin/pppoe-mss-stop"
"$work/bin/pppoe-mss-stop" ppp3 >"$work/out" 2>&1
status=$?
grep -q "ppp3 is not running" "$work/out"
result $((status != 0 || $? != 0)) "pppoe-mss-stop with nothing running: says so, exit status 0" "$work/out"
echo 999999 >"$run_dir/ppp-ppp3.pid"
echo $$ >"$run_dir/pppoe-mss-ppp3.pid"
"$work/bin/pppoe-mss-status" ppp3 >"$work/out" 2>&1
result $(($? != 1)) "status: stale pid files (a dead pid, a process that is not pppd) are not a session" "$work/out"

# status and stop act on the pppd this script started for the line (its
# exe is pppd's file, started as pppd, with the plugin and the line's
# linkname) and on nothing else: stop would kill it as root.
rm -f "$run_dir/ppp-ppp3.pid"
run_held "$work/fakebin/pppd" -c "$stay" pppd plugin pppoe-mss.so pmsnone0 user third linkname ppp3 unit 3 nodetach
ours=$held
printf '%s\n' "$ours" >"$run_dir/pppoe-mss-ppp3.pid"
"$work/bin/pppoe-mss-status" ppp3 >"$work/out" 2>&1
grep -q "ppp3: pppd $ours is running, the link is not up" "$work/out"
result $? "status: the pppd started for the line, in its pid file, is running" "$work/out"
run_held sh -c "$stay" pppd plugin pppoe-mss.so pmsnone0 user third linkname ppp3 unit 3 nodetach
printf '%s\n' "$held" >"$run_dir/pppoe-mss-ppp3.pid"
"$work/bin/pppoe-mss-status" ppp3 >"$work/out" 2>&1
grep -q "ppp3: not running" "$work/out"
result $? "status: a process with pppd's command line that is not pppd is not the line's pppd" "$work/out"
"$work/bin/pppoe-mss-stop" ppp3 >"$work/out" 2>&1
grep -q "ppp3 is not running" "$work/out" && alive "$held"
result $? "stop: ... and stop leaves it alone" "$work/out"
run_held "$work/fakebin/pppd" -c "$stay" pppd plugin pppoe-mss.so pmsnone0 user fourth linkname ppp4 unit 4 nodetach
printf '%s\n' "$held" >"$run_dir/pppoe-mss-ppp3.pid"
"$work/bin/pppoe-mss-stop" ppp3 >"$work/out" 2>&1
grep -q "ppp3 is not running" "$work/out" && alive "$held"
result $? "stop: the pppd of another line (linkname ppp4) in this line's pid file is left alone" "$work/out"
run_held "$work/fakebin/pppd" -c "$stay" pppd call isp linkname ppp3
printf '%s\n' "$held" >"$run_dir/ppp-ppp3.pid"
"$work/bin/pppoe-mss-stop" ppp3 >"$work/out" 2>&1
grep -q "ppp3 is not running" "$work/out" && alive "$held"
result $? "stop: a pppd this script did not start (no pppoe-mss plugin) is left alone" "$work/out"
printf '%s\n' "$ours" >"$run_dir/ppp-ppp3.pid"
"$work/bin/pppoe-mss-stop" ppp3 >"$work/out" 2>&1
stopped=$?
waited=0
while alive "$ours" && [ "$waited" -lt 20 ]; do
	sleep 0.1
	waited=$((waited + 1))
done
[ "$stopped" -eq 0 ] && grep -q "ppp3 stopped" "$work/out" && ! alive "$ours" &&
	[ ! -e "$run_dir/pppoe-mss-ppp3.pid" ]
result $? "stop: the line's pppd, in pppd's own pid file, gets SIGTERM; stop removes its pid file" "$work/out"
rm -f "$run_dir/ppp-ppp3.pid"
expect_error "start: an ETH that does not exist" "ETH=pmsnone0: no such network interface" ppp3 start
sh "$script" bogus >"$work/out" 2>&1
status=$?
grep -q "unknown command 'bogus'" "$work/out"
result $((status != 2 || $? != 0)) "pppoe-mss-ifcfg bogus: unknown command, usage" "$work/out"

# As root the environment names no directory or program: the script as it
# is installed, not the test's copy.
elsewhere=$work/elsewhere
mkdir -p "$elsewhere/scripts" "$elsewhere/run" "$elsewhere/bin"
printf '#!/bin/sh\n: >"%s"\n' "$elsewhere/ran" >"$elsewhere/bin/pppd"
chmod 755 "$elsewhere/bin/pppd"
ifcfg "$elsewhere/scripts/ifcfg-pmstest9" DEVICE=pmstest9 USER=elsewhere
# pppd (the real one) only parses its options (dryrun), in the namespace.
ifcfg "$work/lo-cfg" ETH=lo DEVICE=pmstest9 USER=lo-user PPPD_EXTRA=dryrun
if [ "$as_root" = yes ] && [ "$have_ns" = yes ]; then
	PPPOE_MSS_PLUGIN=$elsewhere/evil.so sh "$installed" options "$work/lo-cfg" >"$work/out" 2>&1
	grep -qx 'pppoe-mss.so' "$work/out" && ! grep -qF "$elsewhere/evil.so" "$work/out"
	result $? "as root: PPPOE_MSS_PLUGIN from the environment is not the plugin" "$work/out"
	PPPOE_MSS_IFCFG_DIR=$elsewhere/scripts sh "$installed" options pmstest9 >"$work/out" 2>&1
	status=$?
	[ "$status" -eq 2 ] && ! grep -qx elsewhere "$work/out" &&
		grep -qF /etc/sysconfig/network-scripts/ifcfg-pmstest9 "$work/out"
	result $? "as root: PPPOE_MSS_IFCFG_DIR from the environment is not where ifcfg files are" "$work/out"
	PPPD=$elsewhere/bin/pppd ip netns exec "$ns" timeout 10 sh "$installed" connect "$work/lo-cfg" \
		>"$work/out" 2>&1
	[ ! -e "$elsewhere/ran" ] && grep -q "ignoring PPPD from the environment" "$work/out"
	result $? "as root: PPPD from the environment is not run, and the script says so" "$work/out"
	rm -f "$elsewhere/ran"
	PATH=$elsewhere/bin:$PATH ip netns exec "$ns" timeout 10 sh "$installed" connect "$work/lo-cfg" \
		>"$work/out" 2>&1
	[ ! -e "$elsewhere/ran" ]
	result $? "as root: a pppd first in the caller's PATH is not run" "$work/out"
	run_held sh -c "$stay" pppd plugin pppoe-mss.so lo linkname pmstest9
	echo "$held" >"$elsewhere/run/pppoe-mss-pmstest9.pid"
	PPPOE_MSS_RUN_DIR=$elsewhere/run sh "$installed" status "$work/lo-cfg" >"$work/out" 2>&1
	grep -q "pmstest9: not running" "$work/out"
	result $? "as root: PPPOE_MSS_RUN_DIR from the environment is not where pid files are" "$work/out"
else
	for what in PPPOE_MSS_PLUGIN PPPOE_MSS_IFCFG_DIR PPPD PATH PPPOE_MSS_RUN_DIR; do
		skip "as root: $what from the environment is ignored" "needs root and a network namespace"
	done
fi
# Another user's overrides run with that user's rights: they stay.
if [ "$as_root" = yes ] && command -v setpriv >/dev/null 2>&1; then
	chmod 711 "$work"
	mkdir -m 755 "$work/user"
	ifcfg "$work/user/ifcfg-ppp0"
	PPPOE_MSS_PLUGIN=/home/dev/pppoe-mss.so setpriv --reuid=65534 --regid=65534 --clear-groups \
		sh "$installed" options "$work/user/ifcfg-ppp0" >"$work/out" 2>&1
	grep -qx /home/dev/pppoe-mss.so "$work/out"
	result $? "another user: PPPOE_MSS_PLUGIN from the environment is the plugin (an uninstalled build)" "$work/out"
	ifcfg "$work/user/own" USER=own
	chown 65534 "$work/user/own"
	chmod 666 "$work/user/own"
	setpriv --reuid=65534 --regid=65534 --clear-groups sh "$installed" options "$work/user/own" >"$work/out" 2>&1
	grep -qx own "$work/out"
	result $? "another user: a file that user (or anyone) can write to is read: it runs with that user's rights" "$work/out"
else
	skip "another user: PPPOE_MSS_PLUGIN from the environment is the plugin" "needs root and setpriv"
	skip "another user: a file anyone can write to is read" "needs root and setpriv"
fi

# As root, only a file that no one but root can change is read (it is
# sourced): the file, through its links, and every directory above it.
if [ "$as_root" = yes ]; then
	trust=$work/trust
	mkdir -m 755 "$trust"
	ifcfg "$trust/ifcfg-ppp0"
	chmod 646 "$trust/ifcfg-ppp0"
	expect_error "as root: an ifcfg file others can write to is refused" \
		"refusing to read $trust/ifcfg-ppp0 as root: users other than root can write to it (chmod go-w $trust/ifcfg-ppp0)" \
		"$trust/ifcfg-ppp0"
	chmod 664 "$trust/ifcfg-ppp0"
	expect_error "as root: an ifcfg file its group can write to is refused" \
		"users other than root can write to it (chmod go-w $trust/ifcfg-ppp0)" "$trust/ifcfg-ppp0"
	chmod 644 "$trust/ifcfg-ppp0"
	chown 65534 "$trust/ifcfg-ppp0"
	expect_error "as root: another user's ifcfg file is refused" \
		"refusing to read $trust/ifcfg-ppp0 as root: it is not root's (chown root $trust/ifcfg-ppp0)" \
		"$trust/ifcfg-ppp0"
	chown 0 "$trust/ifcfg-ppp0"
	ln -s "$trust/ifcfg-ppp0" "$work/link"
	chmod 757 "$trust"
	expect_error "as root: a file in a directory others can write to is refused" \
		"refusing to read $trust/ifcfg-ppp0 as root: users other than root can write to $trust (chmod go-w $trust)" \
		"$trust/ifcfg-ppp0"
	expect_error "... and so is a link (in a directory of root's) to it" \
		"refusing to read $work/link as root: users other than root can write to $trust (" "$work/link"
	chmod 755 "$trust"
	chown 65534 "$trust"
	expect_error "as root: a file in another user's directory is refused" \
		"refusing to read $trust/ifcfg-ppp0 as root: $trust is not root's (chown root $trust)" \
		"$trust/ifcfg-ppp0"
	chown 0 "$trust"
	chmod 1777 "$trust"
	expect_options "as root: root's file in a directory anyone may write to with the sticky bit (/tmp) is read" \
		"user customer@isp.example " "$work/link"
else
	for what in "a file others can write to" "a file its group can write to" "another user's file" \
		"a file in a directory others can write to" "a link to it" "a file in another user's directory" \
		"a file in a sticky directory"; do
		skip "as root: $what" "needs root"
	done
fi

# start writes PIDFILE whole and renames it into place: a symbolic link
# there is replaced, not written through.
echo "keep me" >"$work/precious"
ln -s "$work/precious" "$work/line.pid"
ifcfg "$cfg" ETH=lo DEVICE=ppp7 "PIDFILE=$work/line.pid" CONNECT_TIMEOUT=0
sh "$script" start "$cfg" >"$work/out" 2>&1
pid=$(cat "$work/line.pid" 2>/dev/null)
[ "$(cat "$work/precious")" = "keep me" ] && [ ! -L "$work/line.pid" ] && [ -n "$pid" ] &&
	[ "$pid" = "$(printf '%s' "$pid" | tr -cd 0-9)" ] &&
	[ -z "$(find "$work" -maxdepth 1 -name '.pppoe-mss-pid.*')" ]
result $? "start: a symbolic link at PIDFILE is replaced by the pid file, not written through" "$work/out"

# pppd_accepts VARIABLE=VALUE...: pppd ends at the missing /dev/ppp (this
# host has no PPP) or, with dryrun, after printing its options: either way,
# past parsing every option the script built.
pppd_accepts() {
	ifcfg "$cfg" ETH=pmi0 "$@"
	sh "$script" options "$cfg" | sed "s|^pppoe-mss.so\$|$plugin|" |
		tr '\n' '\0' | LD_PRELOAD=${asan:-} ASAN_OPTIONS=detect_leaks=0 \
		xargs -0 ip netns exec "$ns" timeout 10 pppd dryrun >"$work/out" 2>&1
	grep -q 'pppoe-mss plugin' "$work/out" &&
		! grep -qi 'unrecognized option\|option error\|improper\|invalid' "$work/out"
	result $? "the real pppd and plugin accept the options for $*" "$work/out"
}

# The real pppd accepts every option the script builds (needs root for the
# namespace, pppd and the plugin).
if [ "$as_root" = yes ] && command -v pppd >/dev/null 2>&1 && [ -f "$plugin" ] &&
	[ "$have_ns" = yes ] && ip -n "$ns" link add pmi0 type veth peer name pmi1; then
	asan=$(ldd "$plugin" 2>/dev/null | awk '/libasan/ { print $3 }')
	pppd_accepts "CLAMPMSS=1400" "IPV6INIT=yes"
	pppd_accepts "CLAMPMSS=no" "DEMAND=60" "SYNCHRONOUS=yes" "PPPOE_TIMEOUT=80"
	pppd_accepts "DEVICE=dsl0" "ACNAME=ac1" "SERVICENAME=gold" "PPPOE_EXTRA='pppoe-verbose 1'"
	# The real pppd, as start runs it: held opening an options file from a
	# FIFO no one writes to, it stays with its whole command line (and dies
	# of SIGTERM).  status and stop know it as the line's pppd.
	mkfifo "$work/fifo"
	script_copy "$work/real-pppd-ifcfg" pppd
	ifcfg "$work/real-cfg" ETH=pmi0 DEVICE=pmstest9
	run_held pppd file "$work/fifo" plugin pppoe-mss.so pmi0 user customer@isp.example \
		linkname pmstest9 ifname pmstest9 nodetach
	printf '%s\n' "$held" >"$run_dir/pppoe-mss-pmstest9.pid"
	sh "$work/real-pppd-ifcfg" status "$work/real-cfg" >"$work/out" 2>&1
	grep -q "pmstest9: pppd $held is running" "$work/out"
	result $? "status: the real pppd started for the line is running" "$work/out"
	sh "$work/real-pppd-ifcfg" stop "$work/real-cfg" >"$work/out" 2>&1
	grep -q "pmstest9 stopped" "$work/out" && ! alive "$held"
	result $? "stop: the real pppd started for the line gets SIGTERM and ends" "$work/out"
else
	echo "# cannot run: the pppd part needs root, pppd, $plugin and a network namespace"
	exit 77
fi
echo "1..$n"
exit "$fail"
