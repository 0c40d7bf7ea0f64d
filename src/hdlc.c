/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Asynchronous HDLC-like framing for PPP (RFC 1662).  Everything between
 * pppd's pty and the Ethernet relay passes through here, so the work is done
 * a 64-bit word at a time where possible: both directions move runs of bytes
 * that need no escaping as whole words, touching single bytes only around
 * escapes.  The FCS is hdlc_fcs.c's (sixteen bytes per step), and on x86-64
 * hdlc_simd.c takes what it can of each direction first, sixteen bytes per
 * step.
 */
#include "hdlc.h"

#include <string.h>

#include "hdlc_simd.h"

/*
 * Words are handled in little-endian order whatever the host, so that byte k
 * of the data is always bits 8k..8k+7 and shifting right drops leading bytes.
 */
static uint64_t load_le64(const uint8_t *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof(w));
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

static void store_le64(uint8_t *p, uint64_t w)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	memcpy(p, &w, sizeof(w));
}

void hdlc_encoder_init(struct hdlc_encoder *enc, uint32_t accm)
{
	memset(enc->needs_escape, 0, sizeof(enc->needs_escape));
	/* RFC 1662 section 7.1: bit n of the ACCM stands for character n. */
	for (unsigned int c = 0; c < 32; c++)
		enc->needs_escape[c] = (accm >> c) & 1;
	enc->needs_escape[HDLC_FLAG] = 1;
	enc->needs_escape[HDLC_ESCAPE] = 1;
	hdlc_simd_prepare();
}

/*
 * Bit k set when byte k of the eight at group needs escaping.  This relies on
 * hdlc_encoder_init() storing only 0 and 1: normalising each entry here
 * measured a third slower.
 */
static unsigned int escape_mask(const uint8_t *needs_escape, const uint8_t *group)
{
	return needs_escape[group[0]] |
	       needs_escape[group[1]] << 1 |
	       needs_escape[group[2]] << 2 |
	       needs_escape[group[3]] << 3 |
	       needs_escape[group[4]] << 4 |
	       needs_escape[group[5]] << 5 |
	       needs_escape[group[6]] << 6 |
	       needs_escape[group[7]] << 7;
}

/*
 * Escape n bytes into out and return the new end.
 *
 * With ACCM_ALL about one byte in eight of compressed or encrypted data needs
 * escaping, too often for a memcpy per run to pay off.  So each group of
 * eight bytes is stored as one word, and where it holds bytes to escape, the
 * rest of the word is stored again after each escape pair.  Those stores
 * write up to seven bytes past what they mean to; as they only happen while
 * sixteen input bytes remain, the output that follows always overwrites
 * them, so nothing past the encoded frame is touched.  The last few bytes
 * take a branch-free byte loop that writes one byte ahead, which the next
 * byte, the FCS or the closing flag overwrites in turn.
 */
static uint8_t *escape_bytes(const uint8_t *needs_escape, const uint8_t *in, size_t n,
			     uint8_t *out)
{
	size_t i = 0;

	for (; n - i >= 16; i += 8) {
		const uint8_t *group = in + i;
		uint64_t w = load_le64(group);
		unsigned int escapes = escape_mask(needs_escape, group);
		unsigned int done = 0;	/* bytes of the group written */

		while (escapes) {
			unsigned int k = (unsigned int)__builtin_ctz(escapes);

			store_le64(out, w >> (8 * done));
			out += k - done;
			out[0] = HDLC_ESCAPE;
			out[1] = group[k] ^ HDLC_ESCAPE_XOR;
			out += 2;
			done = k + 1;
			escapes &= escapes - 1;
		}
		if (done < 8) {
			store_le64(out, w >> (8 * done));
			out += 8 - done;
		}
	}
	for (; i < n; i++) {
		uint8_t c = in[i];
		unsigned int escape = needs_escape[c];

		out[0] = escape ? HDLC_ESCAPE : c;
		out[1] = c ^ HDLC_ESCAPE_XOR;
		out += 1 + escape;
	}
	return out;
}

size_t hdlc_encode(const struct hdlc_encoder *enc, const uint8_t *frame, size_t len,
		   uint8_t *out, size_t capacity)
{
	/* The first test keeps hdlc_encoded_max() from wrapping around. */
	if (len > (SIZE_MAX - 2) / 2 - HDLC_FCS_LEN || capacity < hdlc_encoded_max(len))
		return 0;

	/*
	 * A separate FCS pass measured faster than folding it into the escape
	 * loop.  It goes out complemented, least significant byte first
	 * (RFC 1662 section C.2).
	 */
	uint16_t fcs = hdlc_fcs16(HDLC_FCS_INIT, frame, len) ^ 0xffff;
	const uint8_t trailer[HDLC_FCS_LEN] = { fcs & 0xff, fcs >> 8 };
	uint8_t *o = out;

	*o++ = HDLC_FLAG;
	if (hdlc_simd_escapes(enc->needs_escape)) {
		size_t done;

		o = hdlc_simd_escape(frame, len, o, &done);
		frame += done;
		len -= done;
	}
	o = escape_bytes(enc->needs_escape, frame, len, o);
	o = escape_bytes(enc->needs_escape, trailer, sizeof(trailer), o);
	*o++ = HDLC_FLAG;
	return (size_t)(o - out);
}

void hdlc_decoder_init(struct hdlc_decoder *dec, uint8_t *buffer, size_t capacity)
{
	hdlc_simd_prepare();
	memset(dec, 0, sizeof(*dec));
	dec->buffer = buffer;
	dec->capacity = capacity;
}

