/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Loading and attaching the tc clamp of src/clamp.bpf.c, which the build
 * embeds as a libbpf skeleton (clamp.skel.h): nothing is looked for on disk
 * at run time.  libbpf's messages never reach stderr -- pppd has no
 * terminal -- but feed the one line of error that tc_clamp_attach() gives.
 */
#include "tc_clamp.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "clamp_bpf.h"
#include "clamp.skel.h"
#include "log.h"

struct tc_clamp {
	struct clamp_bpf *skeleton;
	int ifindex;
	bool attached[PPP_DIRECTION_COUNT];
	uint32_t handle[PPP_DIRECTION_COUNT];
};

static const enum bpf_tc_attach_point attach_points[PPP_DIRECTION_COUNT] = {
	[PPP_OUTBOUND] = BPF_TC_EGRESS,
	[PPP_INBOUND] = BPF_TC_INGRESS,
};

static const char *const attach_point_names[PPP_DIRECTION_COUNT] = {
	[PPP_OUTBOUND] = "egress",
	[PPP_INBOUND] = "ingress",
};

/* ---- what libbpf said ---- */

/*
 * The last warning libbpf printed, and the verifier's reason when it
 * refused a program: the last line of its log that is not a statistic.
 */
static struct {
	char warning[256];
	char verifier[256];
} libbpf_said;

static void copy_line(char *to, size_t size, const char *from, size_t len)
{
	while (len > 0 && (from[len - 1] == '\n' || from[len - 1] == ' '))
		len--;
	snprintf(to, size, "%.*s", (int)len, from);
}

static void note_verifier_reason(const char *log)
{
	const char *end = strstr(log, "-- END PROG LOAD LOG --");
	const char *line_end;

	if (!end)
		end = log + strlen(log);
	/* Walk back line by line over the statistics the verifier ends with. */
	for (line_end = end; line_end > log;) {
		const char *line = line_end - 1;

		while (line > log && line[-1] != '\n')
			line--;
		if (line_end - line > 1 && strncmp(line, "processed ", 10) != 0 &&
		    strncmp(line, "verification time", 17) != 0 &&
		    strncmp(line, "stack depth", 11) != 0 && strncmp(line, "-- ", 3) != 0) {
			copy_line(libbpf_said.verifier, sizeof(libbpf_said.verifier), line,
				  (size_t)(line_end - line));
			return;
		}
		line_end = line;
	}
}

static int libbpf_print(enum libbpf_print_level level, const char *format, va_list args)
{
	static const char log_begins[] = "-- BEGIN PROG LOAD LOG --";
	const char *log;
	va_list copy;
	char *text;
	int len;

	if (level != LIBBPF_WARN)
		return 0;
	va_copy(copy, args);
	len = vsnprintf(NULL, 0, format, copy);
	va_end(copy);
	/* A verifier log can run to megabytes: as long as it takes. */
	if (len < 0 || !(text = malloc((size_t)len + 1)))
		return 0;
	vsnprintf(text, (size_t)len + 1, format, args);
	log = strstr(text, log_begins);
	if (log)
		note_verifier_reason(log + strlen(log_begins));
	else
		copy_line(libbpf_said.warning, sizeof(libbpf_said.warning), text, (size_t)len);
	free(text);
	return 0;
}

/* Never stderr; also for libbpf's calls made on our behalf after this one. */
static void libbpf_listen(void)
{
	libbpf_set_print(libbpf_print);
	memset(&libbpf_said, 0, sizeof(libbpf_said));
}

/* ---- loading ---- */

int tc_clamp_set_limits(struct tc_clamp *clamp, const struct clamp_limits *limits)
{
	struct clamp_bpf_limits value = { 0 };
	uint32_t key = 0;

	value.limit[PPP_OUTBOUND] = limits->outbound;
	value.limit[PPP_INBOUND] = limits->inbound;
	return bpf_map__update_elem(clamp->skeleton->maps.clamp_limits, &key, sizeof(key), &value,
				    sizeof(value), BPF_ANY);
}

