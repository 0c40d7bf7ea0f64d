/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Seed inputs for the fuzz targets, in each target's input format, from a
 * capture of real PPPoE traffic (tests/data/host_session.pcap) plus a few
 * handcrafted corner cases.  Reads the classic pcap format itself, so it
 * needs nothing but a C compiler and src/hdlc.c:
 *   seeds_from_pcap CAPTURE OUTDIR   writes OUTDIR/<target>/seed-*
 * The committed corpora are these seeds minimised with libFuzzer's -merge=1
 * (make fuzz-seeds does both).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "byte_order.h"
#include "hdlc.h"

#define FRAME_MAX 9216
#define SEED_MAX (256 * 1024)
#define CLIENTS_MAX 16
/* Keeps the committed corpora small: a run's later frames add little. */
#define STREAM_SEED_MAX 4096

struct buf {
	uint8_t data[SEED_MAX];
	size_t len;
};

static const char *outdir;
static unsigned seed_number;

static void put8(struct buf *b, uint8_t v)
{
	if (b->len < SEED_MAX)
		b->data[b->len++] = v;
}

static void put16(struct buf *b, uint16_t v)
{
	put8(b, (uint8_t)(v >> 8));
	put8(b, (uint8_t)v);
}

static void put32(struct buf *b, uint32_t v)
{
	put16(b, (uint16_t)(v >> 16));
	put16(b, (uint16_t)v);
}

static void put_bytes(struct buf *b, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put8(b, p[i]);
}

static void put_record(struct buf *b, const uint8_t *p, size_t n)
{
	put16(b, (uint16_t)n);
	put_bytes(b, p, n);
}