/*
 * 0x80 in every byte of w that equals c, 0 elsewhere.  Unlike the shorter
 * "has a zero byte" test this marks exactly the matching bytes, because no
 * carry crosses from one byte into the next.
 */
static uint64_t bytes_equal(uint64_t w, uint8_t c)
{
	const uint64_t low7 = 0x7f7f7f7f7f7f7f7full;
	uint64_t x = w ^ (0x0101010101010101ull * c);

	return ~(((x & low7) + low7) | x) & ~low7;
}

/*
 * Unescape n bytes that hold no flag onto the frame being assembled; the
 * caller has made sure n more bytes fit.  As in escape_bytes(), each group of
 * eight is stored as a word and stored again after each escape.  Unescaping
 * only shrinks, so output never runs ahead of input, and while sixteen input
 * bytes remain the seven bytes a word store may overshoot are inside the
 * room the caller checked.
 */
static void unescape(struct hdlc_decoder *dec, const uint8_t *in, size_t n)
{
	uint8_t *out = dec->buffer + dec->len;
	bool pending = dec->escape_pending;
	size_t i = 0;

	out = hdlc_simd_unescape(in, n, out, &pending, &i);
	while (n - i >= 16) {
		if (pending) {
			*out++ = in[i++] ^ HDLC_ESCAPE_XOR;
			pending = false;
			continue;
		}

		uint64_t w = load_le64(in + i);
		uint64_t escapes = bytes_equal(w, HDLC_ESCAPE);
		unsigned int done = 0;	/* bytes of the group consumed */

		while (escapes) {
			unsigned int k = (unsigned int)__builtin_ctzll(escapes) / 8;

			escapes &= escapes - 1;
			if (k < done)
				continue;	/* 7d 7d: the second one is data (0x5d) */
			store_le64(out, w >> (8 * done));
			out += k - done;
			if (k == 7) {
				pending = true;	/* the escaped byte is in the next group */
				done = 8;
				break;
			}
			*out++ = in[i + k + 1] ^ HDLC_ESCAPE_XOR;
			done = k + 2;
		}
		if (done < 8) {
			store_le64(out, w >> (8 * done));
			out += 8 - done;
		}
		i += 8;
	}
	for (; i < n; i++) {
		uint8_t c = in[i];
		bool escape = c == HDLC_ESCAPE && !pending;

		/* Always store; only advance past bytes that are data. */
		*out = c ^ (pending ? HDLC_ESCAPE_XOR : 0);
		out += !escape;
		pending = escape;
	}
	dec->len = (size_t)(out - dec->buffer);
	dec->escape_pending = pending;
}

/*
 * Add the flag-free bytes [in, end) to the frame.  When they do not fit, the
 * frame is counted and dropped, and the decoder discards up to the next flag.
 */
static void append_segment(struct hdlc_decoder *dec, const uint8_t *in, const uint8_t *end)
{
	while (in < end) {
		size_t room = dec->capacity - dec->len;
		size_t n = (size_t)(end - in);

		if (room == 0) {
			/* A full buffer still takes an escape: it adds no byte itself. */
			if (!dec->escape_pending && *in == HDLC_ESCAPE) {
				dec->escape_pending = true;
				in++;
				continue;
			}
			dec->counters.too_long++;
			dec->discarding = true;
			dec->escape_pending = false;
			dec->len = 0;
			return;
		}
		/* room input bytes always fit, since unescaping never lengthens. */
		if (n > room)
			n = room;
		unescape(dec, in, n);
		in += n;
	}
}

/*
 * A flag ended the frame in the buffer: check it and start the next one.
 * Returns the length of a good frame without its FCS, or 0 (a good frame is
 * never that short).
 */
static size_t finish_frame(struct hdlc_decoder *dec)
{
	size_t len = dec->len;

	dec->len = 0;
	if (len == 0)
		return 0;	/* back-to-back flags: an idle line, not an error */
	if (len < 2 + HDLC_FCS_LEN) {
		/* RFC 1662 section 4.3: discarded, but not as an FCS error. */
		dec->counters.too_short++;
		return 0;
	}
	/* The FCS over a frame and its own complemented FCS is a fixed residue. */
	if (hdlc_fcs16(HDLC_FCS_INIT, dec->buffer, len) != HDLC_FCS_GOOD) {
		dec->counters.bad_fcs++;
		return 0;
	}
	dec->counters.frames++;
	return len - HDLC_FCS_LEN;
}

size_t hdlc_decode(struct hdlc_decoder *dec, const uint8_t *in, size_t len,
		   const uint8_t **frame, size_t *frame_len)
{
	const uint8_t *p = in;
	const uint8_t *end = in + len;

	*frame = NULL;
	*frame_len = 0;
	while (p < end) {
		/*
		 * A flag never occurs inside an escaped frame, so one memchr
		 * finds where the frame ends, even when discarding.  Bytes
		 * before the first flag are just a frame that fails its FCS.
		 */
		const uint8_t *flag = memchr(p, HDLC_FLAG, (size_t)(end - p));
		const uint8_t *stop = flag ? flag : end;

		if (!dec->discarding)
			append_segment(dec, p, stop);
		if (!flag)
			break;
		p = flag + 1;
		if (dec->discarding) {
			/* Counted as too long when it overflowed. */
			dec->discarding = false;
			continue;
		}
		if (dec->escape_pending) {
			/* RFC 1662 section 4.3: escape then flag aborts the frame. */
			dec->counters.aborted++;
			dec->escape_pending = false;
			dec->len = 0;
			continue;
		}
		*frame_len = finish_frame(dec);
		if (*frame_len) {
			*frame = dec->buffer;
			return (size_t)(p - in);
		}
	}
	return len;
}
