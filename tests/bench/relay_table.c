/* SPDX-License-Identifier: GPL-2.0-or-later */
/* relay_bench's table (relay_table.h). */
#include "relay_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct summary {
	double median, min, max;
};

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static struct summary summarize(double *values, int n)
{
	struct summary s = { 0, 0, 0 };

	if (n == 0)
		return s;
	qsort(values, (size_t)n, sizeof(values[0]), compare_doubles);
	s.min = values[0];
	s.max = values[n - 1];
	s.median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
	return s;
}

struct case_figures {
	struct summary frames_per_s, mbit_per_s, cpu_per_mframe;
	long peak_rss_kib;
	uint64_t lost, checked, mismatched, duplicates;
	int runs;
};

static struct case_figures figures_of(const struct run_result *results, int repeats)
{
	double fps[MAX_REPEATS], mbit[MAX_REPEATS], cpu[MAX_REPEATS];
	struct case_figures f;
	int n = 0;

	memset(&f, 0, sizeof(f));
	for (int r = 0; r < repeats; r++) {
		const struct run_result *res = &results[r];

		if (!res->ok || res->delivered == 0 || res->seconds <= 0)
			continue;
		fps[n] = (double)res->delivered / res->seconds;
		mbit[n] = (double)res->ip_bytes * 8 / res->seconds / 1e6;
		cpu[n] = res->cpu_seconds * 1e6 / (double)res->delivered;
		if (res->peak_rss_kib > f.peak_rss_kib)
			f.peak_rss_kib = res->peak_rss_kib;
		f.lost += res->lost;
		f.checked += res->checked;
		f.mismatched += res->mismatched;
		f.duplicates += res->duplicates;
		n++;
	}
	f.runs = n;
	f.frames_per_s = summarize(fps, n);
	f.mbit_per_s = summarize(mbit, n);
	f.cpu_per_mframe = summarize(cpu, n);
	return f;
}

static void print_figures(const char *case_name, const char *program, const struct case_figures *f)
{
	char range[64];

	if (f->runs == 0) {
		printf("%-10s %-10s   no run completed\n", case_name, program);
		return;
	}
	snprintf(range, sizeof(range), "(%.0fk-%.0fk)", f->frames_per_s.min / 1e3,
		 f->frames_per_s.max / 1e3);
	printf("%-10s %-10s %7.0fk %-15s %7.1f %7.2f (%.2f-%.2f)%*s %6ld %6llu %6llu%s\n", case_name,
	       program, f->frames_per_s.median / 1e3, range, f->mbit_per_s.median,
	       f->cpu_per_mframe.median, f->cpu_per_mframe.min, f->cpu_per_mframe.max, 2, "",
	       f->peak_rss_kib, (unsigned long long)f->lost, (unsigned long long)f->checked,
	       f->mismatched || f->duplicates ? "  MISMATCHED" : "");
	if (f->mismatched || f->duplicates)
		printf("%-10s %-10s   %llu frames arrived changed or unexpected, %llu twice\n", "", "",
		       (unsigned long long)f->mismatched, (unsigned long long)f->duplicates);
}


void table_print(const struct bench_case *cases, int case_count, const bool *selected,
		 const struct program *programs, int program_count,
		 const struct run_result (*results)[MAX_PROGRAMS][MAX_REPEATS], int repeats)
{
	printf("%-10s %-10s %8s %-15s %7s %-22s %6s %6s %6s\n", "case (B)", "program", "frames/s",
	       "", "Mbit/s", "CPU s/Mframe", "RSS", "lost", "check");
	printf("%-10s %-10s %8s %-15s %7s %-22s %6s\n", "", "", "", "", "(IP)", "", "KiB");
	for (int i = 0; i < case_count; i++) {
		if (!selected[i])
			continue;
		struct case_figures reference = figures_of(results[i][0], repeats);

		print_figures(cases[i].name, programs[0].name, &reference);
		for (int p = 1; p < program_count; p++) {
			struct case_figures f = figures_of(results[i][p], repeats);

			print_figures("", programs[p].name, &f);
			if (f.runs > 0 && reference.runs > 0 && f.cpu_per_mframe.median > 0)
				printf("%-10s %-10s   x%.2f frames/s, x%.2f frames per CPU-second (%s/%s)\n",
				       "", "ratio", f.frames_per_s.median / reference.frames_per_s.median,
				       reference.cpu_per_mframe.median / f.cpu_per_mframe.median,
				       programs[p].name, programs[0].name);
		}
		for (int w = 0; cases[i].windowed != NULL && w < case_count; w++) {
			if (!selected[w] || strcmp(cases[w].name, cases[i].windowed) != 0)
				continue;
			for (int p = 0; p < program_count; p++) {
				struct case_figures flood = figures_of(results[i][p], repeats);
				struct case_figures window = figures_of(results[w][p], repeats);

				if (flood.runs > 0 && window.runs > 0 && flood.cpu_per_mframe.median > 0)
					printf("%-10s %-10s   x%.2f frames per CPU-second of its windowed "
					       "case (%s)\n", "", programs[p].name,
					       window.cpu_per_mframe.median / flood.cpu_per_mframe.median,
					       cases[w].name);
			}
		}
	}
}
