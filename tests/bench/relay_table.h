/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * relay_bench's table: for each case selected and each program, the median
 * (min-max) of the repetitions, the first program being the reference the
 * others are compared with.
 */
#ifndef PPPOE_MSS_BENCH_RELAY_TABLE_H
#define PPPOE_MSS_BENCH_RELAY_TABLE_H

#include <stdbool.h>

#include "relay_bench.h"

/* results[case][program][repetition], to stdout, after the column heads. */
void table_print(const struct bench_case *cases, int case_count, const bool *selected,
		 const struct program *programs, int program_count,
		 const struct run_result (*results)[MAX_PROGRAMS][MAX_REPEATS], int repeats);

#endif
