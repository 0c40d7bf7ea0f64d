/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tests for src/confinement.c (as root): a confined process is the
 * unprivileged user with no capability and no way back, and the calls the
 * data path never makes -- open, socket, exec, fork, kill, executable
 * memory -- are refused, while those it makes still work.  Each confinement
 * happens in a child of the test, which reports what it saw through a pipe.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check_main.h"
#include "confinement.h"

/* What the confined child saw: an errno per call (0: it worked). */
struct seen {
	int entered;          /* confinement_enter's result */
	uid_t uid, euid;
	gid_t gid;
	int become_root;      /* setresuid(0, 0, 0) */
	int open_file;
	int open_socket;
	int exec;
	int fork;
	int kill_init;
	int raise_self;       /* a signal to itself: abort() must still work */
	int exec_memory;      /* mmap(PROT_EXEC) */
	int pipe_write;       /* what the data path does: */
	int poll;
	int clock;
	int data_memory;      /* mmap(PROT_READ | PROT_WRITE) */
};

static int errno_of(long result)
{
	return result < 0 ? errno : 0;
}

static void look_around(int report, struct seen *seen)
{
	char *const argv[] = { "/bin/true", NULL };
	struct timespec now;
	struct pollfd none = { .fd = -1 };
	void *memory;

	seen->uid = getuid();
	seen->euid = geteuid();
	seen->gid = getgid();
	seen->become_root = errno_of(setresuid(0, 0, 0));
	seen->open_file = errno_of(open("/etc/passwd", O_RDONLY));
	seen->open_socket = errno_of(socket(AF_INET, SOCK_DGRAM, 0));
	seen->exec = errno_of(execve(argv[0], argv, NULL));
	/* The raw call: glibc's fork() would run its atfork handlers. */
	seen->fork = errno_of(syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0));
	seen->kill_init = errno_of(kill(1, 0));
	seen->raise_self = errno_of(raise(0));
	memory = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	seen->exec_memory = memory == MAP_FAILED ? errno : 0;
	memory = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	seen->data_memory = memory == MAP_FAILED ? errno : 0;
	seen->poll = errno_of(poll(&none, 1, 0));
	seen->clock = errno_of(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &now));
	seen->pipe_write = errno_of(write(report, seen, sizeof(*seen)));
}

/*
 * Confine a child, let it look around and report; also hand back its
 * /proc status as the kernel sees it, read by us while it waits.
 */
static void confine_child(const struct confinement *confinement, struct seen *seen,
			  char *status, size_t status_len)
{
	int report[2], go[2];
	pid_t child;
	int wait_status = 0;
	char byte = 0;

	ck_assert_int_eq(pipe(report), 0);
	ck_assert_int_eq(pipe(go), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		struct seen mine = { 0 };
		bool no_seccomp;
		char error[256];

		close(report[0]);
		close(go[1]);
		mine.entered = confinement_enter(confinement, &no_seccomp, error, sizeof(error));
		if (write(report[1], &mine.entered, sizeof(mine.entered)) < 0 ||
		    read(go[0], &byte, 1) != 1)
			_exit(1);
		if (mine.entered == 0)
			look_around(report[1], &mine);
		else
			(void)!write(report[1], &mine, sizeof(mine));
		_exit(0);
	}
	close(report[1]);
	close(go[0]);
	ck_assert_int_eq(read(report[0], &seen->entered, sizeof(seen->entered)),
			 sizeof(seen->entered));

	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)child);
	FILE *file = fopen(path, "r");
	ck_assert_ptr_nonnull(file);
	size_t len = fread(status, 1, status_len - 1, file);
	status[len] = '\0';
	fclose(file);

	ck_assert_int_eq(write(go[1], &byte, 1), 1);
	ck_assert_int_eq(read(report[0], seen, sizeof(*seen)), sizeof(*seen));
	ck_assert_int_eq(waitpid(child, &wait_status, 0), child);
	ck_assert_msg(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0,
		      "confined child status 0x%x", wait_status);
	close(report[0]);
	close(go[1]);
}

static void assert_status_has(const char *status, const char *line)
{
	ck_assert_msg(strstr(status, line) != NULL, "'%s' not in /proc status:\n%s", line, status);
}

static void assert_refused_but_data_path(const struct seen *seen)
{
	ck_assert_int_eq(seen->entered, 0);
	ck_assert_int_eq(seen->become_root, EPERM);
	ck_assert_int_eq(seen->open_file, EPERM);
	ck_assert_int_eq(seen->open_socket, EPERM);
	ck_assert_int_eq(seen->exec, EPERM);
	ck_assert_int_eq(seen->fork, EPERM);
	ck_assert_int_eq(seen->kill_init, EPERM);
	ck_assert_int_eq(seen->raise_self, 0);
	ck_assert_int_eq(seen->exec_memory, EPERM);
	ck_assert_int_eq(seen->data_memory, 0);
	ck_assert_int_eq(seen->poll, 0);
	ck_assert_int_eq(seen->clock, 0);
	ck_assert_int_eq(seen->pipe_write, 0);
}

