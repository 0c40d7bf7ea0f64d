# SPDX-License-Identifier: GPL-2.0-or-later
# The ISP lab's network, sourced by the scenario scripts inside User-Mode
# Linux (tests/lab/init has already mounted /run, /tmp and a private /etc/ppp,
# and loaded the modules).  Four network namespaces in a row:
#
#   lan ---------- gw ============ ac ---------- web
#   10.77.1.2      10.77.1.1       10.77.2.1      10.77.3.2
#   fd77:1::2      fd77:1::1       fd77:3::1      fd77:3::2
#   MTU 1500       ppp0: pppd      pppoe-server   busybox httpd,
#                  + NAT           (PAP, MTU      a 256 KiB file
#                                  1492, no       MTU 1500
#                                  clamping)
#
# gw is the customer's gateway: pppd with the client under test on wan0,
# MASQUERADE out of ppp0, forwarding.  ac is the provider's access
# concentrator: rp-pppoe's pppoe-server in user mode on sub0, routing to web.
# It drops ICMP "fragmentation needed" and ICMPv6 "packet too big", so Path
# MTU discovery is a black hole and only MSS clamping keeps TCP alive.
# Every address here exists only inside these namespaces.
#
# Environment: LAB_BUILDDIR (pppoe-mss, plugin/.libs/pppoe-mss.so),
# LAB_DIR (this scenario's results directory: logs and captures go there).
# A scenario may set, before lab_up: LAB_WAN_IF (the gateway's PPPoE
# interface, default wan0) and LAB_AC_IF (pppoe-server's, default sub0);
# and, before lab_client_start, LAB_CLIENT_OPTS (more client options: the
# plugin's, or the pppoe-mss command line's) and LAB_DATAPATH (the
# plugin's pppoe-datapath, instead of the client's own: see
# lab_client_start).  An AC with other rules: LAB_AC_OPTS (more
# pppoe-server options, e.g. "-x 1": one session per client MAC) and
# LAB_AC_PPPD_OPTIONS (more options of the AC's pppd, one a line), both
# before lab_up; LAB_AC_SERVER, another pppoe-server (rp-pppoe 4.0's,
# $LAB_PEERS/rp-pppoe-4.0/pppoe-server, which has kernel mode and RFC
# 4638); LAB_PPPOE_NIC_MTU, the MTU of the PPPoE link's two NICs (wan0,
# sub0; default 1500, 1508 for RFC 4638's 1500-byte PPP MTU), and
# LAB_AC_NIC_MTU, the AC's alone.

# Everything below creates and deletes namespaces by name and kills what runs
# in them: never on the host, only in the lab's own kernel.
if ! grep -q ' lab\.dir=' /proc/cmdline; then
	echo "tests/lab: scenarios run inside User-Mode Linux only: use tests/lab/uml-run" >&2
	exit 2
fi

. "$LAB_SRCDIR/tests/lab/datapath.sh"

LAB_NAMESPACES="lan gw ac web"
LAB_WEB_ROOT=/tmp/lab-web
LAB_BLOB_SIZE=262144
LAB_PPP_USER=labuser
# What the AC offers as DNS server (usepeerdns); nothing answers there.
LAB_AC_DNS=10.77.2.53
LAB_PPP_PASSWORD=labpass
LAB_AC_IP=10.77.2.1
LAB_POOL_START=10.77.2.10
LAB_PPPD_PID=
LAB_WAN_IF=${LAB_WAN_IF:-wan0}
LAB_AC_IF=${LAB_AC_IF:-sub0}

# The pppd of the scenario's client (LAB_PPPD, for the tools that start pppd
# themselves: pon; lab_client_start picks its client's): the system's
# (Debian 12: 2.4.9), or with a client name ending in -pppd25
# (plugin-pppd25, ebpf-pppd25, pty-pppd25) pppd 2.5.2, and the plugin built
# for it in its plugin directory, both from the build tree
# (tests/lab-peers.sh).  LAB_CLIENT_KIND is the client without its variants
# (pty, plugin, ebpf, kernel, rp-pty), for scenarios that differ by client.
# The access concentrator's pppd is always the system's.
LAB_PEERS=$LAB_BUILDDIR/tests/lab/peers
LAB_PPPD=pppd
LAB_PPPD_PLUGIN_DIR=
LAB_CLIENT_KIND=${LAB_CLIENT:-}
case $LAB_CLIENT_KIND in
*-pppd25)
	LAB_CLIENT_KIND=${LAB_CLIENT_KIND%-pppd25}
	LAB_PPPD=$LAB_PEERS/pppd-2.5.2/sbin/pppd
	LAB_PPPD_PLUGIN_DIR=$LAB_PEERS/pppd-2.5.2/lib/pppd/2.5.2
	# Its pid files (tests/lab-peers.sh), in the lab's tmpfs /run.
	mkdir -p /run/pppd
	;;
