/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tests for src/early_guardian.c and src/padt_sender.c on a veth pair in a
 * network namespace of each test's own (root): the test is the client (its
 * closing the pipe is the client dying), the veth's other end the access
 * concentrator.  Every session an AC set up for us ends with a PADT unless
 * the client kept it (hand-over) or the AC ended it itself: taken and then
 * orphaned, answered by a PADS that came after the client died, queued when
 * the client stopped, a second answer to a retried PADR; and a PADT due
 * while the link is down goes out once it is back.  A stranger's PADS and
 * PADT pairs do not keep an orphaned guardian alive.  A kernel clamp the
 * client attached before it was killed is removed (its record names it).
 */
#include <bpf/libbpf.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_main.h"
#include "discovery.h"
#include "early_guardian.h"
#include "log.h"
#include "monotonic.h"
#include "packet_socket.h"
#include "pppoe.h"
#include "session_child.h"
#include "session_record.h"
#include "session_recovery.h"
#include "tc_clamp.h"
#include "temp_dir.h"
#include "veth_bench.h"

#define CLIENT_IF "pme0"
#define AC_IF "pme1"

static const uint8_t host_uniq[] = { 0x00, 0x00, 0x30, 0x39 };

struct bench {
	struct veth_bench veth;
	struct discovery disc;
	struct session_record record;
	int stand_in;          /* stands for a socket the guardian must not hold */
	struct early_guardian guardian;
	struct confinement confinement;  /* its worker's, as the clients' */
};

static void quiet_log(enum log_level level, const char *message)
{
	(void)level, (void)message;
}

static char state_dir[TEMP_DIR_MAX];

/* Checked teardown: each test's directory goes with it. */
static void remove_state_dir(void)
{
	temp_dir_remove(state_dir);
}

static void bench_setup(struct bench *b)
{
	struct discovery_config config;

	veth_bench_setup(&b->veth, CLIENT_IF, AC_IF);
	discovery_config_defaults(&config);
	memcpy(config.our_mac, b->veth.client.mac, PPPOE_MAC_LEN);
	config.host_uniq = host_uniq;
	config.host_uniq_len = sizeof(host_uniq);
	discovery_init(&b->disc, &config);
	temp_dir_make(state_dir, "pppoe-mss-test");
	b->stand_in = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(b->stand_in, 0);
	char error[256];
	ck_assert_msg(confinement_prepare(&b->confinement, PPPOE_MSS_UNPRIVILEGED_USER, error,
					  sizeof(error)) == 0, "%s", error);
	log_set_sink(quiet_log);
}

static void bench_start(struct bench *b, bool host_uniq_is_ours)
{
	int let_go[] = { b->stand_in };
	struct early_guardian_params params = {
		.disc = &b->disc, .iface = &b->veth.client, .let_go = let_go, .let_go_count = 1,
		.record = &b->record, .state_dir = state_dir, .dump = NULL,
		.host_uniq_is_ours = host_uniq_is_ours, .confinement = &b->confinement,
	};

	ck_assert_int_eq(early_guardian_start(&b->guardian, &params), 0);
	ck_assert_int_ge(b->record.fd, 0);
	/* Its socket must be open before the AC answers. */
	usleep(100 * 1000);
}

/* The AC's PADS for session_id, with our Host-Uniq. */
static void ac_send_pads(const struct bench *b, uint16_t session_id)
{
	uint8_t frame[128];
	struct pppoe_builder builder;
	size_t len;

	pppoe_builder_begin(&builder, frame, sizeof(frame), b->veth.client.mac, b->veth.ac.mac,
			    PPPOE_ETHERTYPE_DISCOVERY, PPPOE_CODE_PADS, session_id);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	len = pppoe_builder_finish(&builder);
	ck_assert_uint_gt(len, 0);
	veth_bench_send(&b->veth, frame, len);
}

/* The AC's offer: the client may send its PADR after it. */
static void ac_send_pado(const struct bench *b)
{
	uint8_t frame[128];
	struct pppoe_builder builder;
	size_t len;

	pppoe_builder_begin(&builder, frame, sizeof(frame), b->veth.client.mac, b->veth.ac.mac,
			    PPPOE_ETHERTYPE_DISCOVERY, PPPOE_CODE_PADO, 0);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_AC_NAME, "ac", 2);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	len = pppoe_builder_finish(&builder);
	ck_assert_uint_gt(len, 0);
	veth_bench_send(&b->veth, frame, len);
}

static void ac_send_padt(const struct bench *b, uint16_t session_id)
{
	uint8_t frame[64];
	struct pppoe_builder builder;
	size_t len;

	pppoe_builder_begin(&builder, frame, sizeof(frame), b->veth.client.mac, b->veth.ac.mac,
			    PPPOE_ETHERTYPE_DISCOVERY, PPPOE_CODE_PADT, session_id);
	len = pppoe_builder_finish(&builder);
	veth_bench_send(&b->veth, frame, len);
}

