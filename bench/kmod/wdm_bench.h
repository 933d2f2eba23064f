/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wdm_bench.ko internals: the benchmarks behind the debugfs files and the
 * helpers they share (firing interrupts, medians, ratios).
 */
#ifndef _WDM_BENCH_H
#define _WDM_BENCH_H

#include <linux/seq_buf.h>
#include <linux/types.h>

/*
 * Interrupt handlers are threaded (PREEMPT_RT, threadirqs): a fired interrupt
 * only wakes a thread, so interrupts are fired one at a time and waited for.
 * Decided once at module load.
 */
extern bool wdm_bench_threaded;

u64 wdm_bench_fire(const unsigned int *virq, unsigned int nvirq,
		   unsigned int count);
u64 wdm_bench_median(u64 *v, unsigned int n);
u64 wdm_bench_ratio_milli(const u64 *num, const u64 *den, u64 *tmp,
			  unsigned int n);
void wdm_bench_put_milli(struct seq_buf *s, const char *key, u64 milli);

/* Each benchmark parses its arguments and writes its result lines to @out. */
int wdm_bench_dispatch_run(const char *args, struct seq_buf *out);
void wdm_bench_dispatch_release(void);
int wdm_bench_scaling_run(const char *args, struct seq_buf *out);

#endif /* _WDM_BENCH_H */