esac
LAB_CLIENT_KIND=${LAB_CLIENT_KIND%-asan}
LAB_CLIENT_KIND=${LAB_CLIENT_KIND%-sync}

in_lan() { ip netns exec lan "$@"; }
in_gw() { ip netns exec gw "$@"; }
in_ac() { ip netns exec ac "$@"; }
in_web() { ip netns exec web "$@"; }

lab_log() {
	echo "$(date +%T.%N | cut -c1-12) $*" >>"$LAB_DIR/lab.log"
}

# Runs a command, logging it and anything it says; returns its status.
lab_run() {
	lab_log "+ $*"
	"$@" >>"$LAB_DIR/lab.log" 2>&1
}

# The wall clock in seconds, with fractions: the clock of tcpdump's
# timestamps, so that the two compare.
lab_now() {
	date +%s.%N
}

# lab_wait SECONDS COMMAND...: polls COMMAND every 0.1 s until it succeeds,
# SECONDS × 10 times at most (a little longer than SECONDS when COMMAND is
# slow: bounded all the same).
lab_wait() {
	lab_wait_tries=$(($1 * 10))
	shift
	while [ "$lab_wait_tries" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		lab_wait_tries=$((lab_wait_tries - 1))
	done
	return 1
}

# pppd reads /etc/ppp: make sure it is the private copy init mounted, never
# the host's own.
lab_etc_ppp_is_private() {
	awk '$2 == "/etc/ppp" { found = 1 } END { exit !found }' /proc/mounts
}

lab_write_ppp_config() {
	lab_etc_ppp_is_private || {
		echo "topology: /etc/ppp is not the lab's private copy: refusing to write to it" >&2
		return 1
	}
	# pppd reads this before anything else; the host's own has "auth",
	# "crtscts" and "lock", none of which fit a pty or a netns.
	echo "# the ISP lab's pppd defaults: none" >/etc/ppp/options
	# A scenario's ip-up script goes with it (lab_install_ip_up).
	rm -f /etc/ppp/ip-up
	printf '%s * %s *\n' "$LAB_PPP_USER" "$LAB_PPP_PASSWORD" >/etc/ppp/pap-secrets
	: >/etc/ppp/chap-secrets
	chmod 600 /etc/ppp/pap-secrets /etc/ppp/chap-secrets
	# The access concentrator's pppd, started by pppoe-server for each
	# session: PAP, a 1492-byte link, no compression (it would hide what
	# the clamp does), IPv6 as well.  No MSS clamping here: pppoe-server
	# runs without -m.
	cat >/etc/ppp/pppoe-server-options <<-EOF
		require-pap
		mtu 1492
		mru 1492
		nodeflate
		nobsdcomp
		novj
		noccp
		+ipv6
		ipv6 ::1,::2
		ms-dns $LAB_AC_DNS
		debug
	EOF
	[ -z "${LAB_AC_PPPD_OPTIONS:-}" ] ||
		echo "$LAB_AC_PPPD_OPTIONS" >>/etc/ppp/pppoe-server-options
}

lab_netns_up() {
	for ns in $LAB_NAMESPACES; do
		ip netns add "$ns" || return 1
		ip -n "$ns" link set lo up
		# No duplicate address detection: addresses are usable at once.
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0
	done
	ip -n lan link add eth0 type veth peer name lan0 netns gw &&
		ip -n gw link add wan0 type veth peer name sub0 netns ac &&
		ip -n ac link add up0 type veth peer name eth0 netns web || return 1
	# The PPPoE link carries no IP of its own.
	in_gw sysctl -qw net.ipv6.conf.wan0.disable_ipv6=1
	in_ac sysctl -qw net.ipv6.conf.sub0.disable_ipv6=1
	for link in lan:eth0 gw:lan0 gw:wan0 ac:sub0 ac:up0 web:eth0; do
		lab_link_mtu=1500
		case $link in
		gw:wan0) lab_link_mtu=${LAB_PPPOE_NIC_MTU:-1500} ;;
		ac:sub0) lab_link_mtu=${LAB_AC_NIC_MTU:-${LAB_PPPOE_NIC_MTU:-1500}} ;;
		esac
		ip -n "${link%%:*}" link set "${link#*:}" mtu "$lab_link_mtu" up || return 1
	done

	ip -n lan addr add 10.77.1.2/24 dev eth0
	ip -n lan addr add fd77:1::2/64 dev eth0
	ip -n lan route add default via 10.77.1.1
	ip -n lan -6 route add default via fd77:1::1

	ip -n gw addr add 10.77.1.1/24 dev lan0
	ip -n gw addr add fd77:1::1/64 dev lan0
	in_gw sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1

	ip -n ac addr add 10.77.3.1/24 dev up0
	ip -n ac addr add fd77:3::1/64 dev up0
	in_ac sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1

	ip -n web addr add 10.77.3.2/24 dev eth0
	ip -n web addr add fd77:3::2/64 dev eth0
	ip -n web route add default via 10.77.3.1
	ip -n web -6 route add default via fd77:3::1
	# Linux would eventually probe for a smaller MSS after losses (RFC
	# 4821); servers on the Internet mostly do not, and neither does ours.
	in_web sysctl -qw net.ipv4.tcp_mtu_probing=0
}

