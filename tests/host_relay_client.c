/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The program under test (host_relay.h): started with the master of a pty
 * as its stdin and stdout, as pppd's `pty` option does, while this process
 * plays pppd on the slave and speaks async HDLC; or started without a pty.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "host_relay.h"
#include "process_tree.h"

const char *const no_args[] = { NULL };

/* For the watchdog: whoever is running now. */
static volatile pid_t running_child = -1;

void on_watchdog(int signum)
{
	static const char message[] = "Bail out! host_relay hung: watchdog expired\n";

	(void)signum;
	if (running_child > 0)
		kill(running_child, SIGKILL);
	(void)!write(STDOUT_FILENO, message, sizeof(message) - 1);
	_exit(1);
}

static void set_cloexec(int fd)
{
	fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
}

/*
 * Start the program with extra arguments after "-I <client_if>".  With
 * with_pty its stdin and stdout are a pty master and we keep the slave, as
 * pppd does; otherwise stdin is /dev/null and stdout goes to out_path.
 */
bool client_start(struct lab *lab, struct client *client, const char *name, bool with_pty,
		  const char *const extra[])
{
	const char *argv[16];
	size_t argc = 0;
	int master = -1, slave = -1, log_fd, out_fd = -1, in_fd = -1;

	memset(client, 0, sizeof(*client));
	client->pid = -1;
	client->pppd_fd = -1;
	client->failures_at_start = tap_failures;
	snprintf(client->log_path, sizeof(client->log_path), "%s/%s.log", lab->tmpdir, name);
	snprintf(client->out_path, sizeof(client->out_path), "%s/%s.out", lab->tmpdir, name);

	argv[argc++] = lab->program;
	argv[argc++] = "-I";
	argv[argc++] = lab->client_if;
	for (size_t i = 0; extra[i] != NULL && argc < sizeof(argv) / sizeof(argv[0]) - 1; i++)
		argv[argc++] = extra[i];
	argv[argc] = NULL;

	log_fd = open(client->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (log_fd < 0) {
		diag("cannot create %s: %s", client->log_path, strerror(errno));
		return false;
	}
	if (with_pty) {
		struct termios raw;

		if (openpty(&master, &slave, NULL, NULL, NULL) < 0) {
			diag("openpty: %s", strerror(errno));
			close(log_fd);
			return false;
		}
		set_cloexec(master);
		set_cloexec(slave);
		/* pppd puts its end in raw mode: HDLC bytes must pass untouched. */
		tcgetattr(slave, &raw);
		cfmakeraw(&raw);
		tcsetattr(slave, TCSANOW, &raw);
		fcntl(slave, F_SETFL, fcntl(slave, F_GETFL) | O_NONBLOCK);
		in_fd = out_fd = master;
	} else {
		in_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		out_fd = open(client->out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (in_fd < 0 || out_fd < 0) {
			diag("cannot open /dev/null or %s: %s", client->out_path, strerror(errno));
			if (in_fd >= 0)
				close(in_fd);
			if (out_fd >= 0)
				close(out_fd);
			close(log_fd);
			return false;
		}
	}

	fflush(stdout);
	client->pid = fork();
	if (client->pid == 0) {
		/* dup2 clears close-on-exec on the copies, nothing else leaks. */
		dup2(in_fd, STDIN_FILENO);
		dup2(out_fd, STDOUT_FILENO);
		dup2(log_fd, STDERR_FILENO);
		signal(SIGPIPE, SIG_DFL);
		execv(argv[0], (char *const *)argv);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	running_child = client->pid;
	close(log_fd);
	if (with_pty) {
		/* Only the program may hold the master, or its exit would not hang up the slave. */
		close(master);
		client->pppd_fd = slave;
		hdlc_encoder_init(&client->encoder, HDLC_ACCM_ALL);
		hdlc_decoder_init(&client->decoder, client->decoder_buffer, sizeof(client->decoder_buffer));
	} else {
		if (in_fd >= 0)
			close(in_fd);
		if (out_fd >= 0)
			close(out_fd);
	}
	if (client->pid < 0) {
		diag("fork: %s", strerror(errno));
		return false;
	}
	return true;
}

/* Wait up to timeout_ms for the program to exit; true with *status when it did. */
bool client_wait(struct client *client, int timeout_ms, int *status)
{
	uint64_t deadline = now_ms() + (uint64_t)timeout_ms;

	if (client->pid <= 0)
		return false;
	for (;;) {
		pid_t done = waitpid(client->pid, status, WNOHANG);
		if (done == client->pid) {
			client->pid = -1;
			running_child = -1;
			return true;
		}
		if (done < 0 && errno != EINTR)
			return false;
		if (remaining_ms(deadline) == 0)
			return false;
		sleep_ms(10);
	}
}

bool client_running(struct client *client)
{
	int status = 0;

	return client->pid > 0 && !client_wait(client, 0, &status);
}

/* Signal the client if it still runs: once reaped its pid is -1, and
 * kill(-1) would signal every process we may signal. */
void client_signal(const struct client *client, int signum)
{
	if (client->pid > 0)
		kill(client->pid, signum);
}

void describe_status(int status)
{
	if (WIFEXITED(status))
		diag("exit status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		diag("killed by signal %d", WTERMSIG(status));
}

/* The program's stderr lines that contain needle, as diagnostics ("": all of them). */
void client_show_log_lines(const struct client *client, const char *needle)
{
	char line[512];
	FILE *log = fopen(client->log_path, "r");

	if (log == NULL)
		return;
	for (int i = 0; i < 200 && fgets(line, sizeof(line), log) != NULL; i++) {
		line[strcspn(line, "\n")] = '\0';
		if (strstr(line, needle) != NULL)
			diag("stderr: %s", line);
	}
	fclose(log);
}

bool file_contains(const char *path, const char *needle)
{
	char text[16384];
	size_t len;
	FILE *file = fopen(path, "r");

	if (file == NULL)
		return false;
	len = fread(text, 1, sizeof(text) - 1, file);
	fclose(file);
	text[len] = '\0';
	return strstr(text, needle) != NULL;
}

/* Lines of path that contain needle. */
unsigned file_count_lines(const char *path, const char *needle)
{
	char line[512];
	unsigned count = 0;
	FILE *file = fopen(path, "r");

	if (file == NULL)
		return 0;
	while (fgets(line, sizeof(line), file) != NULL)
		if (strstr(line, needle) != NULL)
			count++;
	fclose(file);
	return count;
}

/*
 * Kill the program if it still runs, release the pty, show its log if the run
 * failed.  Its worker outlives it briefly, told by the kernel that its parent
 * died, and ends the session with a PADT: wait for the worker too, so that
 * PADT cannot reach the next case's access concentrator.
 */
void client_finish(struct client *client)
{
	pid_t workers[8];
	int worker_count = 0, status = 0;

	if (client->pid > 0) {
		worker_count = process_children(client->pid, workers, 8);
		kill(client->pid, SIGKILL);
		if (!client_wait(client, 2000, &status))
			diag("pid %d did not die after SIGKILL", (int)client->pid);
	}
	uint64_t deadline = now_ms() + 4000;
	for (int i = 0; i < worker_count; i++) {
		while (!process_ended(workers[i]) && now_ms() < deadline)
			usleep(10 * 1000);
		if (!process_ended(workers[i]))
			diag("the program's child %d still runs 4 s after the program was killed", (int)workers[i]);
	}
	if (client->pppd_fd >= 0)
		close(client->pppd_fd);
	client->pppd_fd = -1;
	/* Its stderr, when something in its run failed. */
	if (tap_failures != client->failures_at_start)
		client_show_log_lines(client, "");
}

/* "pppd" writes bytes that are already HDLC-encoded, in one write if the pty takes them. */
bool pppd_write(struct client *client, const uint8_t *bytes, size_t len)
{
	size_t written = 0;
	uint64_t deadline = now_ms() + STEP_TIMEOUT_MS;

	while (written < len) {
		ssize_t n = write(client->pppd_fd, bytes + written, len - written);
		if (n > 0) {
			written += (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			diag("pppd: write to the pty: %s", strerror(errno));
			return false;
		}
		struct pollfd pfd = { .fd = client->pppd_fd, .events = POLLOUT };
		if (poll(&pfd, 1, remaining_ms(deadline)) <= 0) {
			diag("pppd: the pty stayed full for %d ms", STEP_TIMEOUT_MS);
			return false;
		}
	}
	return true;
}

/* HDLC-encode a PPP frame as pppd's ppp_async would; 0 when it does not fit. */
size_t pppd_encode(struct client *client, const uint8_t *ppp, size_t len, uint8_t *out,
		   size_t capacity)
{
	size_t encoded_len = hdlc_encode(&client->encoder, ppp, len, out, capacity);

	if (encoded_len == 0)
		diag("pppd: frame of %zu bytes does not fit the encode buffer", len);
	return encoded_len;
}

/* "pppd" writes one PPP frame. */
bool pppd_send(struct client *client, const uint8_t *ppp, size_t len)
{
	uint8_t encoded[2 * PACKET_MAX + 8];
	size_t encoded_len = pppd_encode(client, ppp, len, encoded, sizeof(encoded));

	return encoded_len > 0 && pppd_write(client, encoded, encoded_len);
}

/* The next good HDLC frame from the program (address/control included), 0 on timeout. */
size_t pppd_receive(struct client *client, int timeout_ms, uint8_t *out, size_t capacity)
{
	uint64_t deadline = now_ms() + (uint64_t)timeout_ms;

	for (;;) {
		while (client->raw_used < client->raw_len) {
			const uint8_t *frame;
			size_t frame_len;

			client->raw_used += hdlc_decode(&client->decoder, client->raw + client->raw_used,
							client->raw_len - client->raw_used, &frame, &frame_len);
			if (frame_len > 0) {
				if (frame_len > capacity) {
					diag("pppd: a %zu-byte frame does not fit", frame_len);
					return 0;
				}
				memcpy(out, frame, frame_len);
				return frame_len;
			}
		}
		client->raw_len = client->raw_used = 0;

		struct pollfd pfd = { .fd = client->pppd_fd, .events = POLLIN };
		if (poll(&pfd, 1, remaining_ms(deadline)) <= 0)
			return 0;
		ssize_t got = read(client->pppd_fd, client->raw, sizeof(client->raw));
		if (got > 0)
			client->raw_len = (size_t)got;
		else if (got == 0 || (errno != EAGAIN && errno != EINTR))
			return 0;  /* hung up: the program is gone */
	}
}

