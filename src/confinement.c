/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Giving up root and most system calls (confinement.h). */
#include "confinement.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <signal.h>
#include <pwd.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int confinement_prepare(struct confinement *confinement, const char *user_name, char *error,
			size_t error_len)
{
	struct passwd *user;

	memset(confinement, 0, sizeof(*confinement));
	if (geteuid() != 0) {
		confinement->uid = geteuid();
		confinement->gid = getegid();
		return 0;
	}
	if (snprintf(confinement->user, sizeof(confinement->user), "%s", user_name) >=
	    (int)sizeof(confinement->user)) {
		snprintf(error, error_len, "user name '%.40s...' too long", user_name);
		return -1;
	}
	errno = 0;
	user = getpwnam(user_name);
	if (user == NULL) {
		snprintf(error, error_len,
			 "no user '%s' to read frames as, without root (%s): create it, or "
			 "configure with --with-unprivileged-user=NAME",
			 user_name, errno != 0 ? strerror(errno) : "not in the user database");
		return -1;
	}
	if (user->pw_uid == 0 || user->pw_gid == 0) {
		snprintf(error, error_len,
			 "user '%s' has uid or gid 0: reading frames needs a user without privileges",
			 user_name);
		return -1;
	}
	confinement->change_user = true;
	confinement->uid = user->pw_uid;
	confinement->gid = user->pw_gid;
	return 0;
}

static int become_user(const struct confinement *confinement, char *error, size_t error_len)
{
	/* Groups first, while we still may; then the gid, then the uid. */
	if (setgroups(1, &confinement->gid) < 0 ||
	    setresgid(confinement->gid, confinement->gid, confinement->gid) < 0 ||
	    setresuid(confinement->uid, confinement->uid, confinement->uid) < 0) {
		snprintf(error, error_len, "cannot become user '%s': %s", confinement->user,
			 strerror(errno));
		return -1;
	}
	/* Paranoia that costs nothing: no way back. */
	if (setresuid(0, 0, 0) == 0 || geteuid() != confinement->uid) {
		snprintf(error, error_len, "still able to become root after giving it up");
		return -1;
	}
	return 0;
}

/*
 * None left, whoever we are now (a user who is not root may have been given
 * some, as file capabilities of the program): effective, permitted,
 * inheritable and ambient.
 */
static int drop_capabilities(char *error, size_t error_len)
{
	struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct none[_LINUX_CAPABILITY_U32S_3], left[_LINUX_CAPABILITY_U32S_3];

	memset(none, 0, sizeof(none));
	(void)prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (syscall(SYS_capset, &header, none) < 0 || syscall(SYS_capget, &header, left) < 0) {
		snprintf(error, error_len, "cannot give up every capability: %s", strerror(errno));
		return -1;
	}
	for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; i++) {
		if (left[i].effective != 0 || left[i].permitted != 0 || left[i].inheritable != 0) {
			snprintf(error, error_len, "capabilities left after giving them up");
			return -1;
		}
	}
	return 0;
}

/*
 * What reading and writing frames on descriptors we already hold takes:
 * the relay loop, the frame dump, pppd's or syslog's logging over a socket
 * connected before, and what the C library and the sanitizers do on their
 * own (memory, locks, signal masks).
 */
static const int allowed_syscalls[] = {
	SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(readv), SCMP_SYS(writev),
	SCMP_SYS(recvfrom), SCMP_SYS(recvmsg), SCMP_SYS(recvmmsg),
	SCMP_SYS(sendto), SCMP_SYS(sendmsg), SCMP_SYS(sendmmsg),
	SCMP_SYS(getsockopt), SCMP_SYS(getsockname),
	SCMP_SYS(ppoll), SCMP_SYS(poll), SCMP_SYS(close), SCMP_SYS(fstat), SCMP_SYS(lseek),
	SCMP_SYS(clock_gettime), SCMP_SYS(clock_getres), SCMP_SYS(gettimeofday), SCMP_SYS(time),
	SCMP_SYS(getpid), SCMP_SYS(gettid), SCMP_SYS(getppid),
	SCMP_SYS(getuid), SCMP_SYS(geteuid), SCMP_SYS(getgid), SCMP_SYS(getegid),
	SCMP_SYS(rt_sigprocmask), SCMP_SYS(rt_sigreturn), SCMP_SYS(sigaltstack),
	SCMP_SYS(rt_sigaction),
	SCMP_SYS(brk), SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(madvise),
	SCMP_SYS(futex), SCMP_SYS(sched_yield), SCMP_SYS(getrandom),
	SCMP_SYS(restart_syscall), SCMP_SYS(exit), SCMP_SYS(exit_group),
};