lab_firewall_up() {
	# The gateway shares one provider address, as home routers do.
	lab_run in_gw iptables-legacy -t nat -A POSTROUTING -o ppp0 -j MASQUERADE || return 1
	# The black hole.  The AC's own "fragmentation needed" for a packet it
	# cannot forward is locally generated (OUTPUT); one from further
	# upstream would be forwarded (FORWARD).  Drop both, for both families.
	for chain in OUTPUT FORWARD; do
		lab_run in_ac iptables-legacy -A "$chain" -p icmp --icmp-type fragmentation-needed -j DROP &&
			lab_run in_ac ip6tables-legacy -A "$chain" -p icmpv6 --icmpv6-type packet-too-big -j DROP ||
			return 1
	done
}

lab_web_up() {
	mkdir -p "$LAB_WEB_ROOT/cgi-bin" || return 1
	head -c "$LAB_BLOB_SIZE" /dev/urandom >"$LAB_WEB_ROOT/blob"
	# What the LAN host uploads: text, because busybox wget --post-file
	# sends its file as a C string and would stop at the first NUL byte.
	head -c $((LAB_BLOB_SIZE / 4 * 3)) /dev/urandom | base64 -w 0 >"$LAB_WEB_ROOT/upload"
	# The upload target: answers with the number of bytes it received.
	cat >"$LAB_WEB_ROOT/cgi-bin/upload" <<-'EOF'
		#!/bin/sh
		received=$(head -c "${CONTENT_LENGTH:-0}" | wc -c)
		printf 'Content-Type: text/plain\r\n\r\n%s\n' "$received"
	EOF
	chmod 755 "$LAB_WEB_ROOT/cgi-bin/upload"
	: >/tmp/lab-httpd.conf
	ip netns exec web busybox httpd -f -p 80 -h "$LAB_WEB_ROOT" -c /tmp/lab-httpd.conf \
		</dev/null >>"$LAB_DIR/httpd.log" 2>&1 &
	lab_wait 5 lab_listening web 80 || {
		echo "topology: busybox httpd is not listening on port 80 in netns web" >&2
		return 1
	}
}

# lab_listening NETNS PORT
lab_listening() {
	ip netns exec "$1" ss -Hltn "sport = :$2" 2>/dev/null | grep -q .
}

lab_ac_up() {
	# -F: stay in the foreground, so that the lab knows its process.
	ip netns exec ac "${LAB_AC_SERVER:-pppoe-server}" -F -I "$LAB_AC_IF" -C lab-ac -L "$LAB_AC_IP" -R "$LAB_POOL_START" -N 4 \
		-O /etc/ppp/pppoe-server-options ${LAB_AC_OPTS:-} </dev/null >>"$LAB_DIR/pppoe-server.log" 2>&1 &
	# It has no "ready" signal; its raw socket appears in /proc once bound.
	lab_wait 5 lab_ac_listening || {
		echo "topology: pppoe-server did not open its socket on $LAB_AC_IF" >&2
		return 1
	}
}

lab_ac_listening() {
	in_ac cat /proc/net/packet 2>/dev/null | awk 'NR > 1 && $4 == "8863" { found = 1 } END { exit !found }'
}

# lab_up: the whole network, the web server and the access concentrator,
# ready for a client.
lab_up() {
	lab_log "lab_up"
	lab_write_ppp_config &&
		lab_netns_up &&
		lab_firewall_up &&
		lab_web_up &&
		lab_ac_up
}

