/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The relay child's own name in ps, top and pidof.  A fork of pppd keeps
 * pppd's command line ("pppd call isp"), so Debian's poff, which looks for
 * exactly that, signalled the relay along with pppd (and failed when the
 * relay was gone between its ps and its kill), and pidof counted two pppds.
 */
#ifndef PPPOE_MSS_PROCESS_TITLE_H
#define PPPOE_MSS_PROCESS_TITLE_H

#include <stddef.h>

/*
 * How many bytes of title fit in room bytes with a NUL after them: all of
 * it, else up to the last space that fits (whole words), else room - 1.
 */
size_t process_title_fit(const char *title, size_t room);

/*
 * Name the calling process comm (the kernel keeps 15 bytes) and replace its
 * command line with title, cut by process_title_fit to the room the
 * original arguments took.  For a forked child: the memory is its own copy.
 * Returns 0, or -1 when the command line could not be rewritten (the name
 * is set all the same).
 */
int process_title_set(const char *comm, const char *title);

#endif
