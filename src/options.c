/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The options table (options.h): one row per option.  The rows are in the
 * order of the program's usage and getopt string, and the named rows in the
 * order pppd has always listed the plugin's options in.
 */
#include "options.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "discovery.h"
#include "frame_dump.h"
#include "parse.h"

#define FIELD(name) offsetof(struct options, name)
/* A constant as text, for a usage line that names it. */
#define AS_TEXT(constant) AS_TEXT_EXPANDED(constant)
#define AS_TEXT_EXPANDED(constant) #constant

static bool parse_program_mss(struct options *options, const char *word)
{
	return clamp_policy_set_mss(&options->policy, word, false);
}

/* An explicit pppoe-mss-ipv6 wins, in whichever order the two come. */
static bool parse_plugin_mss(struct options *options, const char *word)
{
	return clamp_policy_set_mss(&options->policy, word, options->mss_ipv6_given);
}

static bool parse_plugin_mss_ipv6(struct options *options, const char *word)
{
	if (!mss_setting_parse(word, &options->policy.ipv6))
		return false;
	options->mss_ipv6_given = true;
	return true;
}

static bool parse_datapath(struct options *options, const char *word)
{
	static const struct {
		const char *name;
		enum datapath_choice choice;
	} choices[] = {
		{ "auto", DATAPATH_CHOICE_AUTO },
		{ "kernel", DATAPATH_CHOICE_KERNEL },
		{ "user", DATAPATH_CHOICE_USER },
	};

	for (size_t i = 0; i < sizeof(choices) / sizeof(choices[0]); i++) {
		if (strcmp(word, choices[i].name) == 0) {
			options->datapath = choices[i].choice;
			return true;
		}
	}
	return false;
}

static bool parse_host_uniq(struct options *options, const char *word)
{
	int len = parse_hex(word, options->host_uniq, sizeof(options->host_uniq));

	if (len < 0)
		return false;
	options->host_uniq_len = len;
	return true;
}

static bool parse_existing_session(struct options *options, const char *word)
{
	if (!parse_session(word, &options->session_id, options->session_mac))
		return false;
	options->have_session = true;
	return true;
}

static bool parse_program_ethertypes(struct options *options, const char *word)
{
	return parse_ethertypes(word, &options->ethertypes);
}