START_TEST(test_root_becomes_the_user_confined)
{
	struct confinement confinement;
	struct seen seen;
	char status[4096], error[256], line[64];

	ck_assert_int_eq(geteuid(), 0);
	ck_assert_msg(confinement_prepare(&confinement, PPPOE_MSS_UNPRIVILEGED_USER, error,
					  sizeof(error)) == 0, "%s", error);
	ck_assert(confinement.change_user);
	ck_assert_uint_ne(confinement.uid, 0);
	confine_child(&confinement, &seen, status, sizeof(status));

	assert_refused_but_data_path(&seen);
	ck_assert_uint_eq(seen.uid, confinement.uid);
	ck_assert_uint_eq(seen.euid, confinement.uid);
	ck_assert_uint_eq(seen.gid, confinement.gid);
	snprintf(line, sizeof(line), "Uid:\t%u\t%u\t%u\t%u\n", (unsigned)confinement.uid,
		 (unsigned)confinement.uid, (unsigned)confinement.uid, (unsigned)confinement.uid);
	assert_status_has(status, line);
	snprintf(line, sizeof(line), "Groups:\t%u \n", (unsigned)confinement.gid);
	assert_status_has(status, line);
	assert_status_has(status, "CapPrm:\t0000000000000000\n");
	assert_status_has(status, "CapEff:\t0000000000000000\n");
	assert_status_has(status, "NoNewPrivs:\t1\n");
	assert_status_has(status, "Seccomp:\t2\n");
}
END_TEST

START_TEST(test_a_user_stays_himself_confined)
{
	struct confinement confinement;
	struct seen seen;
	char status[4096], error[256];
	pid_t child = fork();
	int wait_status = 0;

	ck_assert_int_ge(child, 0);
	if (child == 0) {
		/* Not root from the start: nothing to give up, the rest holds. */
		if (setresgid(65534, 65534, 65534) < 0 || setresuid(65534, 65534, 65534) < 0 ||
		    confinement_prepare(&confinement, "root", error, sizeof(error)) < 0 ||
		    confinement.change_user || confinement.uid != 65534)
			_exit(2);
		confine_child(&confinement, &seen, status, sizeof(status));
		assert_refused_but_data_path(&seen);
		ck_assert_uint_eq(seen.uid, 65534);
		assert_status_has(status, "NoNewPrivs:\t1\n");
		assert_status_has(status, "Seccomp:\t2\n");
		_exit(0);
	}
	ck_assert_int_eq(waitpid(child, &wait_status, 0), child);
	ck_assert_msg(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0,
		      "unprivileged test child status 0x%x", wait_status);
}
END_TEST

START_TEST(test_user_must_exist_and_not_be_root)
{
	struct confinement confinement;
	char error[256];

	ck_assert_int_eq(confinement_prepare(&confinement, "no-such-user-pppoe-mss", error,
					     sizeof(error)), -1);
	ck_assert_msg(strstr(error, "no user 'no-such-user-pppoe-mss'") != NULL, "%s", error);
	ck_assert_msg(strstr(error, "--with-unprivileged-user") != NULL, "%s", error);
	ck_assert_int_eq(confinement_prepare(&confinement, "root", error, sizeof(error)), -1);
	ck_assert_msg(strstr(error, "uid or gid 0") != NULL, "%s", error);
	ck_assert_int_eq(confinement_prepare(&confinement, "", error, sizeof(error)), -1);
}
END_TEST

static volatile sig_atomic_t signal_noted;

static void note_signal(int signum)
{
	signal_noted = signum;
}

START_TEST(test_parent_death_signal_survives_the_change_of_user)
{
	struct confinement confinement;
	char error[256];
	int report[2];
	pid_t middle;
	int wait_status = 0, signal_seen = 0;

	ck_assert_int_eq(confinement_prepare(&confinement, PPPOE_MSS_UNPRIVILEGED_USER, error,
					     sizeof(error)), 0);
	confinement.parent_death_signal = SIGUSR2;
	ck_assert_int_eq(pipe(report), 0);
	middle = fork();
	ck_assert_int_ge(middle, 0);
	if (middle == 0) {
		pid_t worker = fork();
		if (worker == 0) {
			struct sigaction on_usr2 = { .sa_handler = note_signal };
			sigset_t usr2, open_mask;
			bool no_seccomp;

			sigemptyset(&usr2);
			sigaddset(&usr2, SIGUSR2);
			sigprocmask(SIG_BLOCK, &usr2, &open_mask);
			sigdelset(&open_mask, SIGUSR2);
			sigaction(SIGUSR2, &on_usr2, NULL);
			if (confinement_enter(&confinement, &no_seccomp, error, sizeof(error)) < 0)
				_exit(1);
			/* Its parent is gone now, or soon: the signal says so. */
			(void)!write(report[1], "r", 1);
			struct timespec five_s = { .tv_sec = 5 };
			(void)ppoll(NULL, 0, &five_s, &open_mask);
			int got = signal_noted;
			(void)!write(report[1], &got, sizeof(got));
			_exit(0);
		}
		char ready;
		_exit(read(report[0], &ready, 1) == 1 ? 0 : 1);
	}
	close(report[1]);
	ck_assert_int_eq(waitpid(middle, &wait_status, 0), middle);
	ck_assert_int_eq(read(report[0], &signal_seen, sizeof(signal_seen)), sizeof(signal_seen));
	ck_assert_int_eq(signal_seen, SIGUSR2);
	close(report[0]);
}
END_TEST

static Suite *confinement_suite(void)
{
	Suite *suite = suite_create("confinement");
	TCase *confined = tcase_create("confined");

	tcase_add_test(confined, test_root_becomes_the_user_confined);
	tcase_add_test(confined, test_a_user_stays_himself_confined);
	tcase_add_test(confined, test_user_must_exist_and_not_be_root);
	tcase_add_test(confined, test_parent_death_signal_survives_the_change_of_user);
	suite_add_tcase(suite, confined);
	return suite;
}

int main(void)
{
	return check_main_run(confinement_suite());
}
