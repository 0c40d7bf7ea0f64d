/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pppd's option table for the plugin, from src/options.c's rows: pppd reads
 * the words into the fields and checks the limits itself, with its own
 * messages; an OPTION_WORD goes through the row's parse.
 */
#include "pppd_options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct options *target;

static int parse_word(const char *name, char *word)
{
	const struct option_spec *spec = options_find_name(name);
	char why[160];

	if (spec->parse(target, word))
		return 1;
	options_describe_error(spec, why, sizeof(why));
	pppd_option_error("%s %s: %s", spec->name, word, why);
	return 0;
}

/* pppd hands an o_special parser the word but not the option: one each. */
static int parse_mss(char **argv)
{
	return parse_word("pppoe-mss", argv[0]);
}

static int parse_mss_ipv6(char **argv)
{
	return parse_word("pppoe-mss-ipv6", argv[0]);
}

static int parse_datapath(char **argv)
{
	return parse_word("pppoe-datapath", argv[0]);
}

static const struct {
	const char *name;
	int (*parse)(char **argv);
} word_parsers[] = {
	{ "pppoe-mss", parse_mss },
	{ "pppoe-mss-ipv6", parse_mss_ipv6 },
	{ "pppoe-datapath", parse_datapath },
};

static void *word_parser(const char *name)
{
	for (size_t i = 0; i < sizeof(word_parsers) / sizeof(word_parsers[0]); i++)
		if (strcmp(word_parsers[i].name, name) == 0)
			return (void *)word_parsers[i].parse;
	return NULL;
}

/* pppd's description of an alias, as pppoe.so words it; it lives as long as pppd. */
static char *alias_description(const char *name)
{
	char *text;

	if (asprintf(&text, "Legacy alias for %s", name) < 0)
		return "Legacy alias";
	return text;
}

/* The entry of one named row; false if it needs a parser this file lacks. */
static bool entry_for(const struct option_spec *spec, struct options *given, option_t *entry)
{
	void *field = (char *)given + spec->field;

	entry->name = (char *)spec->name;
	entry->description = (char *)(spec->pppd_help != NULL ? spec->pppd_help : spec->help);
	entry->flags = spec->root_only ? OPT_PRIV : 0;
	switch (spec->kind) {
	case OPTION_SWITCH:
		entry->type = o_bool;
		entry->addr = field;
		entry->flags |= 1;  /* the value it sets */
		break;
	case OPTION_TEXT:
		entry->type = o_string;
		entry->addr = field;
		break;
	case OPTION_NUMBER:
		entry->type = o_int;
		entry->addr = field;
		entry->flags |= OPT_LIMITS;
		entry->lower_limit = (int)spec->min;
		entry->upper_limit = (int)spec->max;
		break;
	case OPTION_WORD:
		entry->type = o_special;
		entry->addr = word_parser(spec->name);
		break;
	}
	return entry->addr != NULL;
}

option_t *pppd_options_build(const option_t *device, struct options *given, const char **why)
{
	/* The device, each row and its alias, and the end. */
	option_t *table = calloc(2 * options_count + 2, sizeof(*table));
	size_t n = 0;

	if (table == NULL) {
		*why = "out of memory";
		return NULL;
	}
	target = given;
	table[n++] = *device;
	for (size_t i = 0; i < options_count; i++) {
		const struct option_spec *spec = &options_table[i];

		if (spec->name == NULL)
			continue;
		if (!entry_for(spec, given, &table[n])) {
			static char missing[96];

			snprintf(missing, sizeof(missing), "%s has no parser in plugin/pppd_options.c",
				 spec->name);
			*why = missing;
			free(table);
			return NULL;
		}
		n++;
		if (spec->alias != NULL) {
			/* pppd takes an OPT_ALIAS entry for the one before it. */
			table[n] = table[n - 1];
			table[n].name = (char *)spec->alias;
			table[n].description = alias_description(spec->name);
			table[n].flags |= OPT_ALIAS;
			n++;
		}
	}
	return table;
}