const struct option_spec options_table[] = {
	{ .flag = 'I', .kind = OPTION_TEXT, .field = FIELD(interface), .argument = "if",
	  .help = "Ethernet interface to the modem (default eth0)" },
	{ .flag = 'm', .kind = OPTION_WORD, .parse = parse_program_mss, .argument = "MSS",
	  .min = MSS_FLOOR, .max = MSS_SETTING_MAX,
	  .help = "clamp the MSS of SYNs to MSS (IPv4; IPv6 gets MSS-20);\n"
		  "default: automatic from the MTU/MRU LCP negotiates;\n"
		  "-m off disables clamping",
	  .error = "give an MSS from %ld to %ld, 'auto' or 'off'" },
	{ .name = "pppoe-service", .alias = "rp_pppoe_service", .flag = 'S', .kind = OPTION_TEXT,
	  .field = FIELD(service_name), .argument = "name", .help = "ask for this service name",
	  .pppd_help = "Desired PPPoE service name" },
	{ .name = "pppoe-ac", .alias = "rp_pppoe_ac", .flag = 'C', .kind = OPTION_TEXT,
	  .field = FIELD(ac_name), .argument = "name",
	  .help = "accept only the access concentrator with this AC-Name",
	  .pppd_help = "Desired PPPoE access concentrator name" },
	{ .name = "pppoe-sess", .alias = "rp_pppoe_sess", .kind = OPTION_TEXT,
	  .field = FIELD(session_text), .help = "Attach to existing session (sessid:macaddr)" },
	{ .name = "pppoe-verbose", .alias = "rp_pppoe_verbose", .kind = OPTION_NUMBER,
	  .field = FIELD(verbose), .min = INT_MIN, .max = INT_MAX,
	  .help = "Be verbose about discovered access concentrators" },
	{ .name = "pppoe-mac", .kind = OPTION_TEXT, .field = FIELD(ac_mac_text),
	  .help = "Only connect to specified MAC address" },
	{ .name = "pppoe-host-uniq", .alias = "host-uniq", .kind = OPTION_TEXT,
	  .field = FIELD(host_uniq_text), .help = "Set the Host-Uniq to the supplied hex string" },
	{ .flag = 'U', .kind = OPTION_SWITCH, .field = FIELD(send_host_uniq),
	  .help = "send a Host-Uniq (always on; accepted for compatibility)" },
	{ .flag = 'W', .kind = OPTION_WORD, .parse = parse_host_uniq, .argument = "hex",
	  .help = "use this Host-Uniq (hex) instead of one derived from the pid",
	  .error = "give the Host-Uniq as an even number of hex digits (at most 64 bytes)" },
	{ .flag = 'e', .kind = OPTION_WORD, .parse = parse_existing_session, .argument = "sess:mac",
	  .help = "skip discovery: use existing session sess with the AC at mac",
	  .error = "give the session as sess:mac, e.g. 4711:00:11:22:33:44:55" },
	{ .flag = 'k', .kind = OPTION_SWITCH, .field = FIELD(kill_session),
	  .help = "with -e: send PADT for that session and exit" },
	{ .flag = 'A', .kind = OPTION_SWITCH, .field = FIELD(list_only),
	  .help = "list the access concentrators and services that answer, then exit" },
	{ .flag = 'd', .kind = OPTION_SWITCH, .field = FIELD(discover_only),
	  .help = "discover only: print the session as sess:mac and exit" },
	{ .flag = 'n', .kind = OPTION_SWITCH, .field = FIELD(no_discovery_socket),
	  .help = "do not watch the discovery ethertype for PADT during the session" },
	{ .name = "pppoe-padi-timeout", .flag = 't', .kind = OPTION_NUMBER,
	  .field = FIELD(discovery_timeout_s), .min = 1, .max = 3600, .argument = "secs",
	  .help = "wait this long for the first PADO/PADS (default 5, doubles per retry)",
	  .pppd_help = "Initial timeout for discovery packets in seconds",
	  .error = "give the discovery timeout in seconds (%ld-%ld)" },
	{ .name = "pppoe-padi-attempts", .kind = OPTION_NUMBER, .field = FIELD(padi_attempts),
	  .min = 1, .max = 100, .help = "Number of discovery attempts" },
	{ .name = "pppoe-mss", .kind = OPTION_WORD, .parse = parse_plugin_mss,
	  .min = MSS_FLOOR, .max = MSS_SETTING_MAX,
	  .help = "Clamp the TCP MSS of SYNs: auto (from LCP), off, or a value",
	  .error = "give auto, off, or an MSS from %ld to %ld" },
	{ .name = "pppoe-mss-ipv6", .kind = OPTION_WORD, .parse = parse_plugin_mss_ipv6,
	  .min = MSS_FLOOR, .max = MSS_SETTING_MAX,
	  .help = "Clamp the TCP MSS of IPv6 SYNs: auto, off, or a value",
	  .error = "give auto, off, or an MSS from %ld to %ld" },
	{ .name = "pppoe-datapath", .kind = OPTION_WORD, .parse = parse_datapath,
	  .help = "Where the session runs: auto, kernel or user (the relay)",
	  .error = "give auto, kernel or user" },
	{ .flag = 'T', .kind = OPTION_NUMBER, .field = FIELD(idle_timeout_s),
	  .min = 1, .max = 86400 * 365, .argument = "secs",
	  .help = "end the session after this long without traffic",
	  .error = "give the idle timeout in seconds" },
	{ .name = "pppoe-sync", .flag = 's', .kind = OPTION_SWITCH, .field = FIELD(sync),
	  .help = "synchronous PPP (pppd's sync option; needs the n_hdlc module)",
	  .pppd_help = "Synchronous PPP on the relay pty (n_hdlc)" },
	{ .name = "pppoe-idle-timeout", .kind = OPTION_NUMBER, .field = FIELD(idle_timeout_s),
	  .min = 0, .max = 86400,
	  .help = "End the session after this many seconds without a frame (0: never)" },
	{ .flag = 'p', .kind = OPTION_TEXT, .field = FIELD(pidfile), .argument = "file",
	  .help = "write our pid to file" },
	{ .flag = 'f', .kind = OPTION_WORD, .parse = parse_program_ethertypes,
	  .argument = "disc:sess", .help = "non-standard ethertypes, in hex (e.g. 3c12:3c13)",
	  .error = "give two different ethertypes in hex as disc:sess, e.g. 3c12:3c13" },
	/* Root's alone in the plugin, as pppd's own record: the file is opened
	 * as root and the dump holds the PAP password. */
	{ .name = "pppoe-dump", .flag = 'D', .kind = OPTION_TEXT, .field = FIELD(dump_file),
	  .root_only = true, .argument = "file",
	  .help = "dump every frame to file (created 0600)",
	  .pppd_help = "Append a dump of every frame to this file" },
	{ .name = "pppoe-dump-max", .flag = 'L', .kind = OPTION_NUMBER,
	  .field = FIELD(dump_limit_mib), .min = 1, .max = FRAME_DUMP_LIMIT_MIB_MAX,
	  .root_only = true, .argument = "MiB",
	  .help = "stop the dump when its file reaches this size (default "
		  AS_TEXT(FRAME_DUMP_DEFAULT_LIMIT_MIB) ", at most "
		  AS_TEXT(FRAME_DUMP_LIMIT_MIB_MAX) ")",
	  .pppd_help = "Stop the frame dump when its file reaches this many MiB",
	  .error = "give the frame dump's limit in MiB (%ld-%ld)" },
	{ .flag = 'v', .kind = OPTION_SWITCH, .field = FIELD(debug), .help = "debug logging" },
	{ .flag = 'V', .kind = OPTION_SWITCH, .field = FIELD(show_version),
	  .help = "print the version and exit" },
	{ .flag = 'h', .kind = OPTION_SWITCH, .field = FIELD(show_help), .help = "this help" },
};

