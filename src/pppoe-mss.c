/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pppoe-mss, the standalone client: pppd runs it with its `pty` option
 * (pty "pppoe-mss -I eth0") and talks PPP over the pty; we do discovery, then
 * relay the session and clamp the MSS of SYNs both ways.  The flags follow
 * rp-pppoe's pppoe so that switching is a change of program name.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <syslog.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clamp_policy.h"
#include "confinement.h"
#include "discovery.h"
#include "discovery_config.h"
#include "discovery_io.h"
#include "early_guardian.h"
#include "frame_dump.h"
#include "log.h"
#include "options.h"
#include "packet_socket.h"
#include "padt_sender.h"
#include "pid_file.h"
#include "relay.h"
#include "relay_loop.h"
#include "relay_worker.h"
#include "render.h"
#include "session_record.h"
#include "session_recovery.h"
#include "stop_signals.h"

#ifndef N_HDLC
#define N_HDLC 13
#endif

/* The program's flags are the rows of the options table that have one. */
static void getopt_string(char *out, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < options_count && n + 3 <= len; i++) {
		const struct option_spec *spec = &options_table[i];

		if (spec->flag == 0)
			continue;
		out[n++] = spec->flag;
		if (spec->kind != OPTION_SWITCH)
			out[n++] = ':';
	}
	out[n] = '\0';
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: pppoe-mss [options]\n"
		"A PPPoE client for pppd's pty option, with TCP MSS clamping built in:\n"
		"  pppd pty \"pppoe-mss -I eth0\" ...\n"
		"\n");
	for (size_t i = 0; i < options_count; i++) {
		const struct option_spec *spec = &options_table[i];
		const char *line = spec->help;
		int line_len = (int)strcspn(line, "\n");

		if (spec->flag == 0)
			continue;
		fprintf(out, "  -%c %-10s%.*s\n", spec->flag, spec->argument ? spec->argument : "",
			line_len, line);
		/* Further lines of the help under the first. */
		while (line[line_len] == '\n') {
			line += line_len + 1;
			line_len = (int)strcspn(line, "\n");
			fprintf(out, "%15s%.*s\n", "", line_len, line);
		}
	}
}

static void fail_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "pppoe-mss: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see pppoe-mss -h)\n");
	exit(2);
}

static void fail_option(const struct option_spec *spec, const char *word)
{
	char why[160];

	options_describe_error(spec, why, sizeof(why));
	fprintf(stderr, "pppoe-mss: -%c %s: %s (see pppoe-mss -h)\n", spec->flag, word, why);
	exit(2);
}

static void parse_options(int argc, char **argv, struct options *opt)
{
	char flags[128];
	int c;

	options_default(opt);
	getopt_string(flags, sizeof(flags));
	while ((c = getopt(argc, argv, flags)) != -1) {
		const struct option_spec *spec = options_find_flag((char)c);

		if (spec == NULL) {
			usage(stderr);
			exit(2);
		}
		if (!options_apply(spec, opt, optarg))
			fail_option(spec, optarg);
		if (opt->show_version) {
			printf("pppoe-mss %s\n", PACKAGE_VERSION);
			exit(0);
		}
		if (opt->show_help) {
			usage(stdout);
			exit(0);
		}
	}
	if (optind < argc)
		fail_usage("unexpected argument '%s'", argv[optind]);
	if (opt->kill_session && !opt->have_session)
		fail_usage("%s-k needs the session to kill: add -e sess:mac", "");
	if (opt->no_discovery_socket && (!opt->have_session || opt->kill_session))
		fail_usage("%s-n (no discovery socket) needs an existing session: add -e sess:mac, without -k", "");
	if (opt->list_only && opt->have_session)
		fail_usage("%s-A lists access concentrators: it cannot be combined with -e", "");
}

/* Logs go to syslog, where pppd users look, and to stderr, which pppd logs too. */
static void log_to_syslog_and_stderr(enum log_level level, const char *message)
{
	static const int priorities[] = {
		[LOG_LEVEL_DEBUG] = LOG_DEBUG, [LOG_LEVEL_INFO] = LOG_INFO,
		[LOG_LEVEL_NOTICE] = LOG_NOTICE, [LOG_LEVEL_WARN] = LOG_WARNING,
		[LOG_LEVEL_ERROR] = LOG_ERR,
	};
	syslog(priorities[level], "%s", message);
	fprintf(stderr, "pppoe-mss: %s\n", message);
}