int tc_clamp_read_counts(const struct tc_clamp *clamp, struct tc_clamp_counts *counts)
{
	int cpus = libbpf_num_possible_cpus();
	struct clamp_bpf_counts *per_cpu;
	uint32_t key = 0;
	int err;

	if (cpus < 0)
		return cpus;
	/* Per-CPU values come one after the other, 8-byte aligned (as this one is). */
	per_cpu = calloc((size_t)cpus, sizeof(*per_cpu));
	if (!per_cpu)
		return -ENOMEM;
	err = bpf_map__lookup_elem(clamp->skeleton->maps.clamp_counts, &key, sizeof(key), per_cpu,
				   (size_t)cpus * sizeof(*per_cpu), 0);
	if (err == 0) {
		memset(counts, 0, sizeof(*counts));
		for (int cpu = 0; cpu < cpus; cpu++) {
			for (int dir = 0; dir < PPP_DIRECTION_COUNT; dir++) {
				for (int result = 0; result < MSS_RESULT_COUNT; result++)
					counts->result[dir][result] +=
						per_cpu[cpu].result[dir][result];
				for (int family = 0; family < MSS_FAMILY_COUNT; family++)
					counts->clamped[dir][family] +=
						per_cpu[cpu].clamped[dir][family];
			}
		}
	}
	free(per_cpu);
	return err;
}

struct tc_clamp *tc_clamp_load(const struct tc_clamp_target *target,
			       const struct clamp_limits *limits, char *error, size_t error_len)
{
	struct tc_clamp *clamp = calloc(1, sizeof(*clamp));
	int err;

	libbpf_listen();
	if (!clamp) {
		snprintf(error, error_len, "out of memory");
		return NULL;
	}
	clamp->ifindex = target->ifindex;
	for (int dir = 0; dir < PPP_DIRECTION_COUNT; dir++)
		clamp->handle[dir] = target->handle;
	clamp->skeleton = clamp_bpf__open();
	if (!clamp->skeleton) {
		snprintf(error, error_len, "cannot open the embedded clamp program: %s",
			 strerror(errno));
		free(clamp);
		return NULL;
	}
	memcpy(clamp->skeleton->rodata->clamp_target.ac_mac, target->ac_mac,
	       sizeof(target->ac_mac));
	clamp->skeleton->rodata->clamp_target.session_id = target->session_id;

	err = clamp_bpf__load(clamp->skeleton);
	if (err == 0)
		err = tc_clamp_set_limits(clamp, limits);
	if (err == 0)
		return clamp;

	if (err == -EPERM)
		snprintf(error, error_len,
			 "loading the clamp program needs root (CAP_BPF and CAP_NET_ADMIN): %s",
			 strerror(-err));
	else if (err == -ENOSYS)
		snprintf(error, error_len,
			 "this kernel has no BPF system call (CONFIG_BPF_SYSCALL is off)");
	else if (libbpf_said.verifier[0])
		snprintf(error, error_len, "the BPF verifier refused the clamp program: %s",
			 libbpf_said.verifier);
	else
		snprintf(error, error_len, "cannot load the clamp program: %s%s%s",
			 strerror(-err), libbpf_said.warning[0] ? " -- libbpf: " : "",
			 libbpf_said.warning);
	clamp_bpf__destroy(clamp->skeleton);
	free(clamp);
	return NULL;
}

int tc_clamp_program_fd(const struct tc_clamp *clamp, enum ppp_direction direction)
{
	return bpf_program__fd(direction == PPP_OUTBOUND ? clamp->skeleton->progs.clamp_egress
							 : clamp->skeleton->progs.clamp_ingress);
}

/* ---- attaching ---- */

/*
 * The kind of the qdisc on the ingress side of a device ("clsact",
 * "ingress"), or "" when there is none.  0 or -errno.
 */
static int ingress_qdisc_kind(int ifindex, char *kind, size_t kind_len)
{
	struct {
		struct nlmsghdr header;
		struct tcmsg tc;
	} request = {
		.header = {
			.nlmsg_len = sizeof(request),
			.nlmsg_type = RTM_GETQDISC,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		},
		.tc = { .tcm_family = AF_UNSPEC, .tcm_ifindex = ifindex },
	};
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	/* Big enough for any message of a dump (the kernel's are a page or two). */
	const size_t buffer_len = 32768;
	char *buffer = malloc(buffer_len);
	int sock, err = 0;
	bool done = false;

	kind[0] = '\0';
	if (!buffer)
		return -ENOMEM;
	sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (sock < 0) {
		err = -errno;
		free(buffer);
		return err;
	}
	if (sendto(sock, &request, sizeof(request), 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0)
		err = -errno;
	while (err == 0 && !done) {
		ssize_t len = recv(sock, buffer, buffer_len, 0);
		struct nlmsghdr *message = (struct nlmsghdr *)buffer;

		if (len < 0) {
			err = -errno;
			break;
		}
		for (; NLMSG_OK(message, (size_t)len); message = NLMSG_NEXT(message, len)) {
			struct tcmsg *tc = NLMSG_DATA(message);
			struct rtattr *attr;
			int attr_len;

			if (message->nlmsg_type == NLMSG_DONE) {
				done = true;
				break;
			}
			if (message->nlmsg_type == NLMSG_ERROR) {
				err = ((struct nlmsgerr *)NLMSG_DATA(message))->error;
				break;
			}
			if (message->nlmsg_type != RTM_NEWQDISC || tc->tcm_ifindex != ifindex ||
			    tc->tcm_parent != TC_H_INGRESS)
				continue;
			attr_len = (int)message->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*tc));
			for (attr = (struct rtattr *)((char *)tc + NLMSG_ALIGN(sizeof(*tc)));
			     RTA_OK(attr, attr_len); attr = RTA_NEXT(attr, attr_len))
				if (attr->rta_type == TCA_KIND)
					snprintf(kind, kind_len, "%.*s",
						 (int)RTA_PAYLOAD(attr), (char *)RTA_DATA(attr));
		}
	}
	close(sock);
	free(buffer);
	return err;
}

