#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The man pages render without a single groff warning (what "man -l" shows
# a user), and the pages that only point elsewhere (.so) point at a page
# that exists.
set -u

srcdir=${SRCDIR:-.}
command -v groff >/dev/null 2>&1 || { echo "# cannot run: no groff (apt-get install groff-base)"; exit 77; }
n=0
fail=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for page in "$srcdir"/man/*.8; do
	n=$((n + 1))
	name=${page##*/}
	target=$(sed -n 's/^\.so man8\///p' "$page")
	if [ -n "$target" ]; then
		if [ -f "$srcdir/man/$target" ] && [ "$(wc -l <"$page")" -eq 1 ]; then
			echo "ok $n - $name points at $target"
		else
			echo "not ok $n - $name points at $target, which is not in man/"
			fail=1
		fi
		continue
	fi
	LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$page" >"$out" 2>&1
	if [ -s "$out" ]; then
		echo "not ok $n - $name renders without groff warnings"
		sed 's/^/# /' "$out"
		fail=1
	else
		echo "ok $n - $name renders without groff warnings"
	fi
done
echo "1..$n"
exit "$fail"