static void assert_padt(const struct bench *b, int timeout_ms, uint16_t expected, const char *when)
{
	uint16_t session_id = 0;

	ck_assert_msg(veth_bench_receive_padt(&b->veth, timeout_ms, &session_id),
		      "no PADT within %d ms %s", timeout_ms, when);
	ck_assert_uint_eq(session_id, expected);
}

static void assert_no_padt(const struct bench *b, int timeout_ms, const char *when)
{
	uint16_t session_id = 0;

	ck_assert_msg(!veth_bench_receive_padt(&b->veth, timeout_ms, &session_id),
		      "a PADT for session %u %s", session_id, when);
}

static void assert_clean_exit(pid_t pid, int timeout_ms)
{
	int status = veth_bench_wait_exit(pid, timeout_ms);

	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == SESSION_CHILD_EXIT_CLEAN,
		      "guardian status 0x%x, expected a clean exit", status);
}

static bool record_exists(const struct bench *b)
{
	struct stat st;

	return stat(b->record.path, &st) == 0;
}

/* The client dies: its end of the pipe closes with it. */
static void client_dies(struct bench *b)
{
	early_guardian_close_in_child(&b->guardian);
	session_record_close(&b->record);
}

START_TEST(test_taken_session_ended_when_the_client_dies)
{
	struct bench b;

	bench_setup(&b);
	bench_start(&b, true);
	ac_send_pads(&b, 0x101);
	early_guardian_take(&b.guardian, 0x101, b.veth.ac.mac);
	assert_no_padt(&b, 300, "while the client lives");
	client_dies(&b);
	assert_padt(&b, 1000, 0x101, "of the client's death");
	assert_clean_exit(b.guardian.pid, 2000);
	ck_assert_msg(!record_exists(&b), "the record of an ended session is still there");
}
END_TEST

START_TEST(test_pads_seen_before_the_take_is_ended)
{
	struct bench b;

	/* The client died in the microseconds between the PADS and its word. */
	bench_setup(&b);
	bench_start(&b, true);
	ac_send_pads(&b, 0x102);
	usleep(100 * 1000);
	client_dies(&b);
	assert_padt(&b, 1000, 0x102, "of the client's death");
}
END_TEST

/* Stopped after an offer: the answer to the PADR may still be on its way. */
START_TEST(test_stop_after_an_offer_answers_a_late_pads)
{
	struct bench b;

	bench_setup(&b);
	bench_start(&b, true);
	ac_send_pado(&b);
	usleep(100 * 1000);
	/* The process group's signal, then the client's own: the wait holds. */
	kill(b.guardian.pid, SIGTERM);
	usleep(200 * 1000);
	kill(b.guardian.pid, SIGTERM);
	usleep(300 * 1000);
	ac_send_pads(&b, 0x107);
	assert_padt(&b, 1000, 0x107, "of a PADS that came after the client stopped");
	/* Within what the plugin's teardown waits for it (3 s). */
	assert_clean_exit(b.guardian.pid, 2500);
}
END_TEST

/* Stopped before any offer: no PADR went out, nothing to wait for. */
START_TEST(test_stop_before_an_offer_goes_at_once)
{
	struct bench b;

	bench_setup(&b);
	bench_start(&b, true);
	kill(b.guardian.pid, SIGTERM);
	assert_clean_exit(b.guardian.pid, 300);
}
END_TEST

START_TEST(test_late_pads_answered_with_a_padt)
{
	struct bench b;

	bench_setup(&b);
	bench_start(&b, true);
	client_dies(&b);
	usleep(500 * 1000);
	ac_send_pads(&b, 0x103);
	assert_padt(&b, 1000, 0x103, "of a PADS that came after the client died");
	/* Nothing left to wait for: it goes well before its bound. */
	assert_clean_exit(b.guardian.pid, 3000);
	ck_assert_msg(!record_exists(&b), "the record outlived the guardian's PADT");
}
END_TEST

/*
 * After the client died, a stranger's PADS and PADT pairs (any MAC, our
 * Host-Uniq from the client's broadcast PADI) each set up and end a
 * "session": the guardian answers each, but goes when its wait for a late
 * PADS is over, not a second after the last pair.
 */