static void print_offer(const struct discovery_event *ev, void *context)
{
	const struct pppoe_discovery *msg = &ev->message;
	struct pppoe_tag_cursor cursor;
	struct pppoe_tag tag;
	char text[256], mac[RENDER_MAC_LEN];

	(void)context;
	render_mac(msg->frame.source, mac);
	if (msg->ac_name.value != NULL)
		render_printable(msg->ac_name.value, msg->ac_name.length, text, sizeof(text));
	else
		snprintf(text, sizeof(text), "(no AC-Name)");
	printf("Access-Concentrator: %s\n", text);
	printf("  AC-Ethernet-Address: %s\n", mac);
	pppoe_tags_begin(&cursor, msg->frame.payload, msg->frame.payload_len);
	while (pppoe_tags_next(&cursor, &tag) == PPPOE_TAG_FOUND) {
		if (tag.type != PPPOE_TAG_SERVICE_NAME)
			continue;
		render_printable(tag.value, tag.length, text, sizeof(text));
		printf("  Service-Name: %s\n", tag.length ? text : "(any)");
	}
	if (msg->ac_cookie.value != NULL)
		printf("  AC-Cookie: %u bytes\n", msg->ac_cookie.length);
	if (msg->error.value != NULL) {
		render_printable(msg->error.value, msg->error.length, text, sizeof(text));
		printf("  %s: %s\n", pppoe_tag_name(msg->error.type), text);
	}
	printf("--------------------------------------------------\n");
	fflush(stdout);
}

static void setup_sync_mode(struct options *opt)
{
	int discipline = N_HDLC;

	if (!opt->sync)
		return;
	if (ioctl(STDIN_FILENO, TIOCSETD, &discipline) == 0)
		return;
	log_message(LOG_LEVEL_WARN,
		    "synchronous mode needs the n_hdlc line discipline (%s; try 'modprobe n_hdlc'): "
		    "falling back to async HDLC -- remove 'sync' from pppd's options to match",
		    strerror(errno));
	opt->sync = false;
}

static const char *pidfile_path;

static void remove_pidfile(void)
{
	pid_file_remove(pidfile_path, getpid());
}

/* At startup, as rp-pppoe does, so that the pid is there to kill during a
 * discovery that may take half a minute; gone again at any exit. */
static void write_pidfile(const char *path)
{
	if (path == NULL)
		return;
	if (pid_file_write(path, getpid()) < 0) {
		log_message(LOG_LEVEL_WARN, "cannot write pid file %s: %s", path, strerror(errno));
		return;
	}
	pidfile_path = path;
	atexit(remove_pidfile);
}

/* The command name and parent of a process, from /proc/PID/stat. */
static bool process_comm_and_parent(pid_t pid, char *comm, size_t comm_len, pid_t *parent)
{
	char path[32], stat[512];
	FILE *file;
	char *open_paren, *close_paren;
	long parent_pid;
	size_t len;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	file = fopen(path, "re");
	if (file == NULL)
		return false;
	len = fread(stat, 1, sizeof(stat) - 1, file);
	fclose(file);
	stat[len] = '\0';
	/* "PID (COMM) STATE PPID ...": COMM may hold anything, up to the last ')'. */
	open_paren = strchr(stat, '(');
	close_paren = strrchr(stat, ')');
	if (open_paren == NULL || close_paren == NULL || close_paren < open_paren ||
	    sscanf(close_paren + 1, " %*c %ld", &parent_pid) != 1)
		return false;
	snprintf(comm, comm_len, "%.*s", (int)(close_paren - open_paren - 1), open_paren + 1);
	*parent = (pid_t)parent_pid;
	return true;
}

/* pppd runs its pty command through "sh -c": pppd is our parent or the shell's; 0: unknown. */
static pid_t find_pppd(void)
{
	pid_t pid = getppid();
	char comm[32];

	for (int level = 0; level < 2; level++) {
		pid_t parent;

		if (!process_comm_and_parent(pid, comm, sizeof(comm), &parent))
			return 0;
		if (strcmp(comm, "pppd") == 0)
			return pid;
		pid = parent;
	}
	return 0;
}

/* Discovery gave up or was stopped: the guardian ends whatever an AC set up
 * for us all the same (a PADS already queued), and goes. */
