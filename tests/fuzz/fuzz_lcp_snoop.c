/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target for src/lcp_snoop.c: arbitrary PPP frames in both directions.
 * After every frame:
 *   - the frame is untouched;
 *   - the snoop agrees with a model written here from RFC 1661 (a
 *     Configure-Request is remembered per direction; a well-formed
 *     Configure-Ack that answers the last one of the other direction, same
 *     identifier and options, once, sets the MRU of the side it
 *     acknowledges: its smallest MRU option, or 1500 without one; other
 *     Acks are counted as unmatched, broken LCP as malformed, nothing else
 *     changes), event included;
 *   - the MTU and MRU it reports never exceed the PPPoE cap, and each moves
 *     only with a frame in its own direction.
 *
 * Input: the PPPoE cap (2 bytes), then frames: direction (1 byte, low bit),
 * 2-byte length, bytes.
 */
#include "fuzz_input.h"

#include "byte_order.h"
#include "lcp_snoop.h"
#include "pppoe.h"

#define FRAMES_MAX 256

struct model_request {
	bool valid;
	uint8_t id;
	size_t len;
	uint8_t options[LCP_SNOOP_OPTIONS_MAX];
};

struct model {
	uint16_t cap;
	uint16_t mru[PPP_DIRECTION_COUNT];  /* what a frame in that direction acknowledges */
	unsigned acks;
	uint64_t unmatched;
	uint64_t malformed;
	struct model_request request[PPP_DIRECTION_COUNT];  /* sent in that direction */
};

/* Returns true when the model's stored MRU for dir changed. */
static bool model_frame(struct model *m, const uint8_t *ppp, size_t len, enum ppp_direction dir)
{
	const uint8_t *lcp = ppp + 2;
	size_t lcp_len, offset = 4;
	bool seen = false;
	uint16_t mru = LCP_DEFAULT_MRU;

	if (len < 2 || get_be16(ppp) != PPP_PROTOCOL_LCP)
		return false;
	if (len - 2 < 4 || get_be16(lcp + 2) < 4 || get_be16(lcp + 2) > len - 2) {
		m->malformed++;
		return false;
	}
	lcp_len = get_be16(lcp + 2);
	if (lcp[0] == 1) {  /* Configure-Request: replaces, or (too long) forgets, the last */
		m->request[dir].valid = false;
		if (lcp_len - 4 <= LCP_SNOOP_OPTIONS_MAX) {
			m->request[dir].valid = true;
			m->request[dir].id = lcp[1];
			m->request[dir].len = lcp_len - 4;
			memcpy(m->request[dir].options, lcp + 4, lcp_len - 4);
		}
		return false;
	}
	if (lcp[0] != 2)  /* Configure-Ack */
		return false;
	while (offset < lcp_len) {
		uint8_t type, option_len;

		if (lcp_len - offset < 2 || lcp[offset + 1] < 2 || lcp[offset + 1] > lcp_len - offset)
			goto malformed;
		type = lcp[offset];
		option_len = lcp[offset + 1];
		if (type == 1) {
			if (option_len != 4)
				goto malformed;
			if (!seen || get_be16(lcp + offset + 2) < mru)
				mru = get_be16(lcp + offset + 2);
			seen = true;
		}
		offset += option_len;
	}
	struct model_request *request = &m->request[dir == PPP_INBOUND ? PPP_OUTBOUND : PPP_INBOUND];
	if (!request->valid || request->id != lcp[1] || request->len != lcp_len - 4 ||
	    memcmp(request->options, lcp + 4, lcp_len - 4) != 0) {
		m->unmatched++;
		return false;
	}
	request->valid = false;
	m->acks++;
	if (m->mru[dir] == mru)
		return false;
	m->mru[dir] = mru;
	return true;

malformed:
	m->malformed++;
	return false;
}

static uint16_t min16(uint16_t a, uint16_t b)
{
	return a < b ? a : b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	uint16_t cap = fuzz_u16(&in);
	struct lcp_snoop snoop;
	static struct model model;

	model = (struct model){
		/* 0 means "not known": a standard Ethernet. */
		.cap = cap ? cap : PPPOE_STANDARD_MTU,
		.mru = { LCP_DEFAULT_MRU, LCP_DEFAULT_MRU },
	};

	lcp_snoop_init(&snoop, cap);
	for (int n = 0; n < FRAMES_MAX && in.len > 0; n++) {
		enum ppp_direction dir = (fuzz_u8(&in) & 1) ? PPP_INBOUND : PPP_OUTBOUND;
		uint16_t mtu_before = lcp_snoop_mtu(&snoop), mru_before = lcp_snoop_mru(&snoop);
		const uint8_t *bytes;
		uint8_t *frame;
		size_t len;
		bool changed;
		enum lcp_snoop_event event;

		if (!fuzz_record(&in, &bytes, &len))
			break;
		frame = fuzz_copy(bytes, len, 0);
		event = lcp_snoop_frame(&snoop, frame, len, dir);
		changed = model_frame(&model, bytes, len, dir);

		FUZZ_CHECK(len == 0 || memcmp(frame, bytes, len) == 0);
		FUZZ_CHECK(event == (changed ? LCP_SNOOP_MRU_CHANGED : LCP_SNOOP_NONE));
		FUZZ_CHECK(snoop.max_payload == model.cap);
		/* Inbound Acks are the AC acknowledging our MRU; outbound, pppd the AC's. */
		FUZZ_CHECK(snoop.our_mru == model.mru[PPP_INBOUND]);
		FUZZ_CHECK(snoop.peer_mru == model.mru[PPP_OUTBOUND]);
		FUZZ_CHECK(snoop.acks_seen == model.acks);
		FUZZ_CHECK(snoop.acks_unmatched == model.unmatched);
		FUZZ_CHECK(snoop.malformed == model.malformed);
		FUZZ_CHECK(lcp_snoop_mtu(&snoop) == min16(snoop.peer_mru, model.cap));
		FUZZ_CHECK(lcp_snoop_mru(&snoop) == min16(snoop.our_mru, model.cap));
		FUZZ_CHECK(lcp_snoop_mtu(&snoop) <= model.cap && lcp_snoop_mru(&snoop) <= model.cap);
		if (dir == PPP_INBOUND)
			FUZZ_CHECK(lcp_snoop_mtu(&snoop) == mtu_before);
		else
			FUZZ_CHECK(lcp_snoop_mru(&snoop) == mru_before);
		free(frame);
	}
	return 0;
}