# lab_client_start CLIENT CLAMP: pppd on gw with the client under test.
#   CLIENT pty     pppd pty "pppoe-mss -I wan0 [-m CLAMP]"
#          kernel  pppd plugin rp-pppoe.so (kernel-mode PPPoE: never
#                  clamps; CLAMP must be auto or off)
#          plugin  pppd plugin plugin/.libs/pppoe-mss.so [pppoe-mss CLAMP]
#                  pppoe-datapath user: the session on the plugin's
#                  user-space relay
#          ebpf    the same plugin with pppoe-datapath kernel: the session
#                  in the kernel (a PPPoE socket), the clamp in eBPF on wan0
#          (LAB_DATAPATH overrides the pppoe-datapath of either: "auto"
#          takes whichever path the plugin logs)
#          The plugin logs one line saying which path carries the session;
#          the start fails unless it is the one asked for (LAB_PPPD_DATAPATH
#          is then kernel or user, LAB_PPPD_DATAPATH_LINE the line).
#          rp-pty  pppd pty "pppoe -I wan0 [-m CLAMP]": rp-pppoe's own
#                  user-mode client, for comparison (auto and off: no -m)
#          pty and plugin take suffixes (the QEMU lab, tests/qemu):
#          -sync  synchronous PPP: pppd's sync with pppoe-mss -s, or the
#                 plugin's pppoe-sync; checked to really use n_hdlc
#          -asan  the client from LAB_SANITIZER_BUILDDIR (a build with
#                 --enable-sanitizers); ASan reports go to
#                 LAB_DIR/sanitizer.asan.<pid>, UBSan's to stderr (GCC's
#                 runtime with both ignores UBSan's log_path)
#          both as pty-sync-asan
#          -pppd25  pppd 2.5.2 and the plugin built for it
#   CLAMP  auto, off or an MSS; "auto" leaves the client's default alone.
# Waits until IPCP is up (an address and the default route on ppp0).
# Sets LAB_PPPD_PID.  LAB_PPPD_SETSID=yes starts pppd in a session and
# process group of its own (setsid), which its children share unless they
# leave it: a kill of the group takes the whole client at once.
lab_client_start() {
	lab_client=$1
	lab_clamp=$2
	lab_client_variants "$lab_client" || return 1
	lab_client=$lab_base_client
	LAB_PPPD_DATAPATH=
	LAB_PPPD_DATAPATH_LINE=
	lab_datapath=
	set -- nodetach linkname gw user "$LAB_PPP_USER" noauth noipdefault defaultroute \
		maxfail 1 mtu 1492 mru 1492 nodeflate nobsdcomp novj noccp noaccomp nopcomp \
		default-asyncmap +ipv6 ipv6 ::2,::1 logfile "$LAB_DIR/gw-pppd.log" debug
	# LAB_PPPD_EXTRA: more pppd options (later ones win: "persist maxfail 0").
	set -- "$@" ${LAB_PPPD_EXTRA:-}
	case $lab_client in
	pty)
		lab_pty="$lab_client_builddir/pppoe-mss -I $LAB_WAN_IF"
		[ "$lab_clamp" = auto ] || lab_pty="$lab_pty -m $lab_clamp"
		[ -z "$lab_sync" ] || lab_pty="$lab_pty -s"
		[ -z "$lab_sync" ] || set -- "$@" sync
		[ -z "${LAB_CLIENT_OPTS:-}" ] || lab_pty="$lab_pty $LAB_CLIENT_OPTS"
		set -- "$@" pty "$lab_pty"
		;;
	kernel)
		# It has no clamp: its "auto", the default, is the same as off.
		case $lab_clamp in
		auto|off) ;;
		*)
			echo "topology: kernel-mode rp-pppoe.so cannot clamp to $lab_clamp" >&2
			return 1
			;;
		esac
		set -- "$@" plugin rp-pppoe.so "$LAB_WAN_IF" ${LAB_CLIENT_OPTS:-}
		;;
	plugin|ebpf)
		lab_datapath=user
		[ "$lab_client" = ebpf ] && lab_datapath=kernel
		lab_datapath=${LAB_DATAPATH:-$lab_datapath}
		set -- "$@" plugin "$lab_client_plugin" "$LAB_WAN_IF"
		[ "$lab_clamp" = auto ] || set -- "$@" pppoe-mss "$lab_clamp"
		[ -z "$lab_sync" ] || set -- "$@" pppoe-sync
		set -- "$@" pppoe-datapath "$lab_datapath" ${LAB_CLIENT_OPTS:-}
		;;
	rp-pty)
		lab_pty="pppoe -I $LAB_WAN_IF"
		case $lab_clamp in
		auto|off) ;;
		*) lab_pty="$lab_pty -m $lab_clamp" ;;
		esac
		[ -z "${LAB_CLIENT_OPTS:-}" ] || lab_pty="$lab_pty $LAB_CLIENT_OPTS"
		set -- "$@" pty "$lab_pty"
		;;
	*)
		echo "topology: unknown client '$lab_client' (pty, kernel, plugin, ebpf or rp-pty)" >&2
		return 1
		;;
	esac
	if ip -n gw link show ppp0 >/dev/null 2>&1; then
		echo "topology: the gateway still has a ppp0 from an earlier session" >&2
		return 1
	fi
	lab_log "+ $lab_client_pppd $*"
	# This pppd's lines of its log file are those after the ones there now.
	lab_pppd_log_from=$(($(lab_line_count "$LAB_DIR/gw-pppd.log") + 1))
	# ip netns exec execs pppd: $! is pppd's own pid (a shell function run
	# in the background would leave $! to a subshell).
	# (env execs pppd in turn; $lab_client_env is empty but for -asan.)
	# (setsid, when asked for, does not fork: pppd is not a group leader.)
	ip netns exec gw env $lab_client_env ${LAB_PPPD_SETSID:+setsid} "$lab_client_pppd" "$@" \
		</dev/null >>"$LAB_DIR/gw-pppd.out" 2>&1 &
	LAB_PPPD_PID=$!
	# Stops waiting when pppd has exited: no session can come any more.
	lab_wait 20 lab_session_up_or_exited
	if ! lab_session_up; then
		echo "topology: no PPP session with the $lab_client client within 20 s" >&2
		return 1
	fi
	[ -z "$lab_datapath" ] ||
		lab_datapath_as_asked "$LAB_DIR/gw-pppd.log" "$lab_pppd_log_from" "$lab_datapath" "$lab_clamp" ||
		return 1
	lab_client_variants_in_use
}

