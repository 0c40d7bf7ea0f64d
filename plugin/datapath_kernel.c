/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel data path: the session's frames stay in the kernel (an AF_PPPOX
 * socket that pppd's generic channel code attaches to), and the MSS clamp
 * runs inline as an eBPF program on the Ethernet device, with the limits LCP
 * negotiated kept in the program's map.  A guardian child ends the session
 * with a PADT and removes the program's filters however pppd ends.
 */
#include "pppd_api.h"  /* first: pppd 2.4's bool must come before <stdbool.h> */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "datapath.h"
#include "guardian.h"
#include "pppox_socket.h"
#include "session_recovery.h"
#include "tc_clamp.h"

static bool policy_clamps_nothing(const struct clamp_policy *policy)
{
	return policy->ipv4.mode == MSS_MODE_OFF && policy->ipv6.mode == MSS_MODE_OFF;
}

static struct clamp_limits current_limits(const struct plugin_session *s,
					  const struct plugin_settings *settings)
{
	return clamp_policy_limits(settings->policy, s->mtu, s->mru);
}

static void close_if_open(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

/* Handles tried: pid + n * 2^22 (pids stay below 2^22) is ours alone. */
#define CLAMP_HANDLE_TRIES 8
#define CLAMP_HANDLE_STRIDE (1u << 22)

/*
 * The clamp, loaded and attached, its filters written down in the session's
 * record before they exist: killed at any moment from here on, the early
 * guardian (or the next start) removes them.
 */
static struct tc_clamp *clamp_start(struct plugin_session *s, const struct plugin_settings *settings,
				    char *error, size_t error_len)
{
	struct tc_clamp_target target = {
		.ifindex = s->iface.index, .session_id = s->disc.session_id,
	};
	struct clamp_limits limits = current_limits(s, settings);
	struct tc_clamp *clamp;
	int result = TC_CLAMP_HANDLE_TAKEN;

	memcpy(target.ac_mac, s->disc.ac_mac, sizeof(target.ac_mac));
	clamp = tc_clamp_load(&target, &limits, error, error_len);
	if (clamp == NULL)
		return NULL;
	for (uint32_t n = 0; n < CLAMP_HANDLE_TRIES && result == TC_CLAMP_HANDLE_TAKEN; n++) {
		tc_clamp_set_handle(clamp, (uint32_t)getpid() + n * CLAMP_HANDLE_STRIDE);
		session_recovery_note(&s->record, &s->iface, &s->disc, clamp);
		result = tc_clamp_attach_loaded(clamp, error, error_len);
	}
	if (result == TC_CLAMP_HANDLE_TAKEN)
		snprintf(error, error_len, "the filter handles of this process are all taken "
			 "(tc filter show dev %s egress)", s->iface.name);
	if (result != 0) {
		tc_clamp_release(clamp);
		return NULL;
	}
	return clamp;
}

static int kernel_start(struct plugin_session *s, const struct plugin_settings *settings, char *why,
			size_t why_len)
{
	int socket_fd, pipe_fds[2];
	char error_text[256];
	pid_t pid;

	/* What only the relay does. */
	if (settings->sync_requested) {
		snprintf(why, why_len, "pppoe-sync asks for the relay's synchronous pty");
		return -1;
	}
	if (settings->idle_timeout_s > 0) {
		snprintf(why, why_len, "pppoe-idle-timeout is measured by the relay (pppd's own "
			 "'idle' option works on both paths)");
		return -1;
	}

	s->clamp = NULL;
	if (!policy_clamps_nothing(settings->policy)) {
		s->clamp = clamp_start(s, settings, error_text, sizeof(error_text));
		if (s->clamp == NULL) {
			snprintf(why, why_len, "the MSS clamp cannot run in the kernel: %s", error_text);
			return -1;
		}
	}
	socket_fd = pppox_session_open(s->iface.name, s->disc.session_id, s->disc.ac_mac, error_text,
				       sizeof(error_text));
	if (socket_fd < 0) {
		snprintf(why, why_len, "%s", error_text);
		goto undo_clamp;
	}
	negotiated_mtu_mru_publish(s->share, s->link_mtu, s->link_mtu);
	if (pipe2(pipe_fds, O_CLOEXEC) < 0) {
		snprintf(why, why_len, "cannot make the guardian's pipe: %s", strerror(errno));
		goto undo_socket;
	}
	struct guardian_params params = {
		.disc = &s->disc, .discovery_fd = s->discovery_fd, .pppd_gone_fd = pipe_fds[0],
		.pppd_end_fd = pipe_fds[1], .session_socket = socket_fd,
		.session_frames_fd = s->session_fd, .clamp = s->clamp,
		.ifname = s->iface.name, .dump = &s->dump,
		.record = &s->record, .early_guardian_fd = s->early.control_fd,
		.policy = settings->policy, .share = s->share, .iface = &s->iface,
		.confinement = &s->confinement,
	};
	pid = guardian_start(&params);
	close(pipe_fds[0]);
	if (pid < 0) {
		snprintf(why, why_len, "cannot start the guardian process: %s", strerror(errno));
		close(pipe_fds[1]);
		goto undo_socket;
	}
	child_process_follow(&s->child, pid);
	s->guardian_pipe = pipe_fds[1];
	/* Frames of the session are the kernel's now: no copies for us. */
	close_if_open(&s->session_fd);
	return socket_fd;

undo_socket:
	close(socket_fd);
undo_clamp:
	if (s->clamp != NULL) {
		tc_clamp_detach(s->clamp);
		s->clamp = NULL;
	}
	return -1;
}

static int kernel_establish(struct plugin_session *s, int fd)
{
	(void)s;
	return pppd_generic_establish(fd);
}

static void kernel_disestablish(struct plugin_session *s, int fd)
{
	(void)s;
	pppd_generic_disestablish(fd);
}

static void kernel_negotiated_mtu_mru_changed(struct plugin_session *s,
					      const struct plugin_settings *settings)
{
	struct clamp_limits limits;
	int failed;

	/* For the guardian's live status. */
	negotiated_mtu_mru_publish(s->share, s->mtu, s->mru);
	if (s->clamp == NULL)
		return;
	limits = current_limits(s, settings);
	failed = tc_clamp_set_limits(s->clamp, &limits);
	if (failed < 0)
		error("pppoe-mss: cannot give the kernel's MSS clamp its new limits: %s",
		      strerror(-failed));
}

static void kernel_release(struct plugin_session *s, bool child_cleaned_up)
{
	close_if_open(&s->guardian_pipe);
	if (s->clamp == NULL)
		return;
	/* The guardian removed the filters and logged the counters, unless it
	 * could not (killed): then it is ours to do. */
	if (!child_cleaned_up) {
		guardian_log_clamp_counts(s->clamp);
		tc_clamp_detach(s->clamp);
	} else {
		tc_clamp_release(s->clamp);
	}
	s->clamp = NULL;
}

static void kernel_close_in_child(struct plugin_session *s)
{
	close_if_open(&s->guardian_pipe);
}

const struct datapath datapath_kernel = {
	.name = "kernel",
	.start = kernel_start,
	.establish = kernel_establish,
	.disestablish = kernel_disestablish,
	.negotiated_mtu_mru_changed = kernel_negotiated_mtu_mru_changed,
	.release = kernel_release,
	.close_in_child = kernel_close_in_child,
};
