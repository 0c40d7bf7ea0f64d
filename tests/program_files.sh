#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The files the standalone program writes as root, from the outside: the
# frame dump (-D, -L) is private, never reached through a symbolic link and
# stops at its limit; the pid file (-p) is replaced, not written through a
# link, and removed at exit only while it still holds our pid.  The program
# lists access concentrators (-A) on a veth in a network namespace of its
# own, where none answers: each run sends a PADI and ends.
set -u

builddir=${BUILDDIR:-.}
program=$builddir/pppoe-mss
ns=pmss-files-$$

[ "$(id -u)" -eq 0 ] || { echo "# cannot run: needs root for a network namespace"; exit 77; }
[ -x "$program" ] || { echo "# cannot run: no pppoe-mss binary at $program"; exit 77; }
ip netns add "$ns" 2>/dev/null || { echo "# cannot run: 'ip netns add' failed"; exit 77; }
dir=$(mktemp -d)
out=$(mktemp)
trap 'ip netns delete "$ns" 2>/dev/null; rm -rf "$dir" "$out"' EXIT
ip -n "$ns" link add pmf0 type veth peer name pmf1 &&
	ip -n "$ns" link set pmf0 up && ip -n "$ns" link set pmf1 up || exit 1
umask 022

n=0
fail=0
result() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		sed 's/^/# /' "$out"
		fail=1
	fi
}

# pppoe-mss ARGS...: -A on the veth, its output in $out, its status in $status.
list() {
	ip netns exec "$ns" timeout 20 "$program" -I pmf0 -A "$@" >"$out" 2>&1
	status=$?
}

mode_of() {
	stat -c %a "$1"
}

echo "1..9"

# -- the frame dump --
list -t 1 -D "$dir/dump"
[ "$(mode_of "$dir/dump")" = 600 ] && grep -q "sent discovery" "$dir/dump"
result $? "the dump is created 0600 whatever the umask, and holds the PADI"

echo "root:x:0:0:root:/root:/bin/sh" >"$dir/passwd"
ln -s "$dir/passwd" "$dir/dump-link"
ln -s "$dir/made-by-root" "$dir/dump-new-link"
list -t 1 -D "$dir/dump-link"
first=$status
list -t 1 -D "$dir/dump-new-link"
[ "$first" -eq 1 ] && [ "$status" -eq 1 ] && grep -q "symbolic link" "$out" &&
	[ "$(cat "$dir/passwd")" = "root:x:0:0:root:/root:/bin/sh" ] && [ ! -e "$dir/made-by-root" ]
result $? "a dump through a symbolic link is refused: nothing is appended or created"

# 4 MiB, the default limit, less 100 bytes: the first PADI reaches the limit.
limit=$((4 * 1048576))
head -c $((limit - 100)) /dev/zero >"$dir/dump-full"
list -t 1 -D "$dir/dump-full"
size=$(stat -c %s "$dir/dump-full")
[ "$size" -ge "$limit" ] && [ "$size" -lt $((limit + 1024)) ] &&
	[ "$(grep -c "frame dump stopped: the file reached its limit of $limit bytes" "$dir/dump-full")" -eq 1 ] &&
	grep -q "frame dump $dir/dump-full reached its limit of $limit bytes" "$out"
result $? "the dump stops at its limit (4 MiB by default), said once in the file and once in the log"

list -t 1 -D "$dir/dump-full"
[ "$(stat -c %s "$dir/dump-full")" -eq "$size" ] && grep -q "already holds its limit of $limit bytes" "$out"
result $? "a dump already at its limit grows no more, and the log says so"

list -t 1 -L 1 -D "$dir/dump-full"
[ "$(stat -c %s "$dir/dump-full")" -eq "$size" ] && grep -q "already holds its limit of 1048576 bytes" "$out"
result $? "-L sets the limit in MiB"

# -- the pid file --
echo "keep me" >"$dir/precious"
ln -s "$dir/precious" "$dir/pid-link"
list -t 1 -p "$dir/pid-link"
[ "$(cat "$dir/precious")" = "keep me" ] && [ ! -e "$dir/pid-link" ] && [ ! -L "$dir/pid-link" ]
result $? "the pid file replaces a symbolic link instead of writing through it, and is gone at exit"

# While it runs: our pid, in a file of its own, and no temporary file left beside it.
ip netns exec "$ns" "$program" -I pmf0 -A -t 3 -p "$dir/pid" >"$out" 2>&1 &
runner=$!
tries=0
while [ ! -s "$dir/pid" ] && [ "$tries" -lt 50 ]; do
	sleep 0.1
	tries=$((tries + 1))
done
written=$(cat "$dir/pid" 2>/dev/null)
[ -n "$written" ] && [ -d "/proc/$written" ] &&
	[ "$(readlink "/proc/$written/exe")" = "$(readlink -f "$program")" ] &&
	[ "$(mode_of "$dir/pid")" = 644 ] && [ "$(ls -A "$dir" | grep -c pid)" -eq 1 ]
result $? "the pid file holds the program's pid (0644), with no temporary file beside it"

# Another instance took the name: its pid file stays.
echo 1 >"$dir/pid"
wait "$runner"
[ "$(cat "$dir/pid" 2>/dev/null)" = 1 ]
result $? "a pid file that no longer holds our pid is not removed at exit"

list -t 1 -p "$dir/pid"
[ ! -e "$dir/pid" ]
result $? "our own pid file is removed at exit"
exit "$fail"