static void stop_guardian(struct early_guardian *guardian, struct session_record *record)
{
	if (guardian->pid > 0) {
		kill(guardian->pid, SIGTERM);
		early_guardian_close_in_child(guardian);
		waitpid(guardian->pid, NULL, 0);
		guardian->pid = -1;
	}
	session_record_remove(record);
}

int main(int argc, char **argv)
{
	static struct options opt;
	static struct discovery disc;
	static struct relay relay;
	struct confinement confinement;
	struct discovery_config disc_config;
	static uint8_t pid_host_uniq[DISCOVERY_PID_HOST_UNIQ_LEN];
	struct relay_config relay_config;
	struct interface_info iface;
	sigset_t poll_mask;
	char error[256];
	struct frame_dump dump = { .file = NULL };
	int discovery_fd = -1, session_fd = -1;
	struct early_guardian guardian = { .pid = -1, .control_fd = -1 };
	struct session_record record = { .fd = -1 };
	int exit_code = 1;

	parse_options(argc, argv, &opt);
	openlog("pppoe-mss", LOG_PID, LOG_DAEMON);
	log_set_sink(log_to_syslog_and_stderr);
	log_set_debug(opt.debug);
	stop_signals_install(&poll_mask);
	write_pidfile(opt.pidfile);

	if (opt.dump_file != NULL &&
	    frame_dump_open(&dump, opt.dump_file, (off_t)opt.dump_limit_mib << 20, error,
			    sizeof(error)) < 0) {
		log_message(LOG_LEVEL_ERROR, "%s", error);
		return 1;
	}
	if (interface_lookup(opt.interface, &iface, error, sizeof(error)) < 0) {
		log_message(LOG_LEVEL_ERROR, "%s", error);
		return 1;
	}

	struct discovery_wishes wishes = {
		.service_name = opt.service_name, .ac_name = opt.ac_name,
		.host_uniq = opt.host_uniq_len >= 0 ? opt.host_uniq : NULL,
		.host_uniq_len = opt.host_uniq_len >= 0 ? (size_t)opt.host_uniq_len : 0,
		.timeout_s = (unsigned)opt.discovery_timeout_s,
	};
	discovery_config_build(&disc_config, &wishes, iface.mac, (uint32_t)getpid(), pid_host_uniq);
	disc_config.ethertypes = opt.ethertypes;
	disc_config.list_only = opt.list_only;
	discovery_init(&disc, &disc_config);

	if (!opt.no_discovery_socket) {
		discovery_fd = packet_socket_open(&iface, opt.ethertypes.discovery, error, sizeof(error));
		if (discovery_fd < 0) {
			log_message(LOG_LEVEL_ERROR, "%s", error);
			return 1;
		}
	}

	/*
	 * Open the session socket before discovery: an AC sends its first LCP
	 * Configure-Request right after the PADS, and a frame that arrives
	 * before the socket exists is lost, so pppd would sit out the AC's LCP
	 * restart timer (3 s) before the link comes up.
	 */
	if (!opt.kill_session && !opt.list_only && !opt.discover_only) {
		session_fd = packet_socket_open(&iface, opt.ethertypes.session, error, sizeof(error));
		if (session_fd < 0) {
			log_message(LOG_LEVEL_ERROR, "%s", error);
			return 1;
		}
	}

	/* Before discovery: a session pppd cannot speak over is no use to anyone,
	 * nor one without a user to relay its frames as. */
	if (!opt.kill_session && !opt.list_only && !opt.discover_only) {
		setup_sync_mode(&opt);
		if (confinement_prepare(&confinement, PPPOE_MSS_UNPRIVILEGED_USER, error,
					sizeof(error)) < 0) {
			log_message(LOG_LEVEL_ERROR, "%s", error);
			return 1;
		}
	}

	if (opt.kill_session) {
		return discovery_io_send_padt(&disc, discovery_fd, opt.session_id, opt.session_mac,
					      "killed by pppoe-mss -k", &dump) == 0 ? 0 : 1;
	}

	/*
	 * A guardian from before the PADR on (not for -n: the caller keeps the
	 * discovery side).  Leftovers first -- unless -e resumes a session,
	 * which may well be the one recorded.
	 */
	if (discovery_fd >= 0 && !opt.discover_only && !opt.list_only) {
		if (!opt.have_session)
			session_recovery_end_leftovers(&iface, &disc, discovery_fd, &dump);
		/* Not pppd's pty (our stdin and stdout): pppd would never see us gone. */
		int let_go[] = { STDIN_FILENO, STDOUT_FILENO, session_fd, discovery_fd };
		struct early_guardian_params params = {
			.disc = &disc, .iface = &iface, .let_go = let_go,
			.let_go_count = sizeof(let_go) / sizeof(let_go[0]), .record = &record,
			.state_dir = PPPOE_MSS_STATE_DIR, .dump = &dump,
			.host_uniq_is_ours = opt.host_uniq_len < 0, .confinement = &confinement,
		};
		if (early_guardian_start(&guardian, &params) < 0)
			return 1;
	}

	if (opt.have_session) {
		discovery_resume_session(&disc, opt.session_id, opt.session_mac);
	} else {
		struct discovery_io io = {
			.fd = discovery_fd, .iface = &iface, .stop_requested = stop_signal_received,
			.poll_mask = &poll_mask, .dump = &dump, .on_offer = print_offer,
		};
		switch (discovery_io_run(&disc, &io)) {
		case DISCOVERY_OUTCOME_SESSION:
			break;
		case DISCOVERY_OUTCOME_LISTED:
			return disc.counters.pado_seen > 0 ? 0 : 1;
		case DISCOVERY_OUTCOME_STOPPED:
			log_message(LOG_LEVEL_NOTICE, "stopped during discovery");
			return stop_guardian(&guardian, &record), 1;
		default:
			return stop_guardian(&guardian, &record), 1;
		}
		if (opt.discover_only) {
			char mac[RENDER_MAC_LEN];
			render_mac(disc.ac_mac, mac);
			printf("%u:%s\n", disc.session_id, mac);
			return 0;
		}
	}

	session_recovery_note(&record, &iface, &disc, NULL);
	early_guardian_take(&guardian, disc.session_id, disc.ac_mac);

	memset(&relay_config, 0, sizeof(relay_config));
	memcpy(relay_config.our_mac, iface.mac, PPPOE_MAC_LEN);
	memcpy(relay_config.ac_mac, disc.ac_mac, PPPOE_MAC_LEN);
	relay_config.session_id = disc.session_id;
	relay_config.ethertypes = opt.ethertypes;
	/* The standalone program never asks for RFC 4638's PPP-Max-Payload. */
	relay_config.link_mtu = pppoe_link_mtu(iface.mtu, 0, disc.peer_max_payload);
	relay_config.policy = opt.policy;
	relay_init(&relay, &relay_config);

	struct relay_worker_params worker = {
		.relay = &relay, .disc = &disc,
		.loop = {
			.pppd_in = STDIN_FILENO, .pppd_out = STDOUT_FILENO,
			.session_fd = session_fd, .discovery_fd = discovery_fd, .sync = opt.sync,
			.idle_timeout_s = (unsigned)opt.idle_timeout_s, .dump = &dump,
		},
		.confinement = &confinement, .iface = &iface, .pppd_pid = find_pppd(),
		.poll_mask = &poll_mask,
	};
	/* The worker takes pppd's pty and the session socket with it. */
	enum relay_exit why = relay_worker_run(&worker);
	exit_code = (why == RELAY_EXIT_PPPD_GONE || why == RELAY_EXIT_STOPPED) ? 0 : 1;
	if (why == RELAY_EXIT_PADT) {
		session_record_remove(&record);
		goto done;
	}

	/* Whatever ended it, the AC must not keep a stale session (RFC 2516
	 * section 5.5) -- unless -n left the discovery side to our caller. */
	if (discovery_fd >= 0) {
		struct padt_job padt = {
			.disc = &disc, .fd = discovery_fd, .session_id = disc.session_id,
			.ac_mac = disc.ac_mac, .reason = "pppoe-mss: session closed",
			.nic = iface.name, .dump = &dump, .record = &record,
		};
		/* With pppd gone nobody waits for us: retries may take their time here. */
		if (padt_send_retrying(&padt, why == RELAY_EXIT_PPPD_GONE) == PADT_NOT_SENT)
			session_record_close(&record);
	} else {
		log_message(LOG_LEVEL_INFO, "not sending PADT: -n leaves discovery to the caller");
	}
done:
	early_guardian_hand_over(&guardian);
	session_record_close(&record);
	frame_dump_close(&dump);
	return exit_code;
}
