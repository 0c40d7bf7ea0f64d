#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The lab's peers that Debian 12 does not ship, built from Debian 13's
# sources into the build tree (nothing is installed over the system's pppd,
# its headers or rp-pppoe), and our plugin built for that pppd:
#
#   BUILDDIR/tests/lab/peers/pppd-2.5.2/          pppd 2.5.2, a private prefix:
#       sbin/pppd, include/pppd, lib/pkgconfig/pppd.pc, lib/pppd/2.5.2/
#       (its config files are the system's /etc/ppp, of which the lab
#       mounts a private one; pid files and connect-errors in /run/pppd)
#   BUILDDIR/tests/lab/peers/pppd-2.5.2/lib/pppd/2.5.2/pppoe-mss.so
#       our plugin, configured against that pppd through pkg-config alone
#       (PKG_CONFIG_PATH), warning-free (-Werror), and installed in its
#       plugin directory as "make install" would
#   BUILDDIR/tests/lab/peers/rp-pppoe-4.0/pppoe-server
#       rp-pppoe 4.0's access concentrator, with kernel mode (-k) and so
#       with RFC 4638 PPP-Max-Payload
#
# make check runs this before the labs (tests/lab.sh and lab-faults.sh run
# scenarios on pppd 2.5.2, and one with an RFC 4638 AC).  The sources come
# from Debian's archive through a temporary apt source list (trixie); pppd
# and rp-pppoe are built once and kept, the plugin is rebuilt every time
# from the tree as it is now.  Prints TAP; exits 77 with "# cannot run:"
# when the sources cannot be fetched.
set -u

srcdir=$(cd "${SRCDIR:-$(dirname "$0")/..}" && pwd) || exit 1
builddir=$(cd "${BUILDDIR:-.}" && pwd) || exit 1
PPPD_VERSION=2.5.2
RP_PPPOE_VERSION=4.0
peers=$builddir/tests/lab/peers
pppd_prefix=$peers/pppd-$PPPD_VERSION
rp_dir=$peers/rp-pppoe-$RP_PPPOE_VERSION
work=$peers/work
mkdir -p "$peers" || exit 1

echo "1..5"
fail() {
	echo "not ok - $*"
	exit 1
}

cannot_run() {
	echo "# cannot run: $*"
	exit 77
}

# Show a log's last lines, then fail.
fail_with_log() {
	tail -n 25 "$1" | sed 's/^/#   /'
	fail "$2"
}

# apt with a private source list and state: nothing lands in /etc/apt or
# the system's lists and cache.
peers_apt() {
	apt-get -q -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=/dev/null \
		-o Dir::Etc::sourcelist="$work/apt/trixie.sources" -o Dir::State::Lists="$work/apt/lists" \
		-o Dir::Cache="$work/apt/cache" -o APT::Sandbox::User=root "$@"
}

peers_apt_ready=
peers_apt_update() {
	[ -n "$peers_apt_ready" ] && return 0
	mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial" || return 1
	cat >"$work/apt/trixie.sources" <<-SOURCES
	Types: deb deb-src
	URIs: http://deb.debian.org/debian
	Suites: trixie
	Components: main
	Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
	SOURCES
	peers_apt update >"$work/apt.log" 2>&1 || {
		tail -n 5 "$work/apt.log" | sed 's/^/# /'
		cannot_run "cannot read Debian 13's package lists"
	}
	peers_apt_ready=yes
}

# ---- pppd 2.5.2 ----
# Its pid files and connect-errors go to /run/pppd, which is a tmpfs in the
# lab; its config files are /etc/ppp, of which the lab mounts a private one.
pppd_configure="--prefix=$pppd_prefix --sysconfdir=/etc --with-runtime-dir=/run/pppd
	--with-logfile-dir=/run/pppd --without-openssl --without-pcap --without-pam
	--disable-systemd --disable-eaptls --disable-peap"
if [ ! -x "$pppd_prefix/sbin/pppd" ] || [ ! -f "$pppd_prefix/lib/pkgconfig/pppd.pc" ] ||
	[ "$(cat "$pppd_prefix/configured" 2>/dev/null)" != "$pppd_configure" ]; then
	rm -rf "$work/ppp" "$pppd_prefix"
	mkdir -p "$work/ppp"
	peers_apt_update
	(cd "$work/ppp" && peers_apt source --download-only ppp/trixie) >"$work/ppp.log" 2>&1
	tarball=$(ls "$work"/ppp/ppp_"$PPPD_VERSION".orig.tar.* 2>/dev/null | head -n 1)
	[ -n "$tarball" ] || cannot_run "cannot download pppd $PPPD_VERSION's source (Debian 13's ppp)"
	tar -xf "$tarball" -C "$work/ppp" || fail "cannot unpack $tarball"
	tree=$(ls -d "$work"/ppp/ppp-"$PPPD_VERSION"* | head -n 1)
	echo "# building pppd $PPPD_VERSION into $pppd_prefix"
	(cd "$tree" && ./configure $pppd_configure && make -j"$(nproc)" && make install) >"$work/ppp-build.log" 2>&1 ||
		fail_with_log "$work/ppp-build.log" "pppd $PPPD_VERSION does not build"
	[ -x "$pppd_prefix/sbin/pppd" ] || fail "pppd $PPPD_VERSION built, but $pppd_prefix/sbin/pppd is missing"
	echo "$pppd_configure" >"$pppd_prefix/configured"
