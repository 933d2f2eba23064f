/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wdmisr-read --stats and --reset-stats: the per-vector counters of
 * WDMISR_IOC_STATS as an aligned table.
 */
#ifndef WR_STATS_H
#define WR_STATS_H

#include <stdio.h>

#include "devops.h"
#include "wdmisr.h"

/* One row per vector in use (at most WDMISR_MAX_VECTORS) and a total row. */
void wr_stats_print(FILE *out, const struct wdmisr_stats *st);

/* --stats and --reset-stats: the exit status. */
int wr_stats_run(const struct wr_env *env, const char *path);
int wr_stats_reset_run(const struct wr_env *env, const char *path);

#endif /* WR_STATS_H */
