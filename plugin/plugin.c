/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pppoe-mss.so, the pppd plugin: glue between pppd's option table and
 * channel callbacks and the engine in src/.  Discovery runs in pppd's
 * process; the session runs in a relay child that sits between a pty (pppd
 * gets the slave, with its PPP line discipline) and the Ethernet, and clamps
 * the MSS of SYNs both ways with the MTU/MRU that LCP negotiated.
 *
 * Options follow pppd's own pppoe.so one to one, so switching is one line.
 */
#include "pppd_api.h"  /* first: pppd 2.4's bool must come before <stdbool.h> */

#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/param.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "clamp_policy.h"
#include "discovery.h"
#include "discovery_io.h"
#include "link_share.h"
#include "log.h"
#include "packet_socket.h"
#include "relay.h"
#include "relay_child.h"
#include "session_lifecycle.h"
#include "text.h"

#ifndef N_HDLC
#define N_HDLC 13
#endif
#ifndef N_SYNC_PPP
#define N_SYNC_PPP 14
#endif
#ifndef N_PPP
#define N_PPP 3
#endif

#define HOST_UNIQ_MAX 64
/* How long a stopping relay gets to send its PADT before SIGKILL. */
#define RELAY_STOP_TIMEOUT_MS 3000

char pppd_version[] = PPPD_VERSION_STRING;

/* ---- options ---- */
static char device_name[16];  /* IFNAMSIZ: only interface names get here */
static char *service_name;
static char *ac_name;
static char *existing_session;
static char *ac_mac_text;
static char *host_uniq_text;
static char *dump_path;
static int verbose;
static int padi_timeout_s = DISCOVERY_DEFAULT_TIMEOUT_MS / 1000;
static int padi_attempts = DISCOVERY_DEFAULT_ATTEMPTS;
static bool sync_requested;
static int idle_timeout_s;
static struct clamp_policy policy = {
	.ipv4 = { .mode = MSS_MODE_AUTO }, .ipv6 = { .mode = MSS_MODE_AUTO },
};
static bool mss_ipv6_given;

static int devname_hook(char *cmd, char **argv, int doit);
static int parse_mss_option(char **argv);
static int parse_mss_ipv6_option(char **argv);

static option_t plugin_options[] = {
	{ .name = "device name", .type = o_wild, .addr = (void *)&devname_hook,
	  .description = "PPPoE device name",
	  .flags = OPT_DEVNAM | OPT_PRIVFIX | OPT_NOARG | OPT_A2STRVAL | OPT_STATIC,
	  .addr2 = device_name },
	{ .name = "pppoe-service", .type = o_string, .addr = &service_name,
	  .description = "Desired PPPoE service name" },
	{ .name = "rp_pppoe_service", .type = o_string, .addr = &service_name,
	  .description = "Legacy alias for pppoe-service", .flags = OPT_ALIAS },
	{ .name = "pppoe-ac", .type = o_string, .addr = &ac_name,
	  .description = "Desired PPPoE access concentrator name" },
	{ .name = "rp_pppoe_ac", .type = o_string, .addr = &ac_name,
	  .description = "Legacy alias for pppoe-ac", .flags = OPT_ALIAS },
	{ .name = "pppoe-sess", .type = o_string, .addr = &existing_session,
	  .description = "Attach to existing session (sessid:macaddr)" },
	{ .name = "rp_pppoe_sess", .type = o_string, .addr = &existing_session,
	  .description = "Legacy alias for pppoe-sess", .flags = OPT_ALIAS },
	{ .name = "pppoe-verbose", .type = o_int, .addr = &verbose,
	  .description = "Be verbose about discovered access concentrators" },
	{ .name = "rp_pppoe_verbose", .type = o_int, .addr = &verbose,
	  .description = "Legacy alias for pppoe-verbose", .flags = OPT_ALIAS },
	{ .name = "pppoe-mac", .type = o_string, .addr = &ac_mac_text,
	  .description = "Only connect to specified MAC address" },
	{ .name = "pppoe-host-uniq", .type = o_string, .addr = &host_uniq_text,
	  .description = "Set the Host-Uniq to the supplied hex string" },
	{ .name = "host-uniq", .type = o_string, .addr = &host_uniq_text,
	  .description = "Legacy alias for pppoe-host-uniq", .flags = OPT_ALIAS },
	{ .name = "pppoe-padi-timeout", .type = o_int, .addr = &padi_timeout_s,
	  .description = "Initial timeout for discovery packets in seconds",
	  .flags = OPT_LIMITS, .upper_limit = 3600, .lower_limit = 1 },
	{ .name = "pppoe-padi-attempts", .type = o_int, .addr = &padi_attempts,
	  .description = "Number of discovery attempts",
	  .flags = OPT_LIMITS, .upper_limit = 100, .lower_limit = 1 },
	{ .name = "pppoe-mss", .type = o_special, .addr = (void *)&parse_mss_option,
	  .description = "Clamp the TCP MSS of SYNs: auto (from LCP), off, or a value" },
	{ .name = "pppoe-mss-ipv6", .type = o_special, .addr = (void *)&parse_mss_ipv6_option,
	  .description = "Clamp the TCP MSS of IPv6 SYNs: auto, off, or a value" },
	{ .name = "pppoe-sync", .type = o_bool, .addr = &sync_requested,
	  .description = "Synchronous PPP on the relay pty (n_hdlc)", .flags = 1 },
	{ .name = "pppoe-idle-timeout", .type = o_int, .addr = &idle_timeout_s,
	  .description = "End the session after this many seconds without a frame (0: never)",
	  .flags = OPT_LIMITS, .upper_limit = 86400, .lower_limit = 0 },
	{ .name = "pppoe-dump", .type = o_string, .addr = &dump_path,
	  .description = "Append a dump of every frame to this file" },
	{ .name = NULL }
};

