/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target for src/session_status.c's parser: pppoe-mss-sessions reads
 * status files without privileges, and a file could hold anything.
 *   - a rejected file leaves the status untouched;
 *   - an accepted one started with the header and ended with a newline, and
 *     holds only what a writer could have written: terminated, valid strings,
 *     a session id, a positive pid, a known data path, a safe file name;
 *   - formatting it succeeds and parses back to the same text (the format is
 *     a fixed point after one round).
 *
 * Input: the file's bytes.
 */
#include "fuzz_input.h"

#include "session_status.h"

FUZZ_UNTRACED static bool text_printable_only(const char *text, size_t capacity)
{
	size_t len = strnlen(text, capacity);

	if (len == capacity)
		return false;  /* not terminated */
	for (size_t i = 0; i < len; i++)
		if (text[i] < 0x20 || text[i] >= 0x7f)
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char header[] = "pppoe-mss-status 1\n";
	struct session_status s, back, sentinel;
	char *copy = (char *)fuzz_copy(data, size, 0);
	char text[SESSION_STATUS_FILE_MAX], again[SESSION_STATUS_FILE_MAX];
	char name[SESSION_STATUS_FILE_NAME_MAX];
	size_t len;

	memset(&s, 0xa5, sizeof(s));
	sentinel = s;
	if (!session_status_parse(copy, size, &s)) {
		FUZZ_CHECK(memcmp(&s, &sentinel, sizeof(s)) == 0);
		free(copy);
		return 0;
	}
	FUZZ_CHECK(size >= sizeof(header) - 1 && memcmp(data, header, sizeof(header) - 1) == 0);
	FUZZ_CHECK(data[size - 1] == '\n');
	FUZZ_CHECK(text_printable_only(s.nic, sizeof(s.nic)) && s.nic[0] != '\0');
	FUZZ_CHECK(text_printable_only(s.ac_name, sizeof(s.ac_name)));
	FUZZ_CHECK(s.session_id != 0 && s.pid > 0 && s.pppd_pid >= 0 && s.started >= 0);
	FUZZ_CHECK((unsigned)s.datapath < SESSION_DATAPATH_COUNT);
	FUZZ_CHECK(session_status_file_name(&s, name, sizeof(name)));
	FUZZ_CHECK(strchr(name, '/') == NULL);

	len = session_status_format(&s, text, sizeof(text));
	FUZZ_CHECK(len > 0 && len == strlen(text));
	FUZZ_CHECK(session_status_parse(text, len, &back));
	FUZZ_CHECK(session_status_format(&back, again, sizeof(again)) == len);
	FUZZ_CHECK(memcmp(text, again, len) == 0);
	free(copy);
	return 0;
}