/* A clsact qdisc on the device: there already, or created.  0 or -1 with error set. */
static int clsact_ensure(int ifindex, const char *device, char *error, size_t error_len)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
		    .attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS);
	char kind[32];
	int err = bpf_tc_hook_create(&hook);

	if (err == 0)
		return 0;
	if (err == -EEXIST) {
		err = ingress_qdisc_kind(ifindex, kind, sizeof(kind));
		if (err == 0 && strcmp(kind, "clsact") == 0)
			return 0;
		if (err == 0 && kind[0])
			snprintf(error, error_len,
				 "%s has an %s qdisc, not clsact: the clamp's filters need clsact, and the two exclude each other (tc qdisc del dev %s %s; tc qdisc add dev %s clsact; then add its filters again under ingress)",
				 device, kind, device, kind, device);
		else
			snprintf(error, error_len,
				 "%s has a qdisc in clsact's place that cannot be identified (%s): tc qdisc show dev %s",
				 device, err ? strerror(-err) : "no kind", device);
		return -1;
	}
	if (err == -ENOENT || err == -EOPNOTSUPP)
		snprintf(error, error_len,
			 "the clsact qdisc is not available in this kernel (modprobe sch_ingress)");
	else if (err == -EPERM)
		snprintf(error, error_len, "adding a qdisc to %s needs CAP_NET_ADMIN", device);
	else
		snprintf(error, error_len, "cannot add a clsact qdisc to %s: %s", device,
			 strerror(-err));
	return -1;
}

static int filter_attach(struct tc_clamp *clamp, enum ppp_direction dir, const char *device,
			 char *error, size_t error_len)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = clamp->ifindex, .attach_point = attach_points[dir]);
	LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = tc_clamp_program_fd(clamp, dir),
		    .priority = TC_CLAMP_PRIORITY, .handle = clamp->handle[dir]);
	int err = bpf_tc_attach(&hook, &opts);

	/* Taken (a filter left by a killed session whose pid we have now, or a
	 * pid of another pid namespace): the caller asks for another. */
	if (err == -EEXIST && opts.handle != 0)
		return TC_CLAMP_HANDLE_TAKEN;
	if (err == 0) {
		clamp->attached[dir] = true;
		clamp->handle[dir] = opts.handle;
		return 0;
	}
	if (err == -EINVAL)
		snprintf(error, error_len,
			 "cannot attach the clamp to %s %s: priority %d there is taken by a filter of another kind or protocol (tc filter show dev %s %s)",
			 device, attach_point_names[dir], TC_CLAMP_PRIORITY, device,
			 attach_point_names[dir]);
	else if (err == -ENOENT || err == -EOPNOTSUPP)
		snprintf(error, error_len,
			 "cls_bpf is not available in this kernel (modprobe cls_bpf), or %s lost its clsact qdisc",
			 device);
	else
		snprintf(error, error_len, "cannot attach the clamp to %s %s: %s", device,
			 attach_point_names[dir], strerror(-err));
	return -1;
}

static void detach_attached(struct tc_clamp *clamp)
{
	struct tc_clamp_filters filters;

	tc_clamp_describe(clamp, &filters);
	for (int dir = 0; dir < PPP_DIRECTION_COUNT; dir++) {
		if (!clamp->attached[dir])
			filters.program_id[dir] = 0;
		clamp->attached[dir] = false;
	}
	tc_clamp_detach_filters(&filters);
}

void tc_clamp_set_handle(struct tc_clamp *clamp, uint32_t handle)
{
	for (int dir = 0; dir < PPP_DIRECTION_COUNT; dir++)
		clamp->handle[dir] = handle;
}