static int parse_mss_option(char **argv)
{
	/* An explicit pppoe-mss-ipv6 wins, in whichever order the two come. */
	if (!clamp_policy_set_mss(&policy, argv[0], mss_ipv6_given)) {
		pppd_option_error("pppoe-mss %s: give auto, off, or an MSS from %d to %d", argv[0],
				  MSS_FLOOR, MSS_SETTING_MAX);
		return 0;
	}
	return 1;
}

static int parse_mss_ipv6_option(char **argv)
{
	if (!mss_setting_parse(argv[0], &policy.ipv6)) {
		pppd_option_error("pppoe-mss-ipv6 %s: give auto, off, or an MSS from %d to %d", argv[0],
				  MSS_FLOOR, MSS_SETTING_MAX);
		return 0;
	}
	mss_ipv6_given = true;
	return 1;
}

/* ---- logging through pppd ---- */
static void log_to_pppd(enum log_level level, const char *message)
{
	switch (level) {
	case LOG_LEVEL_DEBUG:
		dbglog("pppoe-mss: %s", message);
		break;
	case LOG_LEVEL_INFO:
		info("pppoe-mss: %s", message);
		break;
	case LOG_LEVEL_NOTICE:
		notice("pppoe-mss: %s", message);
		break;
	case LOG_LEVEL_WARN:
		warn("pppoe-mss: %s", message);
		break;
	case LOG_LEVEL_ERROR:
		error("pppoe-mss: %s", message);
		break;
	}
}

/* ---- session state (one session per pppd) ---- */
static struct interface_info iface;
static struct discovery disc;
static uint8_t host_uniq[HOST_UNIQ_MAX];
static size_t host_uniq_len;
static uint8_t required_ac_mac[PPPOE_MAC_LEN];
static bool have_required_ac_mac;
static uint16_t resume_session_id;
static uint8_t resume_ac_mac[PPPOE_MAC_LEN];
static int discovery_fd = -1;
static int session_fd = -1;
/* pppd's end of the relay pty, handed to pppd by connect().  pppd forgets it
 * after disconnect() without closing it: a channel owns its device fd. */
static int pppd_pty_fd = -1;
static pid_t relay_pid = -1;
static bool sync_active;
static struct link_share *link_share;
static struct session_lifecycle lifecycle;
static FILE *dump_file;
/* LCP's MTU/MRU as configured, restored before each connect (RFC 4638 may lower them). */
static int configured_mtu, configured_mru;
static uint16_t wanted_max_payload;

