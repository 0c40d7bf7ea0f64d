/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every option of the two front ends, in one table: the pppd options of the
 * plugin (pppd's pppoe.so's names) and the flags of the standalone program
 * (rp-pppoe's letters).  An option both take with the same meaning and
 * limits is one row with a name and a flag; where they differ (pppoe-mss and
 * -m, pppoe-idle-timeout and -T, ...) each has its own row.
 *
 * The plugin builds pppd's option table from the rows (plugin/pppd_options.c),
 * the program its getopt string, usage and parsing (src/pppoe-mss.c), and
 * tests/man_pages.sh checks that man/pppoe-mss.8 describes every row.
 */
#ifndef PPPOE_MSS_OPTIONS_H
#define PPPOE_MSS_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clamp_policy.h"
#include "pppoe.h"

#define OPTIONS_HOST_UNIQ_MAX 64

enum datapath_choice {
	DATAPATH_CHOICE_AUTO,    /* the kernel if it can carry session and clamp, else the relay */
	DATAPATH_CHOICE_KERNEL,  /* the kernel or no session */
	DATAPATH_CHOICE_USER,    /* the user-space relay */
};

/* What the user asked for, each field set by the rows named beside it. */
struct options {
	/* Both front ends. */
	char *service_name;           /* pppoe-service, -S */
	char *ac_name;                /* pppoe-ac, -C */
	int discovery_timeout_s;      /* pppoe-padi-timeout, -t */
	int idle_timeout_s;           /* pppoe-idle-timeout, -T; 0: never */
	bool sync;                    /* pppoe-sync, -s */
	char *dump_file;              /* pppoe-dump, -D */
	int dump_limit_mib;           /* pppoe-dump-max, -L */
	struct clamp_policy policy;   /* pppoe-mss, pppoe-mss-ipv6, -m */

	/* The plugin's; the texts are checked once pppd has read every option. */
	char *session_text;           /* pppoe-sess */
	char *ac_mac_text;            /* pppoe-mac */
	char *host_uniq_text;         /* pppoe-host-uniq */
	int verbose;                  /* pppoe-verbose */
	int padi_attempts;            /* pppoe-padi-attempts */
	bool mss_ipv6_given;          /* pppoe-mss-ipv6 came: pppoe-mss leaves IPv6 alone */
	enum datapath_choice datapath; /* pppoe-datapath */

	/* The program's. */
	char *interface;              /* -I */
	bool send_host_uniq;          /* -U: always so; taken for rp-pppoe's sake */
	uint8_t host_uniq[OPTIONS_HOST_UNIQ_MAX]; /* -W */
	int host_uniq_len;            /* -1: derive from our pid */
	bool have_session;            /* -e */
	uint16_t session_id;
	uint8_t session_mac[PPPOE_MAC_LEN];
	bool kill_session;            /* -k */
	bool list_only;               /* -A */
	bool discover_only;           /* -d */
	bool no_discovery_socket;     /* -n */
	char *pidfile;                /* -p */
	struct pppoe_ethertypes ethertypes; /* -f */
	bool debug;                   /* -v */
	bool show_version;            /* -V */
	bool show_help;               /* -h */
};

enum option_kind {
	OPTION_SWITCH,  /* no argument: sets a bool */
	OPTION_TEXT,    /* a word, kept as given (char *) */
	OPTION_NUMBER,  /* a decimal from min to max (int) */
	OPTION_WORD,    /* a word that parse turns into its fields */
};

struct option_spec {
	const char *name;      /* the plugin's pppd option; NULL: the program's alone */
	const char *alias;     /* the option's other name in pppoe.so, or NULL */
	char flag;             /* the program's flag; 0: the plugin's alone */
	enum option_kind kind;
	size_t field;          /* offsetof(struct options, ...); not for OPTION_WORD */
	long min, max;         /* OPTION_NUMBER's limits; also error's two %ld */
	bool (*parse)(struct options *options, const char *word); /* OPTION_WORD */
	bool root_only;        /* pppd takes it from root alone (a file root opens) */
	const char *argument;  /* the argument in the program's usage */
	const char *help;      /* the usage text (or pppd's description); \n: a new line */
	const char *pppd_help; /* pppd's description (show-options), where it is not help */
	const char *error;     /* why a word was refused, after "-f WORD: " or "name WORD: " */
};

extern const struct option_spec options_table[];
extern const size_t options_count;

/* The defaults of both front ends. */
void options_default(struct options *options);

/* The row of a pppd option (not of its alias), or of a flag; NULL if none. */
const struct option_spec *options_find_name(const char *name);
const struct option_spec *options_find_flag(char flag);

/* The word for a row, into its field(s): what the program does with each
 * flag (pppd does it itself for the plugin, but for OPTION_WORD).  False,
 * with nothing changed, when the word is refused. */
bool options_apply(const struct option_spec *spec, struct options *options, const char *word);

/* spec->error with its limits, e.g. "give the discovery timeout in seconds (1-3600)". */
void options_describe_error(const struct option_spec *spec, char *out, size_t len);

#endif