START_TEST(test_pads_and_padt_pairs_do_not_hold_it)
{
	struct bench b;
	int status = 0;
	unsigned pairs = 0;
	pid_t gone = 0;

	bench_setup(&b);
	bench_start(&b, true);
	client_dies(&b);
	uint64_t died = monotonic_ms();
	while (gone == 0 && monotonic_ms() - died < EARLY_GUARDIAN_LATE_PADS_MS + 4000) {
		uint8_t frame[PPPOE_DISCOVERY_FRAME_MAX];

		ac_send_pads(&b, 0x105);
		usleep(20 * 1000);
		ac_send_padt(&b, 0x105);
		pairs++;
		/* Its PADTs, read so that the AC's socket never fills. */
		while (packet_socket_receive(b.veth.ac_fd, frame, sizeof(frame)) > 0)
			;
		usleep(80 * 1000);
		gone = waitpid(b.guardian.pid, &status, WNOHANG);
	}
	uint64_t took = monotonic_ms() - died;
	if (gone == 0) {
		kill(b.guardian.pid, SIGKILL);
		waitpid(b.guardian.pid, NULL, 0);
		ck_abort_msg("the guardian was still there %llu ms after the client died, %u pairs later",
			     (unsigned long long)took, pairs);
	}
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == SESSION_CHILD_EXIT_CLEAN,
		      "guardian status 0x%x, expected a clean exit", status);
	ck_assert_msg(took <= EARLY_GUARDIAN_LATE_PADS_MS + 1000 + 500,
		      "gone %llu ms after the client, %u pairs later", (unsigned long long)took, pairs);
}
END_TEST

START_TEST(test_no_waiting_for_a_shared_host_uniq)
{
	struct bench b;

	/* A Host-Uniq the user chose may be the next client's too. */
	bench_setup(&b);
	bench_start(&b, false);
	client_dies(&b);
	assert_clean_exit(b.guardian.pid, 1000);
}
END_TEST

START_TEST(test_stop_ends_a_queued_pads)
{
	struct bench b;

	bench_setup(&b);
	bench_start(&b, true);
	ac_send_pads(&b, 0x104);
	kill(b.guardian.pid, SIGTERM);
	assert_padt(&b, 1000, 0x104, "of a PADS queued when the client stopped");
	assert_clean_exit(b.guardian.pid, 2000);
}
END_TEST

START_TEST(test_hand_over_keeps_the_session_ends_a_second_one)
{
	struct bench b;

	bench_setup(&b);
	bench_start(&b, true);
	ac_send_pads(&b, 0x105);
	ac_send_pads(&b, 0x106);  /* the answer to a retried PADR */
	usleep(100 * 1000);
	early_guardian_take(&b.guardian, 0x105, b.veth.ac.mac);
	early_guardian_hand_over(&b.guardian);
	ck_assert_int_eq(b.guardian.pid, -1);
	assert_padt(&b, 1000, 0x106, "for the session nobody took");
	assert_no_padt(&b, 300, "after the hand-over (the session child's to send)");
	ck_assert_msg(record_exists(&b), "the hand-over removed the session's record");
}
END_TEST

START_TEST(test_no_padt_after_the_acs_own)
{
	struct bench b;

	bench_setup(&b);
	bench_start(&b, true);
	ac_send_pads(&b, 0x107);
	early_guardian_take(&b.guardian, 0x107, b.veth.ac.mac);
	ac_send_padt(&b, 0x107);
	usleep(100 * 1000);
	client_dies(&b);
	assert_no_padt(&b, 500, "answering the AC's own");
	assert_clean_exit(b.guardian.pid, 2000);
	ck_assert_msg(!record_exists(&b), "the record of a session the AC ended is still there");
}
END_TEST

START_TEST(test_padt_after_the_link_comes_back)
{
	struct bench b;

	bench_setup(&b);
	bench_start(&b, true);
	ac_send_pads(&b, 0x108);
	early_guardian_take(&b.guardian, 0x108, b.veth.ac.mac);
	usleep(100 * 1000);
	ck_assert_int_eq(system("ip link set " CLIENT_IF " down"), 0);
	client_dies(&b);
	usleep(1500 * 1000);
	ck_assert_msg(record_exists(&b), "the record went before its PADT did");
	ck_assert_int_eq(system("ip link set " CLIENT_IF " up"), 0);
	assert_padt(&b, 3000, 0x108, "of the link coming back");
	assert_clean_exit(b.guardian.pid, 2000);
	ck_assert_msg(!record_exists(&b), "the record of an ended session is still there");
}
END_TEST

START_TEST(test_holds_nothing_it_was_told_to_let_go)
{
	struct bench b;
	char path[64];
	struct stat mine, theirs;

	bench_setup(&b);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", b.stand_in);
	ck_assert_int_eq(stat(path, &mine), 0);
	bench_start(&b, true);
	for (int fd = 0; fd < 64; fd++) {
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)b.guardian.pid, fd);
		ck_assert_msg(stat(path, &theirs) < 0 || theirs.st_ino != mine.st_ino,
			      "the guardian holds the client's socket (its fd %d)", fd);
	}
	kill(b.guardian.pid, SIGTERM);
	assert_clean_exit(b.guardian.pid, 2000);
}
END_TEST