static struct channel pppoe_mss_channel;

/* ---- the pppd channel ---- */
static void channel_read_device_options(void)
{
	char path[MAXPATHLEN];

#ifdef PPPOE_MSS_PPPD_25
	char name[MAXPATHLEN];
	snprintf(name, sizeof(name), "options.%s", device_name);
	if (ppp_get_filepath(PPP_DIR_CONF, name, path, sizeof(path)) >= (int)sizeof(path))
		return;
	if (!ppp_options_from_file(path, 0, 0, 1))
		exit(EXIT_OPTION_ERROR);
#else
	snprintf(path, sizeof(path), "/etc/ppp/options.%s", device_name);
	if (!options_from_file(path, 0, 0, 1))
		exit(EXIT_OPTION_ERROR);
#endif
}

static void option_failure(const char *format, const char *value)
{
	pppd_option_error((char *)format, value);
	exit(EXIT_OPTION_ERROR);
}

static void channel_check_options(void)
{
	int parsed;

	if (ac_mac_text != NULL) {
		if (!text_parse_mac(ac_mac_text, required_ac_mac))
			option_failure("pppoe-mac %s: give the access concentrator's MAC as aa:bb:cc:dd:ee:ff",
				       ac_mac_text);
		have_required_ac_mac = true;
	}
	if (host_uniq_text != NULL) {
		parsed = text_parse_hex(host_uniq_text, host_uniq, sizeof(host_uniq));
		if (parsed < 0)
			option_failure("pppoe-host-uniq %s: give an even number of hex digits (at most 64 bytes)",
				       host_uniq_text);
		host_uniq_len = (size_t)parsed;
	}
	if (existing_session != NULL &&
	    !text_parse_session(existing_session, &resume_session_id, resume_ac_mac))
		option_failure("pppoe-sess %s: give the session as sessid:aa:bb:cc:dd:ee:ff", existing_session);

	/* RFC 2516 section 7: no ACFC, no PFC, no ACCM on PPPoE; and compression
	 * only costs CPU on an Ethernet-speed link. */
	lcp_allowoptions[0].neg_accompression = 0;
	lcp_wantoptions[0].neg_accompression = 0;
	lcp_allowoptions[0].neg_asyncmap = 0;
	lcp_wantoptions[0].neg_asyncmap = 0;
	lcp_allowoptions[0].neg_pcompression = 0;
	lcp_wantoptions[0].neg_pcompression = 0;
	ccp_allowoptions[0].deflate = 0;
	ccp_wantoptions[0].deflate = 0;
	ccp_allowoptions[0].bsd_compress = 0;
	ccp_wantoptions[0].bsd_compress = 0;
	ipcp_allowoptions[0].neg_vj = 0;
	ipcp_wantoptions[0].neg_vj = 0;

	configured_mtu = lcp_allowoptions[0].mru;
	configured_mru = lcp_wantoptions[0].mru;
	/* Asking for more than 1492 means asking the AC for RFC 4638. */
	int wanted = configured_mtu > configured_mru ? configured_mtu : configured_mru;
	wanted_max_payload = wanted > PPPOE_STANDARD_MTU && wanted <= 0xffff
				     ? (uint16_t)wanted : 0;
	log_set_debug(verbose > 1 || pppd_debug_on());
}

static void close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

static void reap_relay(void)
{
	struct timespec pause = { .tv_nsec = 10 * 1000000L };
	int status = 0;

	for (int waited = 0; waited < RELAY_STOP_TIMEOUT_MS; waited += 10) {
		pid_t got = waitpid(relay_pid, &status, WNOHANG);
		if (got == relay_pid) {
			lifecycle_relay_exited(&lifecycle, status);
			relay_pid = -1;
			return;
		}
		if (got < 0 && errno != EINTR) {
			/* ECHILD: pppd's own reaper got there first. */
			lifecycle_relay_lost(&lifecycle);
			relay_pid = -1;
			return;
		}
		nanosleep(&pause, NULL);
	}
	warn("pppoe-mss: the relay did not stop within %d ms: killing it", RELAY_STOP_TIMEOUT_MS);
	kill(relay_pid, SIGKILL);
	if (waitpid(relay_pid, &status, 0) == relay_pid)
		lifecycle_relay_exited(&lifecycle, status);
	else
		lifecycle_relay_lost(&lifecycle);
	relay_pid = -1;
}

