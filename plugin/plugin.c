/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pppoe-mss.so, the pppd plugin: glue between pppd's option table and
 * channel callbacks and the engine in src/.  Discovery runs in pppd's
 * process; the session then runs on one of two data paths (datapath.h): in
 * the kernel with the MSS clamp inline in eBPF, or on a user-space relay
 * child -- both clamping the MSS of SYNs both ways with the MTU/MRU that LCP
 * negotiated.
 *
 * Options follow pppd's own pppoe.so one to one, so switching is one line.
 */
#include "pppd_api.h"  /* first: pppd 2.4's bool must come before <stdbool.h> */

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/param.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clamp_policy.h"
#include "datapath.h"
#include "discovery.h"
#include "discovery_config.h"
#include "discovery_io.h"
#include "early_guardian.h"
#include "frame_dump.h"
#include "negotiated_mtu_mru.h"
#include "log.h"
#include "options.h"
#include "packet_socket.h"
#include "parse.h"
#include "pppd_options.h"
#include "render.h"
#include "session.h"
#include "session_lifecycle.h"
#include "session_record.h"
#include "session_recovery.h"
#include "status_publisher.h"

/* How long a stopping session child gets to send its PADT before SIGKILL. */
#define CHILD_STOP_TIMEOUT_MS 3000

char pppd_version[] = PPPD_VERSION_STRING;

/* ---- options (src/options.c's table, pppd_options.c) ---- */
static char device_name[16];  /* IFNAMSIZ: only interface names get here */
static struct options given;  /* what pppd read into the table's fields */
static struct plugin_settings settings;

static int devname_hook(char *cmd, char **argv, int doit);

static const option_t device_option = {
	.name = "device name", .type = o_wild, .addr = (void *)&devname_hook,
	.description = "PPPoE device name",
	.flags = OPT_DEVNAM | OPT_PRIVFIX | OPT_NOARG | OPT_A2STRVAL | OPT_STATIC,
	.addr2 = device_name,
};

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
static struct plugin_session session = {
	.discovery_fd = -1, .session_fd = -1, .pppd_fd = -1, .child = CHILD_PROCESS_NONE,
	.guardian_pipe = -1,
	.record = { .fd = -1 }, .early = { .pid = -1, .control_fd = -1 },
};
static uint8_t host_uniq[OPTIONS_HOST_UNIQ_MAX];
static size_t host_uniq_len;
static uint8_t required_ac_mac[PPPOE_MAC_LEN];
static bool have_required_ac_mac;
static uint16_t resume_session_id;
static uint8_t resume_ac_mac[PPPOE_MAC_LEN];
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

	if (given.ac_mac_text != NULL) {
		if (!parse_mac(given.ac_mac_text, required_ac_mac))
			option_failure("pppoe-mac %s: give the access concentrator's MAC as aa:bb:cc:dd:ee:ff",
				       given.ac_mac_text);
		have_required_ac_mac = true;
	}
	if (given.host_uniq_text != NULL) {
		parsed = parse_hex(given.host_uniq_text, host_uniq, sizeof(host_uniq));
		if (parsed < 0)
			option_failure("pppoe-host-uniq %s: give an even number of hex digits (at most 64 bytes)",
				       given.host_uniq_text);
		host_uniq_len = (size_t)parsed;
	}
	if (given.session_text != NULL &&
	    !parse_session(given.session_text, &resume_session_id, resume_ac_mac))
		option_failure("pppoe-sess %s: give the session as sessid:aa:bb:cc:dd:ee:ff",
			       given.session_text);

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
	settings.policy = &given.policy;
	settings.datapath = given.datapath;
	settings.sync_requested = given.sync;
	settings.idle_timeout_s = (unsigned)given.idle_timeout_s;
	log_set_debug(given.verbose > 1 || pppd_debug_on());
}

static void close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

