/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a process that reads frames from the segment may still do: once its
 * sockets, its pty and its dump file are open, nothing of that needs root.
 * It gives up root for an unprivileged user (all capabilities go with it),
 * can never gain privileges again (no_new_privs), and a seccomp filter
 * refuses every system call but the few the data path makes -- reading and
 * writing descriptors it already has, waiting, the clock -- with EPERM: no
 * open, no socket, no exec, no fork, no kill.
 */
#ifndef PPPOE_MSS_CONFINEMENT_H
#define PPPOE_MSS_CONFINEMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Compiled in from configure's --with-unprivileged-user. */
#ifndef PPPOE_MSS_UNPRIVILEGED_USER
#define PPPOE_MSS_UNPRIVILEGED_USER "nobody"
#endif

struct confinement {
	bool change_user;  /* false: we are not root, and stay who we are */
	uid_t uid;
	gid_t gid;
	char user[64];
	/* Sent to us when our parent dies; 0: none.  Set after the change of
	 * user, which would clear it. */
	int parent_death_signal;
	/* With parent_death_signal: our parent, which must still be there once
	 * the signal is asked for (0: not checked). */
	pid_t parent;
};

/*
 * Look the user up now, while files and name services may still be opened.
 * Root becomes user_name (which must not be root); anyone else stays himself.
 * -1 with the reason in error.
 */
int confinement_prepare(struct confinement *confinement, const char *user_name, char *error,
			size_t error_len);

/*
 * Become the prepared user for good, with no capability (checked), set
 * no_new_privs, load the filter.
 * -1 with the reason in error; the process may then be half confined and
 * must not go on.  A kernel without seccomp filters is not an error: the
 * rest still holds, and warned_no_seccomp says so (the caller logs it).
 */
int confinement_enter(const struct confinement *confinement, bool *warned_no_seccomp,
		      char *error, size_t error_len);

#endif