/* One teardown for disconnect() and cleanup(): pppd's die() skips disconnect. */
static void teardown(void)
{
	unsigned actions;

	while ((actions = lifecycle_next(&lifecycle)) != 0) {
		if ((actions & LIFECYCLE_STOP_RELAY) && relay_pid > 0)
			kill(relay_pid, SIGTERM);
		if (actions & LIFECYCLE_REAP_RELAY) {
			if (relay_pid > 0)
				reap_relay();
			else
				lifecycle_relay_lost(&lifecycle);
		}
		if ((actions & LIFECYCLE_SEND_PADT) && discovery_fd >= 0)
			discovery_io_send_padt(&disc, discovery_fd, disc.session_id, disc.ac_mac,
					       "pppoe-mss: session closed", dump_file);
		if (actions & LIFECYCLE_CLOSE_SOCKETS) {
			close_fd(&discovery_fd);
			close_fd(&session_fd);
			close_fd(&pppd_pty_fd);
		}
	}
}

static void configure_discovery(void)
{
	struct discovery_config config;

	discovery_config_defaults(&config);
	memcpy(config.our_mac, iface.mac, PPPOE_MAC_LEN);
	if (service_name != NULL) {
		config.service_name = (const uint8_t *)service_name;
		config.service_name_len = strlen(service_name);
	}
	if (ac_name != NULL) {
		config.ac_name = (const uint8_t *)ac_name;
		config.ac_name_len = strlen(ac_name);
	}
	if (have_required_ac_mac)
		config.ac_mac = required_ac_mac;
	if (host_uniq_text == NULL) {
		/* Unique per pppd on this host, as pppd's pppoe.so does. */
		uint32_t pid = (uint32_t)getpid();
		host_uniq[0] = (uint8_t)(pid >> 24);
		host_uniq[1] = (uint8_t)(pid >> 16);
		host_uniq[2] = (uint8_t)(pid >> 8);
		host_uniq[3] = (uint8_t)pid;
		host_uniq_len = 4;
	}
	config.host_uniq = host_uniq;
	config.host_uniq_len = host_uniq_len;
	config.timeout_ms = (uint32_t)padi_timeout_s * 1000u;
	config.padi_attempts = (unsigned)padi_attempts;
	if (wanted_max_payload != 0 && iface.mtu >= (unsigned)wanted_max_payload + PPPOE_OVERHEAD)
		config.ppp_max_payload = wanted_max_payload;
	discovery_init(&disc, &config);
}

/* The largest PPP MTU/MRU the link carries, and LCP's MTU/MRU capped to it. */
static uint16_t settle_link_size(void)
{
	uint16_t link_mtu = pppoe_link_mtu(iface.mtu, disc.config.ppp_max_payload,
					   disc.peer_max_payload);

	if (wanted_max_payload != 0 && link_mtu < wanted_max_payload)
		warn("pppoe-mss: MTU/MRU %u: PPP-Max-Payload %u (RFC 4638) was not confirmed by the "
		     "access concentrator or does not fit %s", link_mtu, wanted_max_payload, iface.name);
	lcp_allowoptions[0].mru = configured_mtu > link_mtu ? link_mtu : configured_mtu;
	lcp_wantoptions[0].mru = configured_mru > link_mtu ? link_mtu : configured_mru;
	return link_mtu;
}

/* pppd's SIGTERM/SIGINT handler only sets a flag: discovery must look at it
 * to stop in time, as pppd's own pppoe.so does. */
static bool pppd_wants_to_stop(void)
{
	return pppd_got_sigterm();
}

static void describe_setting(const struct mss_setting *setting, char *out, size_t len)
{
	if (setting->mode == MSS_MODE_FIXED)
		snprintf(out, len, "%u", setting->value);
	else
		snprintf(out, len, "%s", setting->mode == MSS_MODE_OFF ? "off" : "auto");
}

