#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The man pages render without a single groff warning (what "man -l" shows
# a user), and the pages that only point elsewhere (.so) point at a page
# that exists.  And they keep up with the options table (src/options.c):
# pppoe-mss.8 has an entry for each pppd option and each flag, and every
# pppd option pppoe-mss-ifcfg writes is one of the table's, named in
# pppoe-mss-ifcfg.8.
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

# check_list WHAT MISSING...: one test, which fails naming what is missing.
check_list() {
	what=$1
	shift
	n=$((n + 1))
	if [ $# -eq 0 ]; then
		echo "ok $n - $what"
	else
		echo "not ok $n - $what: missing $*"
		fail=1
	fi
}

# An entry is a .TP paragraph whose tag starts with the option (.B, .BI, .BR).
has_entry() {
	grep -A1 '^\.TP' "$srcdir/man/pppoe-mss.8" | grep -q "^\.B[IR]* $1\( \|\$\)"
}

table=$srcdir/src/options.c
names=$(sed -n 's/.*\.name = "\([^"]*\)".*/\1/p' "$table")
aliases=$(sed -n 's/.*\.alias = "\([^"]*\)".*/\1/p' "$table")
flags=$(sed -n "s/.*\\.flag = '\\(.\\)'.*/\\1/p" "$table")
missing=
for name in $names; do
	has_entry "$name" || missing="$missing $name"
done
for alias in $aliases; do
	grep -qw -- "$alias" "$srcdir/man/pppoe-mss.8" || missing="$missing $alias"
done
check_list "pppoe-mss.8 has an entry for each of the $(echo $names | wc -w) pppd options of src/options.c, and their aliases" \
	$missing
missing=
for flag in $flags; do
	has_entry "\\\\-$flag" || missing="$missing -$flag"
done
check_list "pppoe-mss.8 has an entry for each of the $(echo $flags | wc -w) flags of src/options.c" $missing
written=$(sed -n '/^pppd_options() {/,/^}/p' "$srcdir/src/pppoe-mss-ifcfg" |
	grep -v '^[[:space:]]*#' | grep -o 'pppoe-[a-z0-9-]*' | sort -u)
missing=
for name in $written; do
	{ echo "$names" | grep -qx -- "$name" && grep -q -- "$name" "$srcdir/man/pppoe-mss-ifcfg.8"; } ||
		missing="$missing $name"
done
check_list "the $(echo $written | wc -w) pppd options pppoe-mss-ifcfg writes are in src/options.c and its page" \
	$missing
echo "1..$n"
exit "$fail"
