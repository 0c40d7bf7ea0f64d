# SPDX-License-Identifier: GPL-2.0-or-later
# The directories a build compiled into the clients (configure's
# --with-state-dir and --with-run-dir), read from its Makefile: sourced by
# tests/lab/uml-run, which refuses a build whose clients do not carry them,
# and by tests/lab/init, which mounts private directories over them inside
# the lab (the host's root is the lab's root: without that, the clients'
# session records would land on the host).

# lab_makefile_dir MAKEFILE NAME: the directory variable NAME of a build's
# Makefile, its ${...} and $(...) references to other variables expanded
# (statedir = ${localstatedir}/lib/pppoe-mss, localstatedir = ${prefix}/var,
# ...); nothing when the Makefile does not define it.
lab_makefile_dir() {
	awk -v want="$2" '
		/^[A-Za-z_][A-Za-z0-9_]* = / {
			value = $0
			sub(/^[^=]*= */, "", value)
			vars[$1] = value
		}
		END {
			s = vars[want]
			for (i = 0; i < 50 && match(s, /\$[({][A-Za-z_][A-Za-z0-9_]*[)}]/); i++)
				s = substr(s, 1, RSTART - 1) vars[substr(s, RSTART + 2, RLENGTH - 3)] substr(s, RSTART + RLENGTH)
			print s
		}' "$1" 2>/dev/null
}

# lab_build_dirs_stale BUILDDIR: the clients of BUILDDIR that do not carry
# its Makefile's statedir and rundir (built before configure changed them),
# one "file: missing DIR" line each; nothing when all do, or when the
# Makefile names no statedir (a build without session records).
lab_build_dirs_stale() {
	lab_statedir=$(lab_makefile_dir "$1/Makefile" statedir)
	lab_rundir=$(lab_makefile_dir "$1/Makefile" rundir)
	[ -n "$lab_statedir" ] || return 0
	for lab_client_file in pppoe-mss plugin/.libs/pppoe-mss.so; do
		[ -f "$1/$lab_client_file" ] || continue
		grep -q -a -F "$lab_statedir" "$1/$lab_client_file" ||
			echo "$lab_client_file: missing $lab_statedir"
		grep -q -a -F "$lab_rundir" "$1/$lab_client_file" ||
			echo "$lab_client_file: missing $lab_rundir"
	done
}