static void reap_child(void)
{
	struct timespec pause = { .tv_nsec = 10 * 1000000L };
	enum child_process_state state = CHILD_PROCESS_RUNNING;
	int status = 0;

	for (int waited = 0; waited < CHILD_STOP_TIMEOUT_MS; waited += 10) {
		state = child_process_reap(&session.child, false, &status);
		if (state != CHILD_PROCESS_RUNNING)
			break;
		nanosleep(&pause, NULL);
	}
	if (state == CHILD_PROCESS_RUNNING) {
		warn("pppoe-mss: the session's child process did not stop within %d ms: killing it",
		     CHILD_STOP_TIMEOUT_MS);
		child_process_signal(&session.child, SIGKILL);
		state = child_process_reap(&session.child, true, &status);
	}
	/* GONE: pppd's own reaper got there first. */
	if (state == CHILD_PROCESS_EXITED)
		session_lifecycle_child_exited(&session.lifecycle, status);
	else
		session_lifecycle_child_lost(&session.lifecycle);
}

/* One teardown for disconnect() and cleanup(): pppd's die() skips disconnect. */
static void teardown(void)
{
	struct plugin_session *s = &session;
	bool session_known = s->lifecycle.session_up, padt_sent = false;
	unsigned actions;

	while ((actions = session_lifecycle_next(&s->lifecycle)) != 0) {
		/* By pidfd: the pid may have been reaped by pppd and reused. */
		if (actions & SESSION_LIFECYCLE_STOP_CHILD)
			child_process_signal(&s->child, SIGTERM);
		if (actions & SESSION_LIFECYCLE_REAP_CHILD) {
			if (s->child.pid > 0)
				reap_child();
			else
				session_lifecycle_child_lost(&s->lifecycle);
		}
		if ((actions & SESSION_LIFECYCLE_SEND_PADT) && s->discovery_fd >= 0 &&
		    discovery_io_send_padt(&s->disc, s->discovery_fd, s->disc.session_id,
					   s->disc.ac_mac, "pppoe-mss: session closed", &s->dump) == 0)
			padt_sent = true;
		if (actions & SESSION_LIFECYCLE_CLOSE_SOCKETS) {
			/* Whoever sent the PADT removed the record; one we could not
			 * send leaves it for the next start to end the session. */
			if (padt_sent || !session_known)
				session_record_remove(&s->record);
			else
				session_record_close(&s->record);
			/* A killed child could not withdraw the session's live status. */
			if (session_known && !s->lifecycle.child_took_care_of_padt)
				status_publisher_end_for(s->iface.name, s->disc.session_id,
							 s->disc.ac_mac);
			early_guardian_close_in_child(&s->early);
			if (s->datapath != NULL)
				s->datapath->release(s, s->lifecycle.child_took_care_of_padt);
			s->datapath = NULL;
			close_fd(&s->discovery_fd);
			close_fd(&s->session_fd);
			close_fd(&s->pppd_fd);
		}
	}
}

static void configure_discovery(void)
{
	static uint8_t pid_host_uniq[DISCOVERY_PID_HOST_UNIQ_LEN];
	struct discovery_config config;
	struct discovery_wishes wishes = {
		.service_name = given.service_name, .ac_name = given.ac_name,
		.ac_mac = have_required_ac_mac ? required_ac_mac : NULL,
		.host_uniq = given.host_uniq_text != NULL ? host_uniq : NULL,
		.host_uniq_len = host_uniq_len,
		.timeout_s = (unsigned)given.discovery_timeout_s,
		.padi_attempts = (unsigned)given.padi_attempts,
	};

	discovery_config_build(&config, &wishes, session.iface.mac, (uint32_t)getpid(),
			       pid_host_uniq);
	if (wanted_max_payload != 0 &&
	    session.iface.mtu >= (unsigned)wanted_max_payload + PPPOE_OVERHEAD)
		config.ppp_max_payload = wanted_max_payload;
	discovery_init(&session.disc, &config);
}

