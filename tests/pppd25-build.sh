#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds pppoe-mss.so against pppd 2.5's plugin interface: Debian 13's ppp-dev
# headers are downloaded (a temporary apt source list, nothing installed) and
# unpacked into a scratch directory, and a copy of the tree is configured
# against them.  CI runs this next to the 2.4.9 build that make check does.
# Prints TAP; exit 77 with "# cannot run:" when the headers cannot be fetched.
set -u

srcdir=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/pppoe-mss-pppd25.XXXXXX")
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/deb"
cat >"$work/trixie.sources" <<SOURCES
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
apt() {
	apt-get -q -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=/dev/null \
		-o Dir::Etc::sourcelist="$work/trixie.sources" -o Dir::State::Lists="$work/lists" \
		-o Dir::Cache="$work/cache" -o APT::Sandbox::User=root "$@"
}
if ! apt update >"$work/apt.log" 2>&1 || ! (cd "$work/deb" && apt download ppp-dev) >>"$work/apt.log" 2>&1; then
	tail -n 5 "$work/apt.log" | sed 's/^/# /'
	echo "# cannot run: cannot download Debian 13's ppp-dev (pppd 2.5 headers)"
	exit 77
fi
dpkg -x "$work"/deb/ppp-dev_*.deb "$work/root"
headers=$work/root/usr/include
version=$(sed -n 's/^#define PPPD_VERSION[^"]*"\(.*\)"/\1/p' "$headers/pppd/pppdconf.h")
echo "1..3"
echo "# pppd headers: $version"

cp -r "$srcdir" "$work/src"
cd "$work/src" || exit 1
[ -f Makefile ] && make distclean >/dev/null 2>&1
[ -x configure ] || autoreconf -fi >/dev/null 2>&1
if ./configure --enable-werror --with-pppd-headers="$headers" >"$work/build.log" 2>&1 &&
	make -j"$(nproc)" src/libpppoemss.la plugin/pppoe-mss.la >>"$work/build.log" 2>&1; then
	echo "ok 1 - pppoe-mss.so builds warning-free (-Werror) against pppd $version's headers"
else
	tail -n 30 "$work/build.log" | sed 's/^/# /'
	echo "not ok 1 - pppoe-mss.so builds warning-free (-Werror) against pppd $version's headers"
	exit 1
fi
so=plugin/.libs/pppoe-mss.so
exports=$(nm -D --defined-only "$so" | awk '{print $3}' | sort | tr '\n' ' ')
if [ "$exports" = "plugin_init pppd_version " ]; then
	echo "ok 2 - it exports only plugin_init and pppd_version"
else
	echo "not ok 2 - it exports only plugin_init and pppd_version (exports: $exports)"
fi
# pppd refuses a plugin whose pppd_version is not its own.
if strings "$so" | grep -qx "$version"; then
	echo "ok 3 - its pppd_version is $version"
else
	echo "not ok 3 - its pppd_version is $version"
fi