# lab_other_pppd_start NAME UNIT [PPPD-OPTIONS...]: one more pppd on
# LAB_WAN_IF with the client under test (pty, plugin or ebpf, as
# lab_client_start runs them, with LAB_CLIENT_OPTS), its own link name NAME,
# unit UNIT (pppUNIT) and logs (LAB_DIR/NAME-pppd.log, .out), no default
# route and no IPv6.  Does not wait for the session: sets LAB_OTHER_PPPD_PID.
lab_other_pppd_start() {
	lab_other_name=$1
	lab_other_unit=$2
	shift 2
	set -- nodetach linkname "$lab_other_name" unit "$lab_other_unit" user "$LAB_PPP_USER" noauth \
		noipdefault maxfail 1 mtu 1492 mru 1492 nodeflate nobsdcomp novj noccp noaccomp nopcomp \
		default-asyncmap logfile "$LAB_DIR/$lab_other_name-pppd.log" debug "$@"
	case $LAB_CLIENT in
	pty)
		set -- "$@" pty "$LAB_BUILDDIR/pppoe-mss -I $LAB_WAN_IF${LAB_CLIENT_OPTS:+ $LAB_CLIENT_OPTS}"
		;;
	plugin|ebpf)
		lab_other_datapath=user
		[ "$LAB_CLIENT" = ebpf ] && lab_other_datapath=kernel
		set -- "$@" plugin "$LAB_BUILDDIR/plugin/.libs/pppoe-mss.so" "$LAB_WAN_IF" \
			pppoe-datapath "$lab_other_datapath" ${LAB_CLIENT_OPTS:-}
		;;
	*)
		echo "topology: lab_other_pppd_start: no second session with client '$LAB_CLIENT'" >&2
		return 1
		;;
	esac
	lab_log "+ pppd $*"
	ip netns exec gw pppd "$@" </dev/null >>"$LAB_DIR/$lab_other_name-pppd.out" 2>&1 &
	LAB_OTHER_PPPD_PID=$!
}

# lab_line_count FILE: its lines, 0 when it does not exist.
lab_line_count() {
	if [ -f "$1" ]; then
		wc -l <"$1" | tr -d ' '
	else
		echo 0
	fi
}

# lab_datapath_line LOG FROM-LINE: the plugin's line saying which data path
# carries the session, the first in LOG from line FROM-LINE on.
lab_datapath_line() {
	tail -n "+$2" "$1" 2>/dev/null |
		grep -m 1 -E 'pppoe-mss: (session [0-9]+ runs (in the kernel|on the user-space relay)|pppoe-datapath kernel: session [0-9]+ cannot run in the kernel)' |
		sed 's/.*pppoe-mss: /pppoe-mss: /'
}

# lab_datapath_as_asked LOG FROM-LINE DATAPATH CLAMP: the plugin's line
# (lab_datapath_line) names the path pppoe-datapath DATAPATH asked for --
# "user": the relay, by that option; "kernel": the kernel, with the clamp
# in eBPF unless CLAMP is off; "auto": either -- on LAB_WAN_IF.  Sets
# LAB_PPPD_DATAPATH (kernel or user) and LAB_PPPD_DATAPATH_LINE.
lab_datapath_as_asked() {
	LAB_PPPD_DATAPATH_LINE=$(lab_datapath_line "$1" "$2")
	case $LAB_PPPD_DATAPATH_LINE in
	*" runs in the kernel (PPPoE socket on $LAB_WAN_IF, "*) LAB_PPPD_DATAPATH=kernel ;;
	*" runs on the user-space relay: "*) LAB_PPPD_DATAPATH=user ;;
	*) LAB_PPPD_DATAPATH= ;;
	esac
	lab_kernel_clamp="MSS clamp in eBPF)"
	[ "$4" = off ] && lab_kernel_clamp="no MSS clamp: pppoe-mss off)"
	case $3:$LAB_PPPD_DATAPATH_LINE in
	user:*" runs on the user-space relay: pppoe-datapath user") return 0 ;;
	kernel:*" runs in the kernel (PPPoE socket on $LAB_WAN_IF, $lab_kernel_clamp") return 0 ;;
	auto:*" runs on the user-space relay: "?*) return 0 ;;
	auto:*" runs in the kernel (PPPoE socket on $LAB_WAN_IF, $lab_kernel_clamp") return 0 ;;
	esac
	echo "topology: pppoe-datapath $3: the plugin says '${LAB_PPPD_DATAPATH_LINE:-nothing about its data path}'" >&2
	return 1
}