static void write_seed(const char *target, const struct buf *b)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", outdir, target);
	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		perror(path);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s/seed-%04u", outdir, target, seed_number++);
	f = fopen(path, "wb");
	if (!f || fwrite(b->data, 1, b->len, f) != b->len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

/* ---- the capture ---- */

struct frame {
	uint8_t data[FRAME_MAX];
	size_t len;
};

static struct frame *frames;
static size_t frame_count;

static uint32_t read32(const uint8_t *p, bool swap)
{
	return swap ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
		    : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static void read_capture(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t header[24], record[16];
	bool swap;
	size_t cap = 1024;

	if (!f || fread(header, 1, sizeof(header), f) != sizeof(header)) {
		fprintf(stderr, "%s: not a pcap file\n", path);
		exit(1);
	}
	/* Microsecond or nanosecond magic, either byte order; Ethernet only. */
	if (read32(header, false) == 0xa1b2c3d4 || read32(header, false) == 0xa1b23c4d)
		swap = false;
	else if (read32(header, true) == 0xa1b2c3d4 || read32(header, true) == 0xa1b23c4d)
		swap = true;
	else {
		fprintf(stderr, "%s: not a classic pcap file\n", path);
		exit(1);
	}
	if (read32(header + 20, swap) != 1) {
		fprintf(stderr, "%s: not an Ethernet capture\n", path);
		exit(1);
	}
	frames = calloc(cap, sizeof(*frames));
	while (frames && fread(record, 1, sizeof(record), f) == sizeof(record)) {
		uint32_t len = read32(record + 8, swap);

		if (len > FRAME_MAX) {
			fprintf(stderr, "%s: frame of %u bytes\n", path, len);
			exit(1);
		}
		if (frame_count == cap) {
			cap *= 2;
			frames = realloc(frames, cap * sizeof(*frames));
			if (!frames)
				break;
		}
		if (fread(frames[frame_count].data, 1, len, f) != len)
			break;
		frames[frame_count++].len = len;
	}
	if (!frames) {
		perror("memory");
		exit(1);
	}
	fclose(f);
}

static bool is_type(const struct frame *f, uint16_t ethertype)
{
	return f->len >= 20 && get_be16(f->data + 12) == ethertype;
}

/* The PPPoE payload, bounded by what was captured. */
static size_t payload_len(const struct frame *f)
{
	size_t len = get_be16(f->data + 18);

	return len <= f->len - 20 ? len : f->len - 20;
}

/* A discovery tag's value, or NULL. */
static const uint8_t *find_tag(const struct frame *f, uint16_t type, size_t *len)
{
	const uint8_t *p = f->data + 20, *end = p + payload_len(f);

	while (end - p >= 4) {
		size_t n = get_be16(p + 2);

		if (n > (size_t)(end - p - 4))
			break;
		if (get_be16(p) == type) {
			*len = n;
			return p + 4;
		}
		p += 4 + n;
	}
	return NULL;
}

/* ---- per target ---- */

static void clamp_seed(uint8_t entry, uint16_t limit4, uint16_t limit6, const uint8_t *p,
		       size_t n)
{
	static struct buf b;

	b.len = 0;
	put8(&b, entry);
	put16(&b, limit4);
	put16(&b, limit6);
	put_bytes(&b, p, n);
	write_seed("clamp", &b);
	/* fuzz_clamp_bpf.c reads the same format. */
	write_seed("clamp_bpf", &b);
}

static void clamp_seeds(void)
{
	for (size_t i = 0; i < frame_count; i++) {
		const struct frame *f = &frames[i];
		const uint8_t *ppp = f->data + 20;
		size_t n;

		if (!is_type(f, 0x8864))
			continue;
		n = payload_len(f);
		clamp_seed(0, 1452, 1432, ppp, n);
		clamp_seed(0, 1200, 1180, ppp, n);
		if (n > 2 && ppp[0] == 0 && ppp[1] == 0x21)
			clamp_seed(1, 1400, 0, ppp + 2, n - 2);
		if (n > 2 && ppp[0] == 0 && ppp[1] == 0x57)
			clamp_seed(2, 0, 1380, ppp + 2, n - 2);
	}

	/*
	 * Handcrafted: MSS at an odd offset, two MSS options, IPv6 extension
	 * headers, and a SYN behind AH (left alone).
	 */
	static const uint8_t odd_mss[] = {
		0x21,  /* compressed protocol field */
		0x45, 0, 0, 52, 0, 0, 0x40, 0, 64, 6, 0, 0, 192, 0, 2, 1, 198, 51, 100, 7,
		0x9c, 0x40, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x80, 0x02, 0xff, 0xff, 0x12, 0x34, 0, 0,
		1, 2, 4, 0x23, 0x28, 1, 2, 4, 0x05, 0xb4, 0, 0,
	};
	static const uint8_t ipv6_chain[] = {
		0, 0x57,
		0x60, 0, 0, 0, 0, 48, 0, 64,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
		60, 0, 1, 4, 0, 0, 0, 0,            /* hop-by-hop -> destination */
		43, 0, 1, 4, 0, 0, 0, 0,            /* destination -> routing */
		6, 0, 0, 0, 0, 0, 0, 0,             /* routing (nothing left to visit) -> TCP */
		0x9c, 0x40, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x60, 0x12, 0xff, 0xff, 0, 0, 0, 0,
		2, 4, 0x23, 0x28,
	};
	static const uint8_t ipv6_ah[] = {
		0, 0x57,
		0x60, 0, 0, 0, 0, 36, 51, 64,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
		6, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, /* AH (3 words) -> TCP */
		0x9c, 0x40, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x60, 0x12, 0xff, 0xff, 0, 0, 0, 0,
		2, 4, 0x23, 0x28,
	};
	clamp_seed(0, 1452, 1432, odd_mss, sizeof(odd_mss));
	clamp_seed(0, 1452, 1432, ipv6_chain, sizeof(ipv6_chain));
	clamp_seed(0, 1452, 1432, ipv6_ah, sizeof(ipv6_ah));
}

static bool mac_equal(const uint8_t *a, const uint8_t *b)
{
	return memcmp(a, b, 6) == 0;
}

/* The client runs in the capture: each starts with a PADI. */
static size_t run_starts[CLIENTS_MAX + 1];
static size_t run_count;

static void find_runs(void)
{
	for (size_t i = 0; i < frame_count && run_count < CLIENTS_MAX; i++)
		if (is_type(&frames[i], 0x8863) && frames[i].data[15] == 0x09)
			run_starts[run_count++] = i;
	run_starts[run_count] = frame_count;
}

static void discovery_header(struct buf *b, uint8_t flags, uint8_t start,
			     const uint8_t *our_mac, const uint8_t *ac_mac,
			     const uint8_t *host_uniq, size_t host_uniq_len,
			     const uint8_t *ac_name, size_t ac_name_len,
			     const uint8_t *service, size_t service_len, uint16_t max_payload)
{
	b->len = 0;
	put8(b, flags);
	put8(b, start);
	put_bytes(b, our_mac, 6);
	put_bytes(b, ac_mac, 6);
	put8(b, 2);          /* 3 PADIs */
	put8(b, 2);          /* 3 PADRs */
	put32(b, 5000);      /* timeout */
	put16(b, max_payload);
	put16(b, 0x1234);    /* session id for the states built by the harness */
	put32(b, 1000);      /* clock */
	put16(b, (uint16_t)host_uniq_len);
	put8(b, (uint8_t)ac_name_len);
	put16(b, (uint16_t)service_len);
	put_bytes(b, host_uniq, host_uniq_len);
	put_bytes(b, ac_name, ac_name_len);
	put_bytes(b, service, service_len);
}

/* The frame with one more tag behind the others (the PPPoE length grows). */
static void append_tag(struct frame *f, uint16_t type, const uint8_t *value, size_t len)
{
	size_t end = 20 + payload_len(f);

	if (end + 4 + len > FRAME_MAX)
		return;
	f->len = end;
	f->data[f->len++] = (uint8_t)(type >> 8);
	f->data[f->len++] = (uint8_t)type;
	f->data[f->len++] = (uint8_t)(len >> 8);
	f->data[f->len++] = (uint8_t)len;
	memcpy(f->data + f->len, value, len);
	f->len += len;
	f->data[18] = (uint8_t)((f->len - 20) >> 8);
	f->data[19] = (uint8_t)(f->len - 20);
}

/*
 * What the capture lacks, built from its PADS: a zero session id, each error
 * tag, PPP-Max-Payload, and PADM/PADT for the session id the harness uses.
 */
static void discovery_variants(uint8_t flags, const uint8_t *our_mac, const uint8_t *hu,
			       size_t hu_len, const uint8_t *sn, size_t sn_len)
{
	static const uint16_t tags[] = { 0x0201, 0x0202, 0x0203, 0x0120, 0x0111, 0x0112 };
	static const uint8_t value[] = { 0x05, 0xdc };
	static struct buf b;
	static struct frame f;

	for (size_t i = 0; i < frame_count; i++) {
		if (!is_type(&frames[i], 0x8863) || frames[i].data[15] != 0x65 ||
		    !mac_equal(frames[i].data, our_mac))
			continue;
		for (size_t v = 0; v <= sizeof(tags) / sizeof(tags[0]) + 2; v++) {
			uint8_t start = 2;

			f = frames[i];
			if (v == 0) {
				f.data[16] = f.data[17] = 0;
			} else if (v <= sizeof(tags) / sizeof(tags[0])) {
				append_tag(&f, tags[v - 1], value, sizeof(value));
			} else {
				/* PADM (v = 7) or PADT (v = 8) for the harness's session 0x1234. */
				f.data[15] = v == sizeof(tags) / sizeof(tags[0]) + 1 ? 0xd3 : 0xa7;
				f.data[16] = 0x12;
				f.data[17] = 0x34;
				start = 3;
			}
			discovery_header(&b, flags | 0x14, start, our_mac, f.data + 6, hu, hu_len,
					 NULL, 0, sn, sn_len, 1500);
			put8(&b, 0);
			put_record(&b, f.data, f.len);
			write_seed("discovery", &b);
		}
		return;
	}
}

static void discovery_seeds(void)
{
	static struct buf b;
	static const uint8_t no_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };

	for (size_t r = 0; r < run_count; r++) {
		const struct frame *padi = &frames[run_starts[r]];
		const uint8_t *our_mac = padi->data + 6, *ac_mac = no_mac, *hu, *sn, *an = NULL, *mp;
		size_t hu_len = 0, sn_len = 0, an_len = 0, mp_len = 0;
		uint8_t flags = 0;

		hu = find_tag(padi, 0x0103, &hu_len);
		sn = find_tag(padi, 0x0101, &sn_len);
		mp = find_tag(padi, 0x0120, &mp_len);
		if (hu)
			flags |= 0x01;
		if (sn && sn_len)
			flags |= 0x40;
		if (mp && mp_len == 2)
			flags |= 0x10;
		for (size_t i = run_starts[r]; i < run_starts[r + 1]; i++)
			if (is_type(&frames[i], 0x8863) && frames[i].data[15] == 0x07) {
				ac_mac = frames[i].data + 6;
				an = find_tag(&frames[i], 0x0102, &an_len);
				break;
			}
		for (int variant = 0; variant < 3; variant++) {
			/* As captured; with the AC-Name and AC MAC filters; in list mode. */
			uint8_t f = flags | (variant == 1 ? 0x06 : 0) | (variant == 2 ? 0x08 : 0);

			discovery_header(&b, f, 1, our_mac, ac_mac, hu, hu_len, an, an_len, sn, sn_len,
					 mp && mp_len == 2 ? get_be16(mp) : 0);
			for (size_t i = run_starts[r]; i < run_starts[r + 1]; i++) {
				const struct frame *fr = &frames[i];

				if (!is_type(fr, 0x8863) && !(is_type(fr, 0x8864) && fr->len < 64))
					continue;
				if (mac_equal(fr->data + 6, our_mac) && fr->data[15] == 0x09) {
					/* Our own PADI again: let the deadline fire instead. */
					if (i != run_starts[r])
						put8(&b, 1);
					continue;
				}
				put8(&b, 0);
				put_record(&b, fr->data, fr->len);
			}
			put8(&b, 1);
			write_seed("discovery", &b);
		}
		/* Each frame of the AC alone, in each state the harness can build. */
		for (uint8_t start = 2; start <= 4; start++) {
			for (size_t i = run_starts[r]; i < run_starts[r + 1]; i++) {
				const struct frame *fr = &frames[i];

				if (!is_type(fr, 0x8863) || mac_equal(fr->data + 6, our_mac))
					continue;
				discovery_header(&b, flags | 0x04, start, our_mac, fr->data + 6, hu,
						 hu_len, NULL, 0, sn, sn_len, 0);
				put8(&b, 0);
				put_record(&b, fr->data, fr->len);
				put8(&b, 3);
				put_record(&b, (const uint8_t *)"\xc0session closed", 15);
				write_seed("discovery", &b);
			}
		}
		discovery_variants(flags, our_mac, hu, hu_len, sn, sn_len);
	}
}

/* Session frames of a run, as each side's PPP frames, for the LCP snoop, relay, HDLC. */
static void session_seeds(void)
{
	static struct buf lcp, relay, stream;
	static uint8_t encoded[2 + 2 * (FRAME_MAX + 2)];
	struct hdlc_encoder enc;

	for (size_t r = 0; r < run_count; r++) {
		const struct frame *padi = &frames[run_starts[r]];
		const uint8_t *our_mac = padi->data + 6;
		const uint8_t *ac_mac = NULL;
		uint16_t session_id = 0;

		for (size_t i = run_starts[r]; i < run_starts[r + 1]; i++)
			if (is_type(&frames[i], 0x8863) && frames[i].data[15] == 0x65) {
				ac_mac = frames[i].data + 6;
				session_id = get_be16(frames[i].data + 16);
			}
		if (!ac_mac)
			continue;

		for (int accm = 0; accm < 2; accm++) {
			lcp.len = relay.len = stream.len = 0;
			put16(&lcp, 1492);
			put_bytes(&relay, our_mac, 6);
			put_bytes(&relay, ac_mac, 6);
			put16(&relay, session_id);
			put16(&relay, 1492);
			put8(&relay, accm ? 2 : 0);  /* IPv4: auto, or a fixed MSS */
			put16(&relay, 1400);
			put8(&relay, accm ? 1 : 0);  /* IPv6: auto, or off */
			put16(&relay, 0);
			put16(&stream, 1600);
			put32(&stream, accm ? 0xffffffff : 0);
			put32(&stream, 0x2545f491);
			hdlc_encoder_init(&enc, accm ? 0xffffffff : 0);

			for (size_t i = run_starts[r]; i < run_starts[r + 1]; i++) {
				const struct frame *fr = &frames[i];
				bool from_client = mac_equal(fr->data + 6, our_mac);
				uint8_t ppp[FRAME_MAX + 2] = { 0xff, 0x03 };
				size_t n;

				if (!is_type(fr, 0x8864) || relay.len + fr->len > STREAM_SEED_MAX)
					continue;
				n = payload_len(fr);
				if (n >= 2 && get_be16(fr->data + 20) == 0xc021) {
					put8(&lcp, from_client ? 0 : 1);
					put_record(&lcp, fr->data + 20, n);
				}
				if (!from_client) {
					put8(&relay, 1);
					put_record(&relay, fr->data, fr->len);
					continue;
				}
				memcpy(ppp + 2, fr->data + 20, n);
				put8(&relay, 0);
				put_record(&relay, ppp, n + 2);
				put_bytes(&stream, encoded,
					  hdlc_encode(&enc, ppp, n + 2, encoded, sizeof(encoded)));
			}
			write_seed("lcp_snoop", &lcp);
			write_seed("relay", &relay);
			write_seed("hdlc", &stream);
		}
	}

	/* Handcrafted LCP: Configure-Acks with one MRU, two MRUs, none, a broken option. */
	static const uint8_t acks[] = {
		1, 0, 12, 0xc0, 0x21, 2, 1, 0, 8, 1, 4, 0x05, 0xd4,
		0, 0, 16, 0xc0, 0x21, 2, 2, 0, 12, 1, 4, 0x05, 0xdc, 1, 4, 0x05, 0x00,
		1, 0, 14, 0xc0, 0x21, 2, 3, 0, 10, 5, 6, 0x12, 0x34, 0x56, 0x78,
		0, 0, 10, 0xc0, 0x21, 2, 4, 0, 8, 1, 3, 0x05, 0xd4,
	};
	lcp.len = 0;
	put16(&lcp, 0);
	put_bytes(&lcp, acks, sizeof(acks));
	write_seed("lcp_snoop", &lcp);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s CAPTURE OUTDIR\n", argv[0]);
		return 2;
	}
	outdir = argv[2];
	if (mkdir(outdir, 0755) != 0 && errno != EEXIST) {
		perror(outdir);
		return 1;
	}
	read_capture(argv[1]);
	find_runs();
	clamp_seeds();
	discovery_seeds();
	session_seeds();
	printf("%u seeds from %zu frames (%zu client runs) in %s\n", seed_number, frame_count,
	       run_count, outdir);
	return 0;
}
