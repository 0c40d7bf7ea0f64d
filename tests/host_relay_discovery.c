/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Discovery as the options shape it (host_relay.h): left to someone else
 * (-n -e), skipped to end a session (-e -k), only listing (-A), only
 * discovering (-d), nobody answering, and offers from the wrong AC.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "byte_order.h"
#include "host_relay.h"

/* For -e ... -k: any id but the one the fake AC hands out. */
#define KILLED_SESSION_ID 0x1234
#define NO_PADO_DEADLINE_MS 10500 /* -t 1: 1 + 2 + 4 s of back-off and some slack */

/*
 * -n with -e: as with rp-pppoe, whoever passes the session handles
 * discovery, PADT included.  The program relays the session and never
 * touches the discovery ethertype.
 */
void run_no_discovery_socket(struct lab *lab)
{
	char session[64];
	const char *args[] = { "-n", "-e", session, NULL };
	uint16_t protocols[8];
	struct client client;
	uint8_t frame[PACKET_MAX];
	int status = 0;

	snprintf(session, sizeof(session), "%u:%s", AC_SESSION_ID, mac_text(lab->ac_mac));
	diag("pppoe-mss -I %s -n -e %s", lab->client_if, session);
	ac_drain(lab);
	if (!client_start(lab, &client, "no-discovery", true, args)) {
		tap(false, "-n -e: the program starts");
		return;
	}
	tap(session_relays(lab, &client, 0x0d150000u),
	    "-n -e %s: session frames relay both ways without discovery", session);

	int count = packet_socket_protocols(client.pid, protocols, 8);
	bool session_socket = false, discovery_socket = false;
	for (int i = 0; i < count; i++) {
		diag("the program holds a packet socket for ethertype 0x%04x", protocols[i]);
		session_socket |= protocols[i] == PPPOE_ETHERTYPE_SESSION;
		discovery_socket |= protocols[i] == PPPOE_ETHERTYPE_DISCOVERY;
	}
	if (count < 0)
		diag("cannot read /proc/net/packet or /proc/%d/fd", (int)client.pid);
	tap(count >= 0 && session_socket && !discovery_socket,
	    "-n -e: the program holds a packet socket for the session ethertype 0x%04x, none for discovery",
	    PPPOE_ETHERTYPE_SESSION);

	ac_drain(lab);
	client_signal(&client, SIGTERM);
	bool exited = client_wait(&client, PADT_DEADLINE_MS, &status);
	if (exited)
		describe_status(status);
	tap(exited && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "-n -e, SIGTERM: the program exits with status 0");
	/* Anything it sent on the way out is queued by now; a moment more for the wire. */
	unsigned padts = 0;
	size_t len;
	while ((len = ac_receive(lab, 0, SILENCE_MS, frame, sizeof(frame))) > 0)
		if (get_be16(frame + ETH_TYPE_AT) == PPPOE_ETHERTYPE_DISCOVERY && len >= PPPOE_PAYLOAD_AT &&
		    frame[PPPOE_CODE_AT] == PPPOE_CODE_PADT)
			padts++;
	if (padts > 0)
		diag("%u PADTs reached the AC", padts);
	tap(exited && padts == 0, "-n -e, SIGTERM: no PADT reaches the AC (the caller handles discovery)");
	client_finish(&client);
}

/* -e sess:mac -k: a PADT for a session we never negotiated. */
void run_kill_session(struct lab *lab)
{
	char session[64];
	const char *args[] = { "-e", session, "-k", NULL };
	struct client client;
	int status = 0;

	snprintf(session, sizeof(session), "%u:%s", KILLED_SESSION_ID, mac_text(lab->ac_mac));
	diag("pppoe-mss -I %s -e %s -k", lab->client_if, session);
	ac_drain(lab);
	if (!client_start(lab, &client, "kill", false, args)) {
		tap(false, "-k: the program starts");
		return;
	}
	tap(ac_expect_padt(lab, KILLED_SESSION_ID, STEP_TIMEOUT_MS),
	    "-e %s -k: the AC receives a PADT for session %u", session, KILLED_SESSION_ID);
	bool exited = client_wait(&client, STEP_TIMEOUT_MS, &status);
	if (exited)
		describe_status(status);
	tap(exited && WIFEXITED(status) && WEXITSTATUS(status) == 0, "-k: the program exits with status 0");
	client_finish(&client);
}