# lab_client_variants CLIENT: sets lab_base_client (CLIENT without its
# -pppd25, -sync and -asan suffixes), lab_sync, lab_asan,
# lab_client_builddir (its pppoe-mss), lab_client_plugin (its pppoe-mss.so),
# lab_client_pppd and lab_client_env (the pppd, and the environment it runs
# in) for lab_client_start.
lab_client_variants() {
	lab_base_client=$1
	lab_sync=
	lab_asan=
	lab_client_builddir=$LAB_BUILDDIR
	lab_client_plugin=$LAB_BUILDDIR/plugin/.libs/pppoe-mss.so
	lab_client_pppd=pppd
	lab_client_env=
	case $lab_base_client in
	*-pppd25)
		lab_base_client=${lab_base_client%-pppd25}
		lab_client_pppd=$LAB_PEERS/pppd-2.5.2/sbin/pppd
		lab_client_plugin=$LAB_PEERS/pppd-2.5.2/lib/pppd/2.5.2/pppoe-mss.so
		if [ ! -x "$lab_client_pppd" ] || [ ! -f "$lab_client_plugin" ]; then
			echo "topology: client '$1' needs $lab_client_pppd and $lab_client_plugin (tests/lab-peers.sh builds them)" >&2
			return 1
		fi
		;;
	esac
	case $lab_base_client in *-asan) lab_asan=yes; lab_base_client=${lab_base_client%-asan} ;; esac
	case $lab_base_client in *-sync) lab_sync=yes; lab_base_client=${lab_base_client%-sync} ;; esac
	[ -z "$lab_sync$lab_asan" ] && return 0
	case $lab_base_client in
	pty|plugin) ;;
	*)
		echo "topology: client '$1': only pty and plugin have -sync and -asan variants" >&2
		return 1
		;;
	esac
	[ -z "$lab_asan" ] && return 0
	lab_client_builddir=${LAB_SANITIZER_BUILDDIR:-}
	lab_client_plugin=$lab_client_builddir/plugin/.libs/pppoe-mss.so
	if [ -z "$lab_client_builddir" ]; then
		echo "topology: client '$1' needs LAB_SANITIZER_BUILDDIR (qemu-run --sanitizer-builddir)" >&2
		return 1
	fi
	# A report stops the process and lands in a file of its own, never on a
	# terminal nobody reads.  Leaks count in the standalone program; pppd's
	# own (the plugin runs inside it) are not ours.
	lab_leaks=1
	[ "$lab_base_client" = plugin ] && lab_leaks=0
	lab_client_env="ASAN_OPTIONS=halt_on_error=1:abort_on_error=0:detect_leaks=$lab_leaks:log_path=$LAB_DIR/sanitizer.asan"
	lab_client_env="$lab_client_env UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:log_path=$LAB_DIR/sanitizer.ubsan"
	if [ "$lab_base_client" = plugin ]; then
		# pppd itself is not instrumented: the ASan runtime must come first.
		lab_asan_runtime=$(ldd "$lab_client_builddir/plugin/.libs/pppoe-mss.so" 2>/dev/null |
			awk '/libasan/ { print $3 }')
		if [ -z "$lab_asan_runtime" ]; then
			echo "topology: $lab_client_builddir/plugin/.libs/pppoe-mss.so is not built with ASan" >&2
			return 1
		fi
		lab_client_env="$lab_client_env LD_PRELOAD=$lab_asan_runtime"
	fi
}