/* The largest PPP MTU/MRU the link carries, and LCP's MTU/MRU capped to it. */
static uint16_t settle_link_mtu(void)
{
	uint16_t link_mtu = pppoe_link_mtu(session.iface.mtu, session.disc.config.ppp_max_payload,
					   session.disc.peer_max_payload);

	if (wanted_max_payload != 0 && link_mtu < wanted_max_payload)
		warn("pppoe-mss: MTU/MRU %u: PPP-Max-Payload %u (RFC 4638) was not confirmed by the "
		     "access concentrator or does not fit %s", link_mtu, wanted_max_payload,
		     session.iface.name);
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
	char mac[RENDER_MAC_LEN], text[256];

	render_mac(session.disc.ac_mac, mac);
	for (char *p = mac; *p; p++)
		if (*p >= 'a' && *p <= 'f')
			*p = (char)(*p - 'a' + 'A');
	pppd_set_session_number(session.disc.session_id);
	pppd_set_remote_number(mac);
	pppd_set_pppdevnam(device_name);
	pppd_script_setenv("MACREMOTE", mac, 0);
	/* Chosen by whoever answered the PADI, read by root's scripts. */
	render_script_safe(session.disc.ac_name, session.disc.ac_name_len, text, sizeof(text));
	pppd_script_setenv("ACNAME", text, 0);
	describe_setting(&settings.policy->ipv4, text, sizeof(text));
	pppd_script_setenv("PPPOE_MSS", text, 0);
	describe_setting(&settings.policy->ipv6, text, sizeof(text));
	pppd_script_setenv("PPPOE_MSS_IPV6", text, 0);
	pppd_script_setenv("PPPOE_DATAPATH", session.datapath == &datapath_kernel ? "kernel" : "user",
			   0);
}

static void end_leftover_sessions(struct plugin_session *s)
{
	/* pppoe-sess resumes a session, which may well be the one recorded. */
	if (given.session_text != NULL)
		return;
	session_recovery_end_leftovers(&s->iface, &s->disc, s->discovery_fd, &s->dump);
}

/* From before the PADR on: the early guardian, and the record it shares. */
static int start_early_guardian(struct plugin_session *s)
{
	int let_go[] = { s->discovery_fd, s->session_fd };
	struct early_guardian_params params = {
		.disc = &s->disc, .iface = &s->iface, .let_go = let_go, .let_go_count = 2,
		.record = &s->record, .state_dir = PPPOE_MSS_STATE_DIR, .dump = &s->dump,
		.host_uniq_is_ours = given.host_uniq_text == NULL, .confinement = &s->confinement,
	};

	if (early_guardian_start(&s->early, &params) < 0)
		return -1;
	child_process_follow(&s->child, s->early.pid);
	return 0;
}

static int channel_connect(void)
{
	struct plugin_session *s = &session;
	char error_text[256];
	int fd;

	session_lifecycle_init(&s->lifecycle);
	s->datapath = NULL;
	if (interface_lookup(device_name, &s->iface, error_text, sizeof(error_text)) < 0) {
		error("pppoe-mss: %s", error_text);
		return -1;
	}
	if (confinement_prepare(&s->confinement, PPPOE_MSS_UNPRIVILEGED_USER, error_text,
				sizeof(error_text)) < 0) {
		error("pppoe-mss: %s", error_text);
		return -1;
	}
	/* The session socket opens before discovery: an AC may send its first
	 * LCP packet right behind the PADS, and the relay must not miss it. */
	s->discovery_fd = packet_socket_open(&s->iface, PPPOE_ETHERTYPE_DISCOVERY, error_text,
					     sizeof(error_text));
	if (s->discovery_fd >= 0 && settings.datapath != DATAPATH_CHOICE_KERNEL)
		s->session_fd = packet_socket_open(&s->iface, PPPOE_ETHERTYPE_SESSION, error_text,
						   sizeof(error_text));
	if (s->discovery_fd < 0 ||
	    (s->session_fd < 0 && settings.datapath != DATAPATH_CHOICE_KERNEL)) {
		error("pppoe-mss: %s", error_text);
		close_fd(&s->discovery_fd);
		return -1;
	}
	session_lifecycle_sockets_opened(&s->lifecycle);
	if (given.dump_file != NULL && s->dump.file == NULL &&
	    frame_dump_open(&s->dump, given.dump_file, (off_t)given.dump_limit_mib << 20, error_text,
			    sizeof(error_text)) < 0)
		warn("pppoe-mss: %s", error_text);

	configure_discovery();
	end_leftover_sessions(s);
	if (start_early_guardian(s) < 0) {
		teardown();
		return -1;
	}
	session_lifecycle_child_started(&s->lifecycle);
	if (given.session_text != NULL) {
		discovery_resume_session(&s->disc, resume_session_id, resume_ac_mac);
	} else {
		struct discovery_io io = {
			.fd = s->discovery_fd, .iface = &s->iface, .dump = &s->dump,
			.stop_requested = pppd_wants_to_stop,
		};
		if (discovery_io_run(&s->disc, &io) != DISCOVERY_OUTCOME_SESSION) {
			teardown();
			return -1;
		}
	}
	session_lifecycle_session_up(&s->lifecycle);
	session_recovery_note(&s->record, &s->iface, &s->disc, NULL);
	early_guardian_take(&s->early, s->disc.session_id, s->disc.ac_mac);
	s->link_mtu = settle_link_mtu();
	s->mtu = s->mru = s->link_mtu;

	fd = datapath_start(s, &settings);
	if (fd < 0) {
		/* The early guardian, still the child followed, ends the session. */
		teardown();
		return -1;
	}
	/* The session's child has the duty now. */
	early_guardian_hand_over(&s->early);
	session_lifecycle_child_started(&s->lifecycle);
	export_session();
	s->pppd_fd = fd;
	return fd;
}