static int allow_filter(scmp_filter_ctx filter)
{
	int rc = 0;

	for (size_t i = 0; i < sizeof(allowed_syscalls) / sizeof(allowed_syscalls[0]); i++) {
		/* A call this architecture does not have is simply not there. */
		int added = seccomp_rule_add(filter, SCMP_ACT_ALLOW, allowed_syscalls[i], 0);
		if (added < 0 && added != -EDOM)
			rc = added;
	}
	/* Memory, never executable: code comes only from what was loaded. */
	rc = rc ? rc : seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
					 SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	rc = rc ? rc : seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
					 SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	/* fstat() as the C library makes it: on a descriptor, never a path. */
	rc = rc ? rc : seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(newfstatat), 1,
					 SCMP_A3(SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH, AT_EMPTY_PATH));
	/* raise() and abort(), to ourselves only: a crash must stay a crash. */
	rc = rc ? rc : seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1,
					 SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid()));
	rc = rc ? rc : seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(kill), 1,
					 SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid()));
	/* The relay makes its descriptors non-blocking, and that is all. */
	rc = rc ? rc : seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(fcntl), 1,
					 SCMP_A1(SCMP_CMP_EQ, F_GETFL));
	rc = rc ? rc : seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(fcntl), 1,
					 SCMP_A1(SCMP_CMP_EQ, F_SETFL));
	return rc;
}

static int load_filter(bool *no_seccomp, char *error, size_t error_len)
{
	scmp_filter_ctx filter;
	int rc;

	/* A kernel built without seccomp says so here. */
	if (prctl(PR_GET_SECCOMP) < 0 && errno == EINVAL) {
		*no_seccomp = true;
		return 0;
	}
	filter = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	if (filter == NULL) {
		snprintf(error, error_len, "cannot build the seccomp filter: out of memory");
		return -1;
	}
	/* The kernel's own errno rather than libseccomp's ECANCELED. */
	rc = seccomp_attr_set(filter, SCMP_FLTATR_API_SYSRAWRC, 1);
	if (rc == 0)
		rc = allow_filter(filter);
	if (rc == 0)
		rc = seccomp_load(filter);
	seccomp_release(filter);
	if (rc < 0) {
		snprintf(error, error_len, "cannot load the seccomp filter: %s", strerror(-rc));
		return -1;
	}
	return 0;
}

int confinement_enter(const struct confinement *confinement, bool *warned_no_seccomp,
		      char *error, size_t error_len)
{
	*warned_no_seccomp = false;
	if (confinement->change_user && become_user(confinement, error, error_len) < 0)
		return -1;
	if (drop_capabilities(error, error_len) < 0)
		return -1;
	if (confinement->parent_death_signal != 0 &&
	    prctl(PR_SET_PDEATHSIG, confinement->parent_death_signal, 0, 0, 0) < 0) {
		snprintf(error, error_len, "cannot ask for a signal at the parent's death: %s",
			 strerror(errno));
		return -1;
	}
	/* Gone before the signal was asked for: it will never come. */
	if (confinement->parent != 0 && getppid() != confinement->parent) {
		snprintf(error, error_len, "its parent is gone");
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		snprintf(error, error_len, "cannot set no_new_privs: %s", strerror(errno));
		return -1;
	}
	return load_filter(warned_no_seccomp, error, error_len);
}