static void export_session(void)
{
	char mac[TEXT_MAC_LEN], text[256];

	text_format_mac(disc.ac_mac, mac);
	for (char *p = mac; *p; p++)
		if (*p >= 'a' && *p <= 'f')
			*p = (char)(*p - 'a' + 'A');
	pppd_set_session_number(disc.session_id);
	pppd_set_remote_number(mac);
	pppd_set_pppdevnam(device_name);
	pppd_script_setenv("MACREMOTE", mac, 0);
	text_printable(disc.ac_name, disc.ac_name_len, text, sizeof(text));
	pppd_script_setenv("ACNAME", text, 0);
	describe_setting(&policy.ipv4, text, sizeof(text));
	pppd_script_setenv("PPPOE_MSS", text, 0);
	describe_setting(&policy.ipv6, text, sizeof(text));
	pppd_script_setenv("PPPOE_MSS_IPV6", text, 0);
}

/* Try n_hdlc on the relay's end; without it, async framing still works. */
static bool enable_sync(int pty_master)
{
	int discipline = N_HDLC;

	if (!sync_requested)
		return false;
	if (ioctl(pty_master, TIOCSETD, &discipline) == 0)
		return true;
	warn("pppoe-mss: pppoe-sync needs the n_hdlc line discipline (%s; try 'modprobe n_hdlc'): "
	     "using asynchronous framing", strerror(errno));
	return false;
}

static int channel_connect(void)
{
	char error_text[256];
	int pty_master = -1, pty_slave = -1;
	struct termios raw;

	lifecycle_init(&lifecycle);
	if (interface_lookup(device_name, &iface, error_text, sizeof(error_text)) < 0) {
		error("pppoe-mss: %s", error_text);
		return -1;
	}
	/* The session socket opens before discovery: an AC may send its first
	 * LCP packet right behind the PADS. */
	discovery_fd = packet_socket_open(&iface, PPPOE_ETHERTYPE_DISCOVERY, error_text,
					  sizeof(error_text));
	if (discovery_fd >= 0)
		session_fd = packet_socket_open(&iface, PPPOE_ETHERTYPE_SESSION, error_text,
						sizeof(error_text));
	if (discovery_fd < 0 || session_fd < 0) {
		error("pppoe-mss: %s", error_text);
		close_fd(&discovery_fd);
		return -1;
	}
	lifecycle_sockets_opened(&lifecycle);
	if (dump_path != NULL && dump_file == NULL && (dump_file = fopen(dump_path, "ae")) == NULL)
		warn("pppoe-mss: cannot open %s for the frame dump: %m", dump_path);

	configure_discovery();
	if (existing_session != NULL) {
		discovery_resume_session(&disc, resume_session_id, resume_ac_mac);
	} else {
		struct discovery_io io = {
			.fd = discovery_fd, .iface = &iface, .dump = dump_file,
			.stop_requested = pppd_wants_to_stop,
		};
		if (discovery_io_run(&disc, &io) != DISCOVERY_OUTCOME_SESSION) {
			teardown();
			return -1;
		}
	}
	lifecycle_session_up(&lifecycle);

	struct relay_child_params params = {
		.disc = &disc, .session_fd = session_fd, .discovery_fd = discovery_fd,
		.share = link_share, .dump = dump_file, .ifname = iface.name,
	};
	memcpy(params.relay.our_mac, iface.mac, PPPOE_MAC_LEN);
	memcpy(params.relay.ac_mac, disc.ac_mac, PPPOE_MAC_LEN);
	params.relay.session_id = disc.session_id;
	params.relay.ethertypes = pppoe_standard_ethertypes;
	params.relay.link_mtu = settle_link_size();
	params.relay.policy = policy;
	link_share_publish(link_share, params.relay.link_mtu, params.relay.link_mtu);

	if (openpty(&pty_master, &pty_slave, NULL, NULL, NULL) < 0) {
		error("pppoe-mss: cannot allocate a pty for the relay: %m");
		teardown();
		return -1;
	}
	if (tcgetattr(pty_slave, &raw) == 0) {
		cfmakeraw(&raw);
		tcsetattr(pty_slave, TCSANOW, &raw);
	}
	sync_active = enable_sync(pty_master);
	params.pty_master = pty_master;
	params.pty_slave = pty_slave;
	params.sync = sync_active;
	params.idle_timeout_s = (unsigned)idle_timeout_s;
	relay_pid = relay_child_start(&params);
	close(pty_master);
	if (relay_pid < 0) {
		error("pppoe-mss: cannot start the relay process: %m");
		close(pty_slave);
		teardown();
		return -1;
	}
	lifecycle_relay_started(&lifecycle);
	/* The child has the session socket; the parent keeps discovery for a PADT. */
	close_fd(&session_fd);
	export_session();
	pppd_pty_fd = pty_slave;
	return pty_slave;
}