/* -A: list what answers, never ask for a session. */
void run_list(struct lab *lab)
{
	static const char *const args[] = { "-A", "-t", "1", NULL };
	struct client client;
	uint8_t frame[PACKET_MAX];
	int status = 0;

	diag("pppoe-mss -I %s -A -t 1", lab->client_if);
	ac_drain(lab);
	if (!client_start(lab, &client, "list", false, args)) {
		tap(false, "-A: the program starts");
		return;
	}
	/* Answer the PADI as in a session run; the PADR that must not come is checked below. */
	uint8_t padi[PACKET_MAX], pado[PACKET_MAX];
	size_t padi_len = ac_receive(lab, PPPOE_ETHERTYPE_DISCOVERY, STEP_TIMEOUT_MS, padi, sizeof(padi));
	bool answered = false;
	if (discovery_frame_is(padi, padi_len, PPPOE_CODE_PADI, "PADI")) {
		size_t pado_len = pado_build(lab, padi, padi_len, pado, sizeof(pado));
		answered = pado_len > 0 && ac_send(lab, pado, pado_len);
	}
	bool exited = answered && client_wait(&client, 2 * STEP_TIMEOUT_MS, &status);
	if (exited)
		describe_status(status);
	tap(exited && WIFEXITED(status) && WEXITSTATUS(status) == 0, "-A: the program exits with status 0");
	bool listed = file_contains(client.out_path, AC_NAME) && file_contains(client.out_path, AC_SERVICE);
	if (!listed)
		diag("stdout (%s) lacks '%s' or '%s'", client.out_path, AC_NAME, AC_SERVICE);
	tap(listed, "-A: stdout lists AC '%s' and service '%s'", AC_NAME, AC_SERVICE);
	size_t extra = ac_receive(lab, PPPOE_ETHERTYPE_DISCOVERY, 0, frame, sizeof(frame));
	bool no_padr = true;
	for (int i = 0; i < 16 && extra > 0; i++) {
		if (extra >= PPPOE_PAYLOAD_AT && frame[PPPOE_CODE_AT] == PPPOE_CODE_PADR)
			no_padr = false;
		extra = ac_receive(lab, PPPOE_ETHERTYPE_DISCOVERY, 0, frame, sizeof(frame));
	}
	tap(no_padr, "-A: no PADR is sent");
	client_finish(&client);
}

/* -d: discovery only, the session printed as sess:mac for a later -e. */
void run_discover_only(struct lab *lab)
{
	static const char *const args[] = { "-d", NULL };
	char expected[64], printed[128] = "";
	struct client client;
	int status = 0;

	diag("pppoe-mss -I %s -d", lab->client_if);
	ac_drain(lab);
	if (!client_start(lab, &client, "discover", false, args) || !ac_negotiate(lab, NULL, false)) {
		tap(false, "-d: discovery completes");
		client_finish(&client);
		return;
	}
	bool exited = client_wait(&client, STEP_TIMEOUT_MS, &status);
	if (exited)
		describe_status(status);
	FILE *out = fopen(client.out_path, "r");
	if (out != NULL) {
		if (fgets(printed, sizeof(printed), out) == NULL)
			printed[0] = '\0';
		fclose(out);
	}
	printed[strcspn(printed, "\n")] = '\0';
	snprintf(expected, sizeof(expected), "%u:%s", AC_SESSION_ID, mac_text(lab->ac_mac));
	if (strcmp(printed, expected) != 0)
		diag("printed '%s', expected '%s'", printed, expected);
	tap(exited && WIFEXITED(status) && WEXITSTATUS(status) == 0 && strcmp(printed, expected) == 0,
	    "-d: prints the session as %s and exits with status 0", expected);
	client_finish(&client);
}

