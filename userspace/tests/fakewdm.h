/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixture trees for the wdmstat tests, laid out as wdm.ko's debugfs root
 * is: <base>/debug/wdm/{reset,interrupts/<irq>-<name>/{stats,histograms,reset}};
 * and running wdmstat in-process against them.
 */
#ifndef WT_FAKEWDM_H
#define WT_FAKEWDM_H

#include <stdbool.h>
#include <stdint.h>

#include "harness.h"

/* The values of one "stats" file; the *_at_ns keys are derived from them. */
struct wt_wdm_stats {
	const char *name;
	unsigned int irq;
	unsigned int message;
	const char *isr;
	const char *dpc;	/* "-" for none */
	uint64_t isr_calls, isr_true, isr_false, dpc_queued, dpc_run;
	uint64_t isr_max_ns, dpc_max_ns, latency_max_ns;
};

/*
 * A new tree under /tmp with an empty interrupts/ and reset file; returns
 * <base>, to free with wt_sysfs_free(). The debugfs mount point the tool is
 * told about is <base>/debug, its default root <base>/debug/wdm.
 */
char *wt_wdm_new(void);
/* <base>/debug/wdm, or a file under it: "<base>/debug/wdm/<rel>". */
void wt_wdm_path(char *buf, size_t size, const char *base, const char *rel);
/* Write @text to <base>/debug/wdm/<rel>, directories made as needed. */
void wt_wdm_write(const char *base, const char *rel, const char *text);
/* The whole file <base>/debug/wdm/<rel>, to free(); NULL if it is missing. */
char *wt_wdm_read(const char *base, const char *rel);

/*
 * A histogram line: @name, then 32 counts that are 0 except as @spec says,
 * "bucket=count" pairs separated by spaces, e.g. "10=90 14=10".
 */
void wt_wdm_hist_line(char *buf, size_t size, const char *name,
		      const char *spec);
/*
 * The object directory @dir with a stats file from @st, a histograms file
 * from the three specs (see wt_wdm_hist_line) and an empty reset file.
 */
void wt_wdm_obj(const char *base, const char *dir,
		const struct wt_wdm_stats *st, const char *isr_spec,
		const char *dpc_spec, const char *lat_spec);

/* What the fake debugfs test answers: whether <base>/debug is a debugfs. */
extern bool wt_wdm_mounted;

/*
 * Run ws_main() on the NULL-terminated arguments (argv[0] is added) with
 * debugfs at <@base>/debug and stdout a terminal if @tty. Free with
 * wt_run_free().
 */
void wt_ws_run(struct wt_run *r, const char *base, bool tty, ...);

#endif /* WT_FAKEWDM_H */
