/* SPDX-License-Identifier: GPL-2.0-or-later */
/* MTU/MRU from pppd to the relay child through a shared page. */
#include "negotiated_mtu_mru.h"

#include <stddef.h>
#include <sys/mman.h>

struct negotiated_mtu_mru *negotiated_mtu_mru_create(void)
{
	void *page = mmap(NULL, sizeof(struct negotiated_mtu_mru), PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return page == MAP_FAILED ? NULL : page;
}

void negotiated_mtu_mru_destroy(struct negotiated_mtu_mru *share)
{
	if (share != NULL)
		munmap(share, sizeof(*share));
}

void negotiated_mtu_mru_publish(struct negotiated_mtu_mru *share, unsigned mtu, unsigned mru)
{
	/* A seqlock in miniature: odd while writing, so a reader never takes a
	 * half-written pair. */
	__atomic_add_fetch(&share->generation, 1, __ATOMIC_ACQ_REL);
	if (mtu != 0)
		__atomic_store_n(&share->mtu, mtu, __ATOMIC_RELAXED);
	if (mru != 0)
		__atomic_store_n(&share->mru, mru, __ATOMIC_RELAXED);
	__atomic_add_fetch(&share->generation, 1, __ATOMIC_RELEASE);
}

int negotiated_mtu_mru_poll(const struct negotiated_mtu_mru *share, uint32_t *seen, unsigned *mtu,
			    unsigned *mru)
{
	for (int tries = 0; tries < 100; tries++) {
		uint32_t before = __atomic_load_n(&share->generation, __ATOMIC_ACQUIRE);
		if (before == *seen)
			return 0;
		if (before & 1)
			continue;
		unsigned new_mtu = __atomic_load_n(&share->mtu, __ATOMIC_RELAXED);
		unsigned new_mru = __atomic_load_n(&share->mru, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&share->generation, __ATOMIC_RELAXED) != before)
			continue;
		*seen = before;
		*mtu = new_mtu;
		*mru = new_mru;
		return 1;
	}
	return 0;
}