const size_t options_count = sizeof(options_table) / sizeof(options_table[0]);

void options_default(struct options *options)
{
	memset(options, 0, sizeof(*options));
	options->interface = "eth0";
	options->host_uniq_len = -1;
	options->discovery_timeout_s = DISCOVERY_DEFAULT_TIMEOUT_MS / 1000;
	options->padi_attempts = DISCOVERY_DEFAULT_ATTEMPTS;
	options->dump_limit_mib = FRAME_DUMP_DEFAULT_LIMIT_MIB;
	options->ethertypes = pppoe_standard_ethertypes;
	options->datapath = DATAPATH_CHOICE_AUTO;
	clamp_policy_default(&options->policy);
}

const struct option_spec *options_find_name(const char *name)
{
	for (size_t i = 0; i < options_count; i++)
		if (options_table[i].name != NULL && strcmp(options_table[i].name, name) == 0)
			return &options_table[i];
	return NULL;
}

const struct option_spec *options_find_flag(char flag)
{
	for (size_t i = 0; i < options_count; i++)
		if (options_table[i].flag != 0 && options_table[i].flag == flag)
			return &options_table[i];
	return NULL;
}

bool options_apply(const struct option_spec *spec, struct options *options, const char *word)
{
	char *field = (char *)options + spec->field;
	unsigned long value;

	switch (spec->kind) {
	case OPTION_SWITCH:
		*(bool *)field = true;
		return true;
	case OPTION_TEXT:
		*(char **)field = (char *)word;
		return true;
	case OPTION_NUMBER:
		if (spec->min < 0 || !parse_uint(word, (unsigned long)spec->min,
						 (unsigned long)spec->max, &value))
			return false;
		*(int *)field = (int)value;
		return true;
	case OPTION_WORD:
		return spec->parse(options, word);
	}
	return false;
}

void options_describe_error(const struct option_spec *spec, char *out, size_t len)
{
	if (spec->error == NULL)
		snprintf(out, len, "not a valid value");  /* a row that cannot fail, but safe */
	else
		snprintf(out, len, spec->error, spec->min, spec->max);
}