# After the session is up: the variants asked for are really in use.
# -sync: some tty has the n_hdlc line discipline (the relay's end of the
# pty) and some the synchronous PPP one (pppd's end) -- a client falling
# back to async framing would hold neither.  -asan: a process of the
# gateway (pppd with the plugin, or the standalone program) has the ASan
# runtime mapped.
lab_client_variants_in_use() {
	if [ -n "$lab_sync" ]; then
		lab_hdlc_users=$(cat /sys/module/n_hdlc/refcnt 2>/dev/null)
		lab_synctty_users=$(cat /sys/module/ppp_synctty/refcnt 2>/dev/null)
		echo "# sync: n_hdlc in use by ${lab_hdlc_users:-no} tty, ppp_synctty by ${lab_synctty_users:-no} tty"
		if [ "${lab_hdlc_users:-0}" -lt 1 ] || [ "${lab_synctty_users:-0}" -lt 1 ]; then
			echo "topology: $lab_client-sync: the session is up, but not over n_hdlc and ppp_synctty" >&2
			return 1
		fi
	fi
	if [ -n "$lab_asan" ]; then
		lab_sanitized=
		for lab_pid in $(ip netns pids gw); do
			grep -q libasan "/proc/$lab_pid/maps" 2>/dev/null &&
				lab_sanitized="$lab_sanitized $(cat "/proc/$lab_pid/comm")[$lab_pid]"
		done
		echo "# asan: the ASan runtime is mapped in:${lab_sanitized:- nothing}"
		if [ -z "$lab_sanitized" ]; then
			echo "topology: $lab_client-asan: no process of the gateway runs with ASan" >&2
			return 1
		fi
	fi
	return 0
}

lab_session_up_or_exited() {
	lab_session_up || lab_not_running "$LAB_PPPD_PID"
}

lab_session_up() {
	kill -0 "$LAB_PPPD_PID" 2>/dev/null || return 1
	ip -n gw -4 addr show dev ppp0 2>/dev/null | grep -q 'inet ' &&
		ip -n gw route show default 2>/dev/null | grep -q 'dev ppp0'
}

# The name of the access concentrator's ppp interface for the session.
lab_ac_ppp_if() {
	ip -n ac -o link show 2>/dev/null | awk -F': ' '$2 ~ /^ppp/ { sub(/@.*/, "", $2); print $2; exit }'
}

# lab_ipv6_up: global addresses and routes over the session (IPV6CP has
# given both ends link-local addresses).  The LAN's prefix is routed to
# the gateway, as a provider's delegated prefix would be.
lab_ipv6_up() {
	lab_wait 10 lab_ipv6cp_up || {
		echo "topology: IPV6CP did not come up on both ends" >&2
		return 1
	}
	ac_if=$(lab_ac_ppp_if)
	lab_run ip -n gw addr add fd77:2::2/64 dev ppp0 &&
		lab_run ip -n gw -6 route add default dev ppp0 &&
		lab_run ip -n ac addr add fd77:2::1/64 dev "$ac_if" &&
		lab_run ip -n ac -6 route add fd77:1::/64 dev "$ac_if"
}

lab_ipv6cp_up() {
	ac_if=$(lab_ac_ppp_if)
	[ -n "$ac_if" ] &&
		ip -n gw -6 addr show dev ppp0 2>/dev/null | grep -q 'inet6 fe80' &&
		ip -n ac -6 addr show dev "$ac_if" 2>/dev/null | grep -q 'inet6 fe80'
}

# lab_client_stop [SIGNAL]: ends pppd (SIGTERM unless told), waits for it
# and for its ppp0 to go.  When its session last ran in the kernel, one TAP
# line says whether the kernel path left anything behind (datapath.sh).
lab_client_stop() {
	[ -n "$LAB_PPPD_PID" ] || return 0
	kill "-${1:-TERM}" "$LAB_PPPD_PID" 2>/dev/null
	lab_wait 10 lab_not_running "$LAB_PPPD_PID" || kill -KILL "$LAB_PPPD_PID" 2>/dev/null
	wait "$LAB_PPPD_PID" 2>/dev/null
	LAB_PPPD_PID=
	lab_wait 5 lab_no_ppp0
	if [ "${LAB_PPPD_DATAPATH:-}" = kernel ]; then
		LAB_PPPD_DATAPATH=
		datapath_check_gone "${LAB_CLIENT:-plugin}: after pppd ended"
	fi
}

lab_no_ppp0() {
	! ip -n gw link show ppp0 >/dev/null 2>&1
}

lab_no_ac_ppp() {
	[ -z "$(lab_ac_ppp_if)" ]
}

lab_not_running() {
	! kill -0 "$1" 2>/dev/null
}

# lab_down: ends every process in the lab's namespaces (by pid) and removes
# them.  Safe to call twice, or after a half-built lab.
lab_down() {
	for signal in TERM KILL; do
		pids=
		for ns in $LAB_NAMESPACES; do
			pids="$pids $(ip netns pids "$ns" 2>/dev/null)"
		done
		case $pids in *[0-9]*) ;; *) break ;; esac
		kill "-$signal" $pids 2>/dev/null
		[ "$signal" = TERM ] && lab_wait 3 lab_none_running $pids
	done
	for ns in $LAB_NAMESPACES; do
		ip netns delete "$ns" 2>/dev/null
	done
	rm -rf "$LAB_WEB_ROOT" /tmp/lab-httpd.conf
	return 0
}

