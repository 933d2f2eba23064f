/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wdmisr-read read mode: the poll loop that reads event records in batches
 * and hands them to the chosen output format.
 */
#ifndef WR_READER_H
#define WR_READER_H

#include "devops.h"
#include "opts.h"

/* Records asked for per read() when nothing limits the batch. */
#define WR_BATCH	64

/* Read mode: the exit status. */
int wr_read_run(const struct wr_env *env, const struct wr_config *cfg);

#endif /* WR_READER_H */
