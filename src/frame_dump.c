/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hex + ASCII dump of frames, timestamped so a dump can be read against syslog. */
#include "frame_dump.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

int frame_dump_open(struct frame_dump *dump, const char *path, off_t limit, char *error,
		    size_t error_len)
{
	/* O_NONBLOCK: a FIFO in the file's place must not hang us in open(). */
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC,
		      0600);
	struct stat st;
	const char *refused = NULL;

	dump->file = NULL;
	dump->limit = limit;
	dump->path = path;
	if (fd < 0) {
		snprintf(error, error_len, "cannot open the frame dump %s: %s", path,
			 errno == ELOOP ? "it is a symbolic link, which is not followed"
					: strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0)
		refused = strerror(errno);
	else if (!S_ISREG(st.st_mode))
		refused = "not a regular file";
	else if (st.st_uid != geteuid())
		refused = "it belongs to another user";
	else if (st.st_nlink != 1)
		refused = "it has another name (a hard link)";
	/* Made 0600 whatever the umask, and an older dump too: it holds passwords. */
	else if ((st.st_mode & 07777) != 0600 && fchmod(fd, 0600) < 0)
		refused = strerror(errno);
	else if ((dump->file = fdopen(fd, "a")) == NULL)
		refused = strerror(errno);
	if (refused != NULL) {
		snprintf(error, error_len, "cannot use %s for the frame dump: %s", path, refused);
		close(fd);
		return -1;
	}
	if (st.st_size >= limit)
		log_message(LOG_LEVEL_WARN,
			    "frame dump %s already holds its limit of %lld bytes: no frame will be added "
			    "(empty it, or raise the limit: pppoe-dump-max, -L)",
			    path, (long long)limit);
	return 0;
}

static off_t dump_size(const struct frame_dump *dump)
{
	struct stat st;

	/* Unknown: as good as full. */
	return fstat(fileno(dump->file), &st) == 0 ? st.st_size : dump->limit;
}

static void write_frame(FILE *out, const struct timespec *now, const char *label,
			const uint8_t *frame, size_t len)
{
	fprintf(out, "%lld.%03ld %s (%zu bytes)\n", (long long)now->tv_sec, now->tv_nsec / 1000000,
		label, len);
	for (size_t line = 0; line < len; line += 16) {
		size_t end = line + 16 < len ? line + 16 : len;
		fprintf(out, "  %04zx ", line);
		for (size_t i = line; i < line + 16; i++) {
			if (i < end)
				fprintf(out, " %02x", frame[i]);
			else
				fputs("   ", out);
		}
		fputs("  ", out);
		for (size_t i = line; i < end; i++)
			fputc(frame[i] >= 0x20 && frame[i] < 0x7f ? frame[i] : '.', out);
		fputc('\n', out);
	}
	fflush(out);
}

void frame_dump(const struct frame_dump *dump, const char *label, const uint8_t *frame, size_t len)
{
	struct timespec now;

	/* Full: said once, by the process whose frame filled it. */
	if (dump == NULL || dump->file == NULL || dump_size(dump) >= dump->limit)
		return;
	clock_gettime(CLOCK_REALTIME, &now);
	write_frame(dump->file, &now, label, frame, len);
	if (dump_size(dump) < dump->limit)
		return;
	fprintf(dump->file, "%lld.%03ld frame dump stopped: the file reached its limit of %lld bytes\n",
		(long long)now.tv_sec, now.tv_nsec / 1000000, (long long)dump->limit);
	fflush(dump->file);
	log_message(LOG_LEVEL_WARN,
		    "frame dump %s reached its limit of %lld bytes: no more frames are written to it "
		    "(empty it to dump again, or raise the limit: pppoe-dump-max, -L)",
		    dump->path, (long long)dump->limit);
}

void frame_dump_close(struct frame_dump *dump)
{
	if (dump->file != NULL)
		fclose(dump->file);
	dump->file = NULL;
}

int frame_dump_fd(const struct frame_dump *dump)
{
	return dump != NULL && dump->file != NULL ? fileno(dump->file) : -1;
}