fi
echo "ok 1 - pppd $("$pppd_prefix/sbin/pppd" --version 2>&1 | sed -n 's/.*pppd version //p') built from Debian 13's source in a private prefix"

# ---- rp-pppoe 4.0 ----
if [ ! -x "$rp_dir/pppoe-server" ]; then
	rm -rf "$work/rp-pppoe" "$rp_dir"
	mkdir -p "$work/rp-pppoe" "$rp_dir"
	peers_apt_update
	# Only the upstream tarball of Debian 13's rp-pppoe downloads (its .dsc
	# and Debian tarball do not): apt-get fails, the tarball is enough.
	(cd "$work/rp-pppoe" && peers_apt source --download-only rp-pppoe/trixie) >"$work/rp-pppoe.log" 2>&1
	tarball=$(ls "$work"/rp-pppoe/rp-pppoe_"$RP_PPPOE_VERSION".orig.tar.* 2>/dev/null | head -n 1)
	[ -n "$tarball" ] || cannot_run "cannot download rp-pppoe $RP_PPPOE_VERSION's source (Debian 13's rp-pppoe)"
	tar -xf "$tarball" -C "$work/rp-pppoe" || fail "cannot unpack $tarball"
	tree=$(ls -d "$work"/rp-pppoe/rp-pppoe-"$RP_PPPOE_VERSION"* | head -n 1)
	echo "# building rp-pppoe $RP_PPPOE_VERSION's pppoe-server into $rp_dir"
	(cd "$tree/src" && ./configure && make -j"$(nproc)") >"$work/rp-pppoe-build.log" 2>&1 ||
		fail_with_log "$work/rp-pppoe-build.log" "rp-pppoe $RP_PPPOE_VERSION does not build"
	cp "$tree/src/pppoe-server" "$rp_dir/" || fail "no pppoe-server in $tree/src"
fi
# Kernel mode is what carries PPP-Max-Payload in rp-pppoe's server.
if "$rp_dir/pppoe-server" -h 2>&1 | grep -q -- '-k'; then
	echo "ok 2 - rp-pppoe $RP_PPPOE_VERSION's pppoe-server built, with kernel mode (-k)"
else
	fail "rp-pppoe $RP_PPPOE_VERSION's pppoe-server built, with kernel mode (-k)"
fi

# ---- pppoe-mss.so for pppd 2.5.2, from the tree as it is now ----
# A copy of the sources, without build products: the tree may be configured
# in place (srcdir = builddir), which forbids a second build beside it.
rm -rf "$work/plugin" "$pppd_prefix/lib/pppd/$PPPD_VERSION/pppoe-mss.so"
mkdir -p "$work/plugin"
(cd "$srcdir" && tar -cf - --exclude=./tests/lab/peers --exclude=.git --exclude=autom4te.cache \
	--exclude='*.o' --exclude='*.lo' --exclude='*.la' --exclude=.libs --exclude=.deps . |
	tar -xf - -C "$work/plugin") || fail "a copy of the sources to build pppoe-mss.so for pppd $PPPD_VERSION"
(
	cd "$work/plugin" &&
		{ [ ! -f Makefile ] || make distclean; } &&
		{ [ -x configure ] || autoreconf -fi; } &&
		PKG_CONFIG_PATH=$pppd_prefix/lib/pkgconfig ./configure --enable-werror --disable-lab \
			--prefix="$pppd_prefix" &&
		make -j"$(nproc)" src/libpppoemss.la plugin/pppoe-mss.la
) >"$work/plugin-build.log" 2>&1 || fail_with_log "$work/plugin-build.log" "pppoe-mss.so builds warning-free (-Werror) against pppd $PPPD_VERSION"
# configure found this pppd through pkg-config: its headers, its version.
label="pppoe-mss.so builds warning-free (-Werror) against pppd $PPPD_VERSION, found by pkg-config alone"
grep -q "^PPPD_CFLAGS = -isystem $pppd_prefix/include\$" "$work/plugin/Makefile" &&
	grep -q "^PPPD_VERSION = $PPPD_VERSION\$" "$work/plugin/Makefile" ||
	fail_with_log "$work/plugin-build.log" "$label"
echo "ok 3 - $label"
so=$work/plugin/plugin/.libs/pppoe-mss.so
exports=$(nm -D --defined-only "$so" | awk '{ print $3 }' | sort | tr '\n' ' ')
label="it exports only plugin_init and pppd_version"
[ "$exports" = "plugin_init pppd_version " ] || fail "$label (exports: $exports)"
echo "ok 4 - $label"
# pppd refuses a plugin whose pppd_version is not its own.
label="its pppd_version is $PPPD_VERSION"
strings "$so" | grep -qx "$PPPD_VERSION" || fail "$label"
echo "ok 5 - $label"
cp "$so" "$pppd_prefix/lib/pppd/$PPPD_VERSION/pppoe-mss.so" || fail "cannot install pppoe-mss.so for pppd $PPPD_VERSION"
