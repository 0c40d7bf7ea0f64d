/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The few pppd interfaces the plugin uses, under one set of names for pppd
 * 2.4.x and 2.5.x.  2.5 prefixed most of them with ppp_ and moved the option
 * declarations to options.h; its pppdconf.h defines PPPD_VERSION, which is
 * how we tell the two apart.
 */
#ifndef PPPOE_MSS_PPPD_API_H
#define PPPOE_MSS_PPPD_API_H

#include <signal.h>
#include <stdio.h>

#include <pppd/pppd.h>

#ifdef PPPD_VERSION
#include <pppd/options.h>
#define PPPOE_MSS_PPPD_25 1
#endif

#include <pppd/fsm.h>
#include <pppd/lcp.h>
#include <pppd/ipcp.h>
#include <pppd/ccp.h>

#ifdef PPPOE_MSS_PPPD_25
#define PPPD_VERSION_STRING PPPD_VERSION
#define pppd_add_options(table) ppp_add_options(table)
#define pppd_option_error ppp_option_error
#define pppd_script_setenv(name, value, iface) ppp_script_setenv((name), (value), (iface))
#define pppd_generic_establish(fd) ppp_generic_establish(fd)
#define pppd_generic_disestablish(fd) ppp_generic_disestablish(fd)
#define pppd_set_modem(on) ppp_set_modem(on)
#define pppd_set_session_number(n) ppp_set_session_number(n)
#define pppd_set_remote_number(text) ppp_set_remote_number(text)
#define pppd_set_devnam(name) ppp_set_devnam(name)
#define pppd_set_pppdevnam(name) ppp_set_pppdevnam(name)
#define pppd_debug_on() debug_on()
/* pppd sets one flag for SIGTERM and SIGINT alike. */
#define pppd_got_sigterm() ppp_signaled(SIGTERM)
#else
#define PPPD_VERSION_STRING VERSION
#define pppd_add_options(table) add_options(table)
#define pppd_option_error option_error
#define pppd_script_setenv(name, value, iface) script_setenv((name), (value), (iface))
#define pppd_generic_establish(fd) generic_establish_ppp(fd)
#define pppd_generic_disestablish(fd) generic_disestablish_ppp(fd)
#define pppd_set_modem(on) (modem = (on))
#define pppd_set_session_number(n) (ppp_session_number = (n))
#define pppd_set_remote_number(text) snprintf(remote_number, sizeof(remote_number), "%s", (text))
#define pppd_set_devnam(name) snprintf(devnam, sizeof(devnam), "%s", (name))
#define pppd_set_pppdevnam(name) snprintf(ppp_devnam, sizeof(ppp_devnam), "%s", (name))
#define pppd_debug_on() (debug != 0)
#define pppd_got_sigterm() (got_sigterm != 0)
#endif

#endif