lab_none_running() {
	for pid in "$@"; do
		kill -0 "$pid" 2>/dev/null && return 1
	done
	return 0
}

# lab_install_plugin: makes "plugin pppoe-mss.so" work as it does once
# installed, for pon and the network-scripts: a private copy of pppd's
# plugin directory with the built plugin added, mounted over the real one
# inside UML only (the same guard as for /etc/ppp keeps it off the host).
lab_install_plugin() {
	lab_etc_ppp_is_private || {
		echo "topology: not inside the lab: refusing to mount over pppd's plugin directory" >&2
		return 1
	}
	lab_plugin_built=$LAB_BUILDDIR/plugin/.libs/pppoe-mss.so
	LAB_PLUGIN_DIR=$(dirname "$(ls /usr/lib/pppd/*/rp-pppoe.so 2>/dev/null | head -n 1)")
	# pppd 2.5.2's directory holds the plugin built for it already.
	if [ -n "$LAB_PPPD_PLUGIN_DIR" ]; then
		LAB_PLUGIN_DIR=$LAB_PPPD_PLUGIN_DIR
		lab_plugin_built=$LAB_PPPD_PLUGIN_DIR/pppoe-mss.so
	fi
	[ -d "$LAB_PLUGIN_DIR" ] || {
		echo "topology: cannot find pppd's plugin directory (/usr/lib/pppd/<version>)" >&2
		return 1
	}
	awk -v dir="$LAB_PLUGIN_DIR" '$2 == dir { found = 1 } END { exit !found }' /proc/mounts &&
		umount "$LAB_PLUGIN_DIR"
	rm -rf /run/lab/plugins
	mkdir -p /run/lab/plugins &&
		cp -a "$LAB_PLUGIN_DIR"/. /run/lab/plugins/ &&
		cp "$lab_plugin_built" /run/lab/plugins/ &&
		mount --bind /run/lab/plugins "$LAB_PLUGIN_DIR"
}

# lab_in_gw_with_pppd COMMAND...: COMMAND on the gateway with the client's
# pppd (LAB_PPPD) as /usr/sbin/pppd, for the tools that start pppd by that
# path (pon): bound over it in the mount namespace ip netns exec gives
# COMMAND, so that nothing else -- the AC's pppd above all -- sees it.
lab_in_gw_with_pppd() {
	if [ "$LAB_PPPD" = pppd ]; then
		ip netns exec gw "$@"
	else
		ip netns exec gw sh -c 'mount --bind "$1" /usr/sbin/pppd && shift && exec "$@"' - "$LAB_PPPD" "$@"
	fi
}

lab_uninstall_plugin() {
	[ -n "${LAB_PLUGIN_DIR:-}" ] && umount "$LAB_PLUGIN_DIR" 2>/dev/null
	rm -rf /run/lab/plugins
}

# lab_install_ip_up [COMMANDS]: an /etc/ppp/ip-up for the gateway's pppd
# (the AC's pppds read the same /etc/ppp, but their peer is not the AC): it
# logs its interface, addresses and the plugin's PPPOE_DATAPATH to
# LAB_DIR/ip-up.log ("ip-up ppp0 local A remote B PPPOE_DATAPATH=kernel"),
# then runs COMMANDS under set -e, traced, and logs "ip-up: done" when all
# of them succeeded.  lab_write_ppp_config removes it.
lab_install_ip_up() {
	lab_etc_ppp_is_private || {
		echo "topology: /etc/ppp is not the lab's private copy: refusing to write to it" >&2
		return 1
	}
	{
		echo '#!/bin/sh'
		echo "[ \"\$5\" = $LAB_AC_IP ] || exit 0"
		echo "exec >>$LAB_DIR/ip-up.log 2>&1"
		echo 'echo "ip-up $1 local $4 remote $5 PPPOE_DATAPATH=${PPPOE_DATAPATH:-unset}"'
		echo 'set -ex'
		[ -z "${1:-}" ] || echo "$1"
		echo 'echo "ip-up: done"'
	} >/etc/ppp/ip-up && chmod 755 /etc/ppp/ip-up
}

# lab_ip_up_done: the gateway's ip-up has run to its end.
lab_ip_up_done() {
	grep -q '^ip-up: done' "$LAB_DIR/ip-up.log" 2>/dev/null
}

# lab_ppp0_has_address: the gateway's ppp0 has its IPv4 address (for a
# pppd the lab did not start itself, as with pon).
lab_ppp0_has_address() {
	ip -n gw -4 addr show dev ppp0 2>/dev/null | grep -q 'inet '
}
