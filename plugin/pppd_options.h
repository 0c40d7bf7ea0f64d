/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pppd's option table for the plugin, built from the rows of the options
 * table that have a pppd name (src/options.h).
 */
#ifndef PPPOE_MSS_PLUGIN_PPPD_OPTIONS_H
#define PPPOE_MSS_PLUGIN_PPPD_OPTIONS_H

#include "pppd_api.h"

#include "options.h"

/*
 * The table for pppd_add_options: device (the plugin's own, for the
 * interface name) first, then an entry for each named row and its alias,
 * reading into *given.  NULL, with why set, when memory is short or a row
 * has no parser here.
 */
option_t *pppd_options_build(const option_t *device, struct options *given, const char **why);

#endif
