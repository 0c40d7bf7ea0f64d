/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Writing sessions down, ending leftovers (session_recovery.h). */
#include "session_recovery.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "discovery_io.h"
#include "log.h"
#include "render.h"
#include "status_publisher.h"

/* The kernel's id of this boot: filters and program ids do not outlive it. */
static void read_boot_id(char boot_id[SESSION_RECORD_BOOT_ID_LEN + 1])
{
	int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
	ssize_t got = fd >= 0 ? read(fd, boot_id, SESSION_RECORD_BOOT_ID_LEN) : -1;

	if (fd >= 0)
		close(fd);
	boot_id[got == SESSION_RECORD_BOOT_ID_LEN ? SESSION_RECORD_BOOT_ID_LEN : 0] = '\0';
}

void session_recovery_note(const struct session_record *record, const struct interface_info *iface,
			   const struct discovery *disc, const struct tc_clamp *clamp)
{
	struct session_record_entry entry = { .session_id = disc->session_id };

	if (record->fd < 0)
		return;
	snprintf(entry.nic, sizeof(entry.nic), "%s", iface->name);
	memcpy(entry.ac_mac, disc->ac_mac, PPPOE_MAC_LEN);
	memcpy(entry.our_mac, iface->mac, PPPOE_MAC_LEN);
	read_boot_id(entry.boot_id);
	if (clamp != NULL) {
		tc_clamp_describe(clamp, &entry.filters);
		entry.has_filters = true;
	}
	if (session_record_write(record, &entry) < 0)
		log_message(LOG_LEVEL_WARN, "cannot write %s: %s", record->path, strerror(errno));
}

/* Filters of a killed kernel session stay on the NIC until removed; their
 * ifindex and program ids mean something in the boot that noted them only. */
static bool remove_noted_filters(const struct session_record_entry *entry, const char *boot_id)
{
	return entry->has_filters && entry->boot_id[0] != '\0' &&
	       strcmp(entry->boot_id, boot_id) == 0 && tc_clamp_detach_filters(&entry->filters) > 0;
}

void session_recovery_remove_filters(const struct session_record *record)
{
	struct session_record_entry entry;
	char boot_id[SESSION_RECORD_BOOT_ID_LEN + 1];

	if (record == NULL || session_record_read(record, &entry) < 0)
		return;
	read_boot_id(boot_id);
	(void)remove_noted_filters(&entry, boot_id);
}

struct leftover_context {
	const struct interface_info *iface;
	const struct discovery *disc;
	int discovery_fd;
	const struct frame_dump *dump;
	char boot_id[SESSION_RECORD_BOOT_ID_LEN + 1];
};

static bool end_leftover(const struct session_record_entry *entry, void *context)
{
	const struct leftover_context *leftover = context;
	char ac[RENDER_MAC_LEN], ours[RENDER_MAC_LEN];

	render_mac(entry->ac_mac, ac);
	if (entry->filters.ifindex == leftover->iface->index &&
	    remove_noted_filters(entry, leftover->boot_id))
		log_message(LOG_LEVEL_INFO, "removed the MSS clamp filters of session %u from %s",
			    entry->session_id, entry->nic);
	if (memcmp(entry->our_mac, leftover->iface->mac, PPPOE_MAC_LEN) != 0) {
		render_mac(entry->our_mac, ours);
		log_message(LOG_LEVEL_NOTICE, "a session left over on %s (session %u with %s) was "
			    "%s's, which this NIC is no longer: forgetting it", entry->nic,
			    entry->session_id, ac, ours);
		return true;
	}
	log_message(LOG_LEVEL_NOTICE, "a session left over on %s (session %u with access "
		    "concentrator %s): ending it with a PADT before discovery", entry->nic,
		    entry->session_id, ac);
	return discovery_io_send_padt(leftover->disc, leftover->discovery_fd, entry->session_id,
				      entry->ac_mac, "pppoe-mss: session left over", leftover->dump) == 0;
}

void session_recovery_end_leftovers(const struct interface_info *iface,
				    const struct discovery *disc, int discovery_fd, const struct frame_dump *dump)
{
	struct leftover_context leftover = {
		.iface = iface, .disc = disc, .discovery_fd = discovery_fd, .dump = dump,
	};

	read_boot_id(leftover.boot_id);
	session_record_end_leftovers(PPPOE_MSS_STATE_DIR, iface->name, end_leftover, &leftover);
	/* And the live status their killed processes left behind. */
	session_status_sweep(PPPOE_MSS_RUN_DIR, iface->name);
}