/* Nobody answers: the program must give up, and say why. */
void run_no_access_concentrator(struct lab *lab)
{
	static const char *const args[] = { "-t", "1", NULL };
	uint8_t frame[PACKET_MAX];
	struct client client;
	unsigned padis = 0;
	bool exited = false;
	int status = 0;

	diag("pppoe-mss -I %s -t 1, and no access concentrator answers", lab->client_if);
	ac_drain(lab);
	uint64_t started = now_ms();
	if (!client_start(lab, &client, "no-ac", false, args)) {
		tap(false, "no AC: the program starts");
		return;
	}
	while (!exited && remaining_ms(started + NO_PADO_DEADLINE_MS) > 0) {
		size_t len = ac_receive(lab, PPPOE_ETHERTYPE_DISCOVERY, 100, frame, sizeof(frame));
		if (len >= PPPOE_PAYLOAD_AT && frame[PPPOE_CODE_AT] == PPPOE_CODE_PADI)
			padis++;
		exited = client_wait(&client, 0, &status);
	}
	uint64_t elapsed = now_ms() - started;
	diag("%u PADIs, %s after %llu ms", padis, exited ? "exited" : "still running",
	     (unsigned long long)elapsed);
	if (exited)
		describe_status(status);
	tap(exited && WIFEXITED(status) && WEXITSTATUS(status) != 0,
	    "no AC: the program gives up with a non-zero status within %d ms", NO_PADO_DEADLINE_MS);
	tap(padis >= 2, "no AC: the PADI is retransmitted before giving up");
	bool explained = file_contains(client.log_path, "no PADO");
	tap(explained, "no AC: the log says \"no PADO\"");
	client_finish(&client);
}

#define OFFERS_PER_PADI 20
#define REJECTS_AT_INFO 8 /* OFFERS_LOGGED_PER_INTERVAL in src/discovery_io.c */

/*
 * Offers from an AC other than the one asked for (-C), many per PADI, as
 * a rogue on the segment could send: all turned away, the first few logged,
 * then their total, and the program gives up saying why.
 */
void run_rejected_offers(struct lab *lab)
{
	static const char *const args[] = { "-t", "1", "-C", "the-wanted-ac", NULL };
	uint8_t frame[PACKET_MAX], pado[PACKET_MAX];
	struct client client;
	unsigned offers = 0;
	bool exited = false;
	int status = 0;

	diag("pppoe-mss -I %s -t 1 -C the-wanted-ac; '%s' answers each PADI %d times", lab->client_if,
	     AC_NAME, OFFERS_PER_PADI);
	ac_drain(lab);
	uint64_t started = now_ms();
	if (!client_start(lab, &client, "offers", false, args)) {
		tap(false, "rejected offers: the program starts");
		return;
	}
	while (!exited && remaining_ms(started + NO_PADO_DEADLINE_MS) > 0) {
		size_t len = ac_receive(lab, PPPOE_ETHERTYPE_DISCOVERY, 100, frame, sizeof(frame));
		if (len >= PPPOE_PAYLOAD_AT && frame[PPPOE_CODE_AT] == PPPOE_CODE_PADI) {
			size_t pado_len = pado_build(lab, frame, len, pado, sizeof(pado));
			for (int i = 0; i < OFFERS_PER_PADI && pado_len > 0; i++)
				if (ac_send(lab, pado, pado_len))
					offers++;
		}
		exited = client_wait(&client, 0, &status);
	}
	diag("%u offers sent, program %s", offers, exited ? "exited" : "still running");
	if (exited)
		describe_status(status);
	tap(exited && WIFEXITED(status) && WEXITSTATUS(status) != 0,
	    "rejected offers: the program gives up with a non-zero status");
	tap(file_contains(client.log_path, "offers were seen but did not match"),
	    "rejected offers: the log says offers came but did not match");
	unsigned logged = file_count_lines(client.log_path, "not chosen, AC-Name is not the one asked for");
	tap(offers > REJECTS_AT_INFO && logged == REJECTS_AT_INFO,
	    "rejected offers: %u offers, the first %d logged (%u)", offers, REJECTS_AT_INFO, logged);
	char total[64];
	snprintf(total, sizeof(total), "%u offers were not chosen in all", offers);
	tap(file_contains(client.log_path, total), "rejected offers: the log gives their total (\"%s\")",
	    total);
	client_finish(&client);
}

