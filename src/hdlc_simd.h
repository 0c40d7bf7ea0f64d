/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The vector paths of the HDLC codec: escaping and unescaping sixteen bytes
 * per step with SSSE3 on x86-64 CPUs that have it.  Each takes a prefix of
 * its input and tells how much (*done); hdlc.c's portable loops do the
 * rest.  Before hdlc_simd_prepare(), on other CPUs and other machines, they
 * take nothing.
 */
#ifndef PPPOE_MSS_HDLC_SIMD_H
#define PPPOE_MSS_HDLC_SIMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Builds the shuffle plans when the CPU has SSSE3; idempotent. */
void hdlc_simd_prepare(void);

/* Whether hdlc_simd_escape() escapes exactly what needs_escape asks for:
 * every control character, the flag and the escape (HDLC_ACCM_ALL).  pppd's
 * "escape" option can add others, so each frame asks. */
bool hdlc_simd_escapes(const uint8_t needs_escape[256]);

/*
 * Escape whole steps of sixteen bytes from in while at least eight more
 * remain after the step, into out; *done: how many bytes were taken.  Each
 * store may write up to eight bytes past the new end, which the bytes still
 * to come overwrite.
 */
uint8_t *hdlc_simd_escape(const uint8_t *in, size_t n, uint8_t *out, size_t *done);

/*
 * Unescape flag-free bytes from in[*done] on, sixteen per step, while
 * sixteen remain; *pending carries an escape from one step (or call) to the
 * next.  Stops early at 7d 7d, which the word loop handles.  Output never
 * runs ahead of input.
 */
uint8_t *hdlc_simd_unescape(const uint8_t *in, size_t n, uint8_t *out, bool *pending, size_t *done);

#endif