static void channel_disconnect(void)
{
	teardown();
}

static void channel_cleanup(void)
{
	teardown();
}

/* In pppd's other children (scripts): let go of what only the session needs. */
static void channel_close_in_child(void)
{
	close_fd(&discovery_fd);
	close_fd(&session_fd);
}

static int channel_establish(int fd)
{
	int discipline = sync_active ? N_SYNC_PPP : N_PPP;

	if (ioctl(fd, TIOCSETD, &discipline) < 0) {
		error("pppoe-mss: cannot set the PPP line discipline on the relay pty: %m "
		      "(is the %s module loaded?)", sync_active ? "ppp_synctty" : "ppp_async");
		return -1;
	}
	return pppd_generic_establish(fd);
}

static void channel_disestablish(int fd)
{
	int discipline = N_TTY;

	pppd_generic_disestablish(fd);
	ioctl(fd, TIOCSETD, &discipline);
}

/*
 * lcp_up() hands us the peer's MRU as our MTU, and the larger of what we
 * wanted and what the peer acknowledged as our MRU.  The clamp wants what
 * the peer will actually send, the acknowledged value, which is also what
 * the standalone program's LCP snoop sees: both give the same limits.
 */
static void channel_send_config(int mtu, uint32_t accm, int pcomp, int accomp)
{
	(void)accm, (void)pcomp, (void)accomp;
	if (link_share != NULL && mtu > 0)
		link_share_publish(link_share, (unsigned)mtu, 0);
}

static void channel_recv_config(int mru, uint32_t accm, int pcomp, int accomp)
{
	(void)accm, (void)pcomp, (void)accomp;
	if (lcp_gotoptions[0].neg_mru && lcp_gotoptions[0].mru < mru)
		mru = lcp_gotoptions[0].mru;
	if (link_share != NULL && mru > 0)
		link_share_publish(link_share, 0, (unsigned)mru);
}

static struct channel pppoe_mss_channel = {
	.options = plugin_options,
	.process_extra_options = channel_read_device_options,
	.check_options = channel_check_options,
	.connect = channel_connect,
	.disconnect = channel_disconnect,
	.establish_ppp = channel_establish,
	.disestablish_ppp = channel_disestablish,
	.send_config = channel_send_config,
	.recv_config = channel_recv_config,
	.cleanup = channel_cleanup,
	.close = channel_close_in_child,
};

/*
 * pppd offers every word it does not know as a device name: take it when it
 * names an Ethernet interface (optionally as nic-<ifname>, like pppoe.so).
 */
static int devname_hook(char *cmd, char **argv, int doit)
{
	(void)argv;

	if (strncmp(cmd, "nic-", 4) == 0 && cmd[4] != '\0')
		cmd += 4;
	if (!interface_is_ethernet(cmd))
		return 0;
	if (!doit)
		return 1;
	snprintf(device_name, sizeof(device_name), "%s", cmd);
	pppd_set_devnam(cmd);
	if (the_channel != &pppoe_mss_channel) {
		the_channel = &pppoe_mss_channel;
		pppd_set_modem(0);
	}
	return 1;
}

void plugin_init(void);  /* what pppd calls after loading us */

void plugin_init(void)
{
	log_set_sink(log_to_pppd);
	link_share = link_share_create();
	if (link_share == NULL)
		fatal("pppoe-mss: cannot map the page shared with the relay: %m");
	pppd_add_options(plugin_options);
	info("pppoe-mss plugin %s (MSS clamping built in) for pppd %s", PACKAGE_VERSION,
	     PPPD_VERSION_STRING);
}