static void channel_disconnect(void)
{
	teardown();
}

static void channel_cleanup(void)
{
	teardown();
}

/*
 * In pppd's other children (scripts): let go of what only the session
 * needs.  pppd closes its own descriptor of the device only for channels
 * without this hook, so ours does: a daemon an ip-up leaves behind must not
 * keep the pty open, or the relay would never see pppd's end.
 */
static void channel_close_in_child(void)
{
	close_fd(&session.pppd_fd);
	close_fd(&session.discovery_fd);
	close_fd(&session.session_fd);
	close_fd(&session.record.fd);
	early_guardian_close_in_child(&session.early);
	if (session.datapath != NULL)
		session.datapath->close_in_child(&session);
}

static int channel_establish(int fd)
{
	if (session.datapath == NULL)
		return -1;
	return session.datapath->establish(&session, fd);
}

static void channel_disestablish(int fd)
{
	if (session.datapath != NULL)
		session.datapath->disestablish(&session, fd);
}

/* Negotiated values above what the link carries are capped: the clamp
 * follows what can actually pass. */
static void take_negotiated_mtu_mru(unsigned mtu, unsigned mru)
{
	struct plugin_session *s = &session;

	if (s->datapath == NULL)
		return;
	if (mtu > 0)
		s->mtu = mtu > s->link_mtu ? s->link_mtu : mtu;
	if (mru > 0)
		s->mru = mru > s->link_mtu ? s->link_mtu : mru;
	s->datapath->negotiated_mtu_mru_changed(s, &settings);
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
	if (mtu > 0)
		take_negotiated_mtu_mru((unsigned)mtu, 0);
}

static void channel_recv_config(int mru, uint32_t accm, int pcomp, int accomp)
{
	(void)accm, (void)pcomp, (void)accomp;
	if (lcp_gotoptions[0].neg_mru && lcp_gotoptions[0].mru < mru)
		mru = lcp_gotoptions[0].mru;
	if (mru > 0)
		take_negotiated_mtu_mru(0, (unsigned)mru);
}

static struct channel pppoe_mss_channel = {
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
	const char *why;

	log_set_sink(log_to_pppd);
	session.share = negotiated_mtu_mru_create();
	if (session.share == NULL)
		fatal("pppoe-mss: cannot map the page shared with the relay: %m");
	options_default(&given);
	pppoe_mss_channel.options = pppd_options_build(&device_option, &given, &why);
	if (pppoe_mss_channel.options == NULL)
		fatal("pppoe-mss: no option table: %s", why);
	pppd_add_options(pppoe_mss_channel.options);
	info("pppoe-mss plugin %s (MSS clamping built in) for pppd %s", PACKAGE_VERSION,
	     PPPD_VERSION_STRING);
}