int tc_clamp_attach_loaded(struct tc_clamp *clamp, char *error, size_t error_len)
{
	char device[IF_NAMESIZE];
	int result;

	if (!if_indextoname((unsigned)clamp->ifindex, device)) {
		snprintf(error, error_len, "no network device with index %d", clamp->ifindex);
		return -1;
	}
	result = clsact_ensure(clamp->ifindex, device, error, error_len);
	for (int dir = 0; result == 0 && dir < PPP_DIRECTION_COUNT; dir++)
		result = filter_attach(clamp, (enum ppp_direction)dir, device, error, error_len);
	if (result != 0)
		detach_attached(clamp);
	return result;
}

struct tc_clamp *tc_clamp_attach(const struct tc_clamp_target *target,
				 const struct clamp_limits *limits, char *error, size_t error_len)
{
	struct tc_clamp *clamp = tc_clamp_load(target, limits, error, error_len);
	int result;

	if (!clamp)
		return NULL;
	result = tc_clamp_attach_loaded(clamp, error, error_len);
	/* Nothing notes the handle here: the kernel may pick one. */
	if (result == TC_CLAMP_HANDLE_TAKEN) {
		tc_clamp_set_handle(clamp, 0);
		result = tc_clamp_attach_loaded(clamp, error, error_len);
	}
	if (result != 0) {
		tc_clamp_release(clamp);
		return NULL;
	}
	return clamp;
}

void tc_clamp_release(struct tc_clamp *clamp)
{
	if (!clamp)
		return;
	libbpf_listen();
	clamp_bpf__destroy(clamp->skeleton);
	free(clamp);
}

static __u32 program_id(int fd)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	return bpf_obj_get_info_by_fd(fd, &info, &len) == 0 ? info.id : 0;
}

void tc_clamp_describe(const struct tc_clamp *clamp, struct tc_clamp_filters *filters)
{
	memset(filters, 0, sizeof(*filters));
	filters->ifindex = clamp->ifindex;
	for (int dir = 0; dir < PPP_DIRECTION_COUNT; dir++) {
		filters->handle[dir] = clamp->handle[dir];
		filters->program_id[dir] =
			program_id(tc_clamp_program_fd(clamp, (enum ppp_direction)dir));
	}
}

/* What a lookup says of a filter that is not there: ENOENT, or EINVAL when
 * no filter at all is left on the hook (its chain went with the last one), or
 * ENODEV when the device went. */
static bool filter_gone(int err)
{
	return err == -ENOENT || err == -EINVAL || err == -ENODEV;
}

int tc_clamp_detach_filters(const struct tc_clamp_filters *filters)
{
	int result = 0, removed = 0;

	libbpf_listen();
	for (int dir = 0; dir < PPP_DIRECTION_COUNT; dir++) {
		LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = filters->ifindex,
			    .attach_point = attach_points[dir]);
		LIBBPF_OPTS(bpf_tc_opts, query, .handle = filters->handle[dir],
			    .priority = TC_CLAMP_PRIORITY);
		LIBBPF_OPTS(bpf_tc_opts, opts, .handle = filters->handle[dir],
			    .priority = TC_CLAMP_PRIORITY);

		/* Nothing, or nothing a handle names. */
		if (filters->program_id[dir] == 0 || filters->handle[dir] == 0)
			continue;
		/*
		 * Only while the filter still runs that program: once it was
		 * removed, the kernel may have given the handle to another
		 * session's filter.  An error means gone with its device, or
		 * removed by hand: nothing left to do.
		 */
		int err = bpf_tc_query(&hook, &query);

		if (err == 0 && query.prog_id == filters->program_id[dir]) {
			err = bpf_tc_detach(&hook, &opts);
			if (err == 0)
				removed++;
			/* ENOENT: another process of the session was quicker. */
			else if (err != -ENOENT) {
				log_message(LOG_LEVEL_WARN, "cannot remove the MSS clamp's %s filter: %s",
					    attach_point_names[dir], strerror(-err));
				result = err;
			}
		} else if (err < 0 && !filter_gone(err)) {
			/* Not "gone": a filter of ours may be left behind.  Say so. */
			log_message(LOG_LEVEL_WARN, "cannot look up the MSS clamp's %s filter "
				    "(handle %u): %s", attach_point_names[dir], filters->handle[dir],
				    strerror(-err));
		}
	}
	return result < 0 ? result : removed;
}

void tc_clamp_detach(struct tc_clamp *clamp)
{
	if (!clamp)
		return;
	detach_attached(clamp);
	tc_clamp_release(clamp);
}