/* 0 while a filter runs program_id at handle and our priority, else -errno. */
static int filter_runs(const struct tc_clamp_filters *filters, enum ppp_direction dir)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = filters->ifindex,
		    .attach_point = dir == PPP_OUTBOUND ? BPF_TC_EGRESS : BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, query, .handle = filters->handle[dir],
		    .priority = TC_CLAMP_PRIORITY);
	int err = bpf_tc_query(&hook, &query);

	if (err == 0 && query.prog_id != filters->program_id[dir])
		err = -ESRCH;
	return err;
}

/* As the plugin's kernel data path does it: noted, then attached. */
static struct tc_clamp *client_attaches_a_clamp(struct bench *b, struct tc_clamp_filters *filters)
{
	static const struct clamp_limits limits = {
		.outbound = { .ipv4 = 1452, .ipv6 = 1432 },
		.inbound = { .ipv4 = 1452, .ipv6 = 1432 },
	};
	struct tc_clamp_target target = {
		.ifindex = b->veth.client.index, .session_id = b->disc.session_id,
		.handle = (uint32_t)getpid(),
	};
	char error[256];
	struct tc_clamp *clamp;

	memcpy(target.ac_mac, b->disc.ac_mac, PPPOE_MAC_LEN);
	clamp = tc_clamp_load(&target, &limits, error, sizeof(error));
	ck_assert_msg(clamp != NULL, "tc_clamp_load: %s", error);
	session_recovery_note(&b->record, &b->veth.client, &b->disc, clamp);
	ck_assert_msg(tc_clamp_attach_loaded(clamp, error, sizeof(error)) == 0,
		      "tc_clamp_attach_loaded: %s", error);
	tc_clamp_describe(clamp, filters);
	ck_assert_uint_eq(filters->handle[PPP_OUTBOUND], (uint32_t)getpid());
	for (int dir = 0; dir < PPP_DIRECTION_COUNT; dir++)
		ck_assert_int_eq(filter_runs(filters, (enum ppp_direction)dir), 0);
	return clamp;
}

/* Killed after attaching its clamp, before the session's own child ran. */
START_TEST(test_kernel_clamp_removed_when_the_client_dies)
{
	struct tc_clamp_filters filters;
	struct tc_clamp *clamp;
	struct bench b;

	bench_setup(&b);
	bench_start(&b, true);
	ac_send_pads(&b, 0x106);
	b.disc.session_id = 0x106;
	memcpy(b.disc.ac_mac, b.veth.ac.mac, PPPOE_MAC_LEN);
	early_guardian_take(&b.guardian, 0x106, b.veth.ac.mac);
	clamp = client_attaches_a_clamp(&b, &filters);
	client_dies(&b);
	assert_padt(&b, 1000, 0x106, "of the client's death");
	assert_clean_exit(b.guardian.pid, 2000);
	for (int dir = 0; dir < PPP_DIRECTION_COUNT; dir++) {
		int err = filter_runs(&filters, (enum ppp_direction)dir);

		/* EINVAL: no filter at all is left on that side. */
		ck_assert_msg(err == -ENOENT || err == -EINVAL, "the clamp's filter: %s",
			      err == 0 ? "still there" : strerror(-err));
	}
	ck_assert_msg(!record_exists(&b), "the record of an ended session is still there");
	tc_clamp_release(clamp);
}
END_TEST

static Suite *early_guardian_suite(void)
{
	Suite *suite = suite_create("early guardian");
	TCase *tc = tcase_create("early guardian");

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, NULL, remove_state_dir);
	tcase_add_test(tc, test_taken_session_ended_when_the_client_dies);
	tcase_add_test(tc, test_pads_seen_before_the_take_is_ended);
	tcase_add_test(tc, test_late_pads_answered_with_a_padt);
	tcase_add_test(tc, test_pads_and_padt_pairs_do_not_hold_it);
	tcase_add_test(tc, test_no_waiting_for_a_shared_host_uniq);
	tcase_add_test(tc, test_stop_ends_a_queued_pads);
	tcase_add_test(tc, test_stop_after_an_offer_answers_a_late_pads);
	tcase_add_test(tc, test_stop_before_an_offer_goes_at_once);
	tcase_add_test(tc, test_hand_over_keeps_the_session_ends_a_second_one);
	tcase_add_test(tc, test_no_padt_after_the_acs_own);
	tcase_add_test(tc, test_padt_after_the_link_comes_back);
	tcase_add_test(tc, test_holds_nothing_it_was_told_to_let_go);
	tcase_add_test(tc, test_kernel_clamp_removed_when_the_client_dies);
	suite_add_tcase(suite, tc);
	return suite;
}

int main(void)
{
	return check_main_run(early_guardian_suite());
}
