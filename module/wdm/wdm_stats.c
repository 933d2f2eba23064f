// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt insight: each interrupt object's ISR and the DPCs it queued,
 * measured always (counts, log2 histograms of durations and latency, the
 * maxima and when they were seen) in per-CPU counters; read in debugfs
 * (wdm/interrupts/<irq>-<name>/); watchdogs that warn about an ISR or a DPC
 * past Microsoft's guidelines; and a verifier (verify=1) that reports what
 * Driver Verifier would stop on. Nothing here stops the machine.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/export.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/ratelimit.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>

#include "wdm_compat.h"
#include "wdm_internal.h"

bool wdm_verify;
EXPORT_SYMBOL_IF_KUNIT(wdm_verify);
module_param_named(verify, wdm_verify, bool, 0644);
MODULE_PARM_DESC(verify,
		 "Report what Driver Verifier would stop on: an ISR that returns with the IRQL, preemption or interrupt state changed, a DPC that requeues itself without bound (default off)");

static atomic_long_t wdm_insight_counts[WDM_INSIGHT_NR];
static void *wdm_insight_last;

/**
 * wdm_verify_report() - a verifier report: counted, logged rate-limited
 * @routine: the driver routine at fault, printed as a symbol
 * @fmt: the rule broken and how, printf-style, without a trailing newline
 *
 * Context: any.
 */
void wdm_verify_report(void *routine, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	atomic_long_inc(&wdm_insight_counts[WDM_VERIFY_REPORTED]);
	WRITE_ONCE(wdm_insight_last, routine);
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	wdm_report_bug((unsigned long)routine, "%pV", &vaf);
	va_end(args);
}

/**
 * wdm_verify_isr_report() - an ISR returned with the CPU's state changed
 * @ki: its interrupt object
 * @v: the state before the ISR was called
 *
 * A spin lock still held shows as a higher preemption count, an IRQL raised
 * and not lowered as a changed IRQL record.
 *
 * Context: the ISR's handler, right after the ISR returned.
 */
void wdm_verify_isr_report(struct _KINTERRUPT *ki, struct wdm_verify_state v)
{
	if (preempt_count() != v.preempt)
		wdm_verify_report(wdm_isr_routine(ki),
				  "ISR %ps of %s returned with preempt_count %#x, not %#x: a spin lock still held? (verifier: ISR_PREEMPT_COUNT_CHANGED)",
				  wdm_isr_routine(ki), ki->name, preempt_count(), v.preempt);
	else if (irqs_disabled() != v.irqs_off)
		wdm_verify_report(wdm_isr_routine(ki),
				  "ISR %ps of %s returned with local interrupts %s (verifier: ISR_INTERRUPT_STATE_CHANGED)",
				  wdm_isr_routine(ki), ki->name, v.irqs_off ? "on" : "off");
	else
		wdm_verify_report(wdm_isr_routine(ki),
				  "ISR %ps of %s returned at IRQL %u, not %u (verifier: ISR_IRQL_CHANGED)",
				  wdm_isr_routine(ki), ki->name, KeGetCurrentIrql(),
				  wdm_irql_level(v.irql));
}

/**
 * wdm_verify_requeued() - a DPC was queued from its own routine: count it
 * @dpc: the DPC, just queued
 *
 * Context: under the lock of the queue @dpc was put on.
 */
void wdm_verify_requeued(PKDPC dpc)
{
	if (++dpc->wdm_private_requeues == WDM_VERIFY_REQUEUES + 1 && READ_ONCE(wdm_verify))
		wdm_verify_report(dpc->DeferredRoutine,
				  "DPC %ps queued itself from its own routine %u times in a row (verifier: DPC_REQUEUED_WITHOUT_BOUND)",
				  dpc->DeferredRoutine, WDM_VERIFY_REQUEUES + 1);
}

#if IS_ENABLED(CONFIG_KUNIT)
/* A watchdog or verifier counter since wdm.ko loaded. */
unsigned long wdm_insight_count(enum wdm_insight_counter c)
{
	return atomic_long_read(&wdm_insight_counts[c]);
}
EXPORT_SYMBOL_IF_KUNIT(wdm_insight_count);

/* The routine of the last watchdog or verifier report. */
void *wdm_insight_last_routine(void)
{
	return READ_ONCE(wdm_insight_last);
}
EXPORT_SYMBOL_IF_KUNIT(wdm_insight_last_routine);
#endif

#ifdef WDM_STATS
/*
 * The watchdogs. Microsoft's guidelines: an ISR should run no longer than
 * 25 us, a DPC no longer than 100 us. 0 disables.
 */
unsigned int isr_warn_us = 25;
EXPORT_SYMBOL_IF_KUNIT(isr_warn_us);
module_param(isr_warn_us, uint, 0644);
MODULE_PARM_DESC(isr_warn_us,
		 "Report an ISR that runs longer than this, in us, once per routine (0: off; default 25, Microsoft's guideline)");

VISIBLE_IF_KUNIT unsigned int dpc_warn_us = 100;
EXPORT_SYMBOL_IF_KUNIT(dpc_warn_us);
module_param(dpc_warn_us, uint, 0644);
MODULE_PARM_DESC(dpc_warn_us,
		 "Report a DPC that runs longer than this, in us, once per routine (0: off; default 100, Microsoft's guideline)");

static struct wdm_seen wdm_isr_seen = WDM_SEEN_INIT(wdm_isr_seen);
static struct wdm_seen wdm_dpc_seen = WDM_SEEN_INIT(wdm_dpc_seen);

static DEFINE_RATELIMIT_STATE(wdm_insight_rs, DEFAULT_RATELIMIT_INTERVAL,
			      DEFAULT_RATELIMIT_BURST);

/* The debugfs tree, and every connected object for wdm/reset. */
static struct dentry *wdm_debugfs_root;
static struct dentry *wdm_debugfs_interrupts;
static LIST_HEAD(wdm_stats_objects);
static DEFINE_MUTEX(wdm_stats_lock);

/* @routine of @name ran @ns, over @param=@limit us: count, report once. */
static void wdm_watchdog_over(enum wdm_insight_counter over, enum wdm_insight_counter reported,
			      struct wdm_seen *seen, const char *kind, void *routine,
			      const char *name, u64 ns, const char *param, unsigned int limit)
{
	atomic_long_inc(&wdm_insight_counts[over]);
	if (!wdm_seen_first(seen, routine))
		return;
	atomic_long_inc(&wdm_insight_counts[reported]);
	WRITE_ONCE(wdm_insight_last, routine);
	if (__ratelimit(&wdm_insight_rs))
		pr_warn("%s %ps of %s ran %llu us, over %s=%u\n", kind, routine, name,
			div_u64(ns, NSEC_PER_USEC), param, limit);
}

/* A new maximum of histogram @h notes when it was seen. */
static void wdm_stats_max(struct wdm_stats_cpu __percpu *st, enum wdm_stats_hist h, u64 ns)
{
	if (unlikely(ns > __this_cpu_read(st->max_ns[h]))) {
		__this_cpu_write(st->max_ns[h], ns);
		__this_cpu_write(st->max_at_ns[h], ktime_get_boottime_ns());
	}
}

/* Count @ns in histogram @h. */
static void wdm_stats_sample(struct wdm_stats_cpu __percpu *st, enum wdm_stats_hist h, u64 ns)
{
	__this_cpu_inc(st->hist[h][wdm_stats_bucket(ns)]);
	wdm_stats_max(st, h, ns);
}

/**
 * wdm_stats_isr_slow() - the rare half of wdm_stats_isr()
 * @ki: the interrupt object
 * @ns: how long its ISR ran: a new maximum on this CPU, or over isr_warn_us
 *
 * Context: the ISR's handler, local interrupts off.
 */
void wdm_stats_isr_slow(struct _KINTERRUPT *ki, u64 ns)
{
	unsigned int limit = READ_ONCE(isr_warn_us);

	wdm_stats_max(ki->stats, WDM_HIST_ISR, ns);
	if (limit && ns > (u64)limit * NSEC_PER_USEC)
		wdm_watchdog_over(WDM_ISR_OVER, WDM_ISR_REPORTED, &wdm_isr_seen, "ISR",
				  wdm_isr_routine(ki), ki->name, ns, "isr_warn_us", limit);
}

/**
 * wdm_stats_dpc() - account one DPC run
 * @ki: the interrupt object whose ISR queued it, or NULL
 * @routine: the driver's routine, for the report and the stats
 * @queued: wdm_stats_now() when the ISR queued it (with @ki)
 * @start: wdm_stats_now() before the routine
 * @end: wdm_stats_now() after it
 * @warn: check it against dpc_warn_us (not for a threaded DPC, which runs
 *	preemptible at PASSIVE_LEVEL)
 *
 * Context: on the CPU that ran it, with nothing else accounting a DPC of
 * @ki there meanwhile: preemption off in softirq, or local interrupts off.
 */
void wdm_stats_dpc(struct _KINTERRUPT *ki, void *routine, u64 queued, u64 start, u64 end,
		   bool warn)
{
	unsigned int limit = READ_ONCE(dpc_warn_us);
	u64 ns = end - start;

	if (unlikely(warn && limit && ns > (u64)limit * NSEC_PER_USEC))
		wdm_watchdog_over(WDM_DPC_OVER, WDM_DPC_REPORTED, &wdm_dpc_seen, "DPC", routine,
				  ki ? ki->name : "-", ns, "dpc_warn_us", limit);
	if (!ki)
		return;
	__this_cpu_inc(ki->stats->dpc_run);
	wdm_stats_sample(ki->stats, WDM_HIST_DPC, ns);
	/* Another CPU's clock may be a little behind */
	wdm_stats_sample(ki->stats, WDM_HIST_LATENCY, start > queued ? start - queued : 0);
	if (READ_ONCE(ki->last_dpc) != routine)
		WRITE_ONCE(ki->last_dpc, routine);
}

/* Sum @ki's statistics over the CPUs. Context: any. */
VISIBLE_IF_KUNIT void wdm_stats_read(struct _KINTERRUPT *ki, struct wdm_stats_sum *s)
{
	const struct wdm_stats_cpu *c;
	int cpu, h, i;

	memset(s, 0, sizeof(*s));
	for_each_possible_cpu(cpu) {
		c = per_cpu_ptr(ki->stats, cpu);
		s->isr_true += READ_ONCE(c->isr_true);
		s->isr_false += READ_ONCE(c->isr_false);
		s->dpc_queued += READ_ONCE(c->dpc_queued);
		s->dpc_run += READ_ONCE(c->dpc_run);
		for (h = 0; h < WDM_HIST_NR; h++) {
			if (READ_ONCE(c->max_ns[h]) > s->max_ns[h]) {
				s->max_ns[h] = READ_ONCE(c->max_ns[h]);
				s->max_at_ns[h] = READ_ONCE(c->max_at_ns[h]);
			}
			for (i = 0; i < WDM_STATS_BUCKETS; i++)
				s->hist[h][i] += READ_ONCE(c->hist[h][i]);
		}
	}
	s->isr_calls = s->isr_true + s->isr_false;
}
EXPORT_SYMBOL_IF_KUNIT(wdm_stats_read);

/*
 * Zero @ki's statistics. What a CPU counts at the same moment may be lost
 * or half-kept: a reset is meant for a quiet moment, before a measurement.
 * Context: any.
 */
VISIBLE_IF_KUNIT void wdm_stats_reset(struct _KINTERRUPT *ki)
{
	int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(ki->stats, cpu), 0, sizeof(struct wdm_stats_cpu));
	WRITE_ONCE(ki->last_dpc, NULL);
}
EXPORT_SYMBOL_IF_KUNIT(wdm_stats_reset);

/* The stats file of the object m->private. */
VISIBLE_IF_KUNIT int wdm_stats_show(struct seq_file *m, void *unused)
{
	struct _KINTERRUPT *ki = m->private;
	struct wdm_stats_sum *s = kmalloc(sizeof(*s), GFP_KERNEL);
	void *dpc = READ_ONCE(ki->last_dpc);

	if (!s)
		return -ENOMEM;
	wdm_stats_read(ki, s);
	seq_printf(m, "name %s\nirq %u\nmessage %u\nisr %ps\n", ki->name, ki->irq,
		   ki->message_id, wdm_isr_routine(ki));
	if (dpc)
		seq_printf(m, "dpc %ps\n", dpc);
	else
		seq_puts(m, "dpc -\n");
	seq_printf(m, "isr_calls %llu\nisr_true %llu\nisr_false %llu\n", s->isr_calls,
		   s->isr_true, s->isr_false);
	seq_printf(m, "dpc_queued %llu\ndpc_run %llu\n", s->dpc_queued, s->dpc_run);
	seq_printf(m, "isr_max_ns %llu\nisr_max_at_ns %llu\n", s->max_ns[WDM_HIST_ISR],
		   s->max_at_ns[WDM_HIST_ISR]);
	seq_printf(m, "dpc_max_ns %llu\ndpc_max_at_ns %llu\n", s->max_ns[WDM_HIST_DPC],
		   s->max_at_ns[WDM_HIST_DPC]);
	seq_printf(m, "latency_max_ns %llu\nlatency_max_at_ns %llu\n",
		   s->max_ns[WDM_HIST_LATENCY], s->max_at_ns[WDM_HIST_LATENCY]);
	kfree(s);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(wdm_stats_show);
DEFINE_SHOW_ATTRIBUTE(wdm_stats);

static const char *const wdm_hist_names[WDM_HIST_NR] = {
	[WDM_HIST_ISR] = "isr_ns",
	[WDM_HIST_DPC] = "dpc_ns",
	[WDM_HIST_LATENCY] = "latency_ns",
};

/* The histograms file of the object m->private. */
VISIBLE_IF_KUNIT int wdm_histograms_show(struct seq_file *m, void *unused)
{
	struct wdm_stats_sum *s = kmalloc(sizeof(*s), GFP_KERNEL);
	int h, i;

	if (!s)
		return -ENOMEM;
	wdm_stats_read(m->private, s);
	for (h = 0; h < WDM_HIST_NR; h++) {
		seq_puts(m, wdm_hist_names[h]);
		for (i = 0; i < WDM_STATS_BUCKETS; i++)
			seq_printf(m, " %llu", s->hist[h][i]);
		seq_putc(m, '\n');
	}
	kfree(s);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(wdm_histograms_show);
DEFINE_SHOW_ATTRIBUTE(wdm_histograms);

/* A reset file takes "1"; anything else is -EINVAL. */
static int wdm_reset_parse(const char __user *buf, size_t count)
{
	unsigned int v;
	int err = kstrtouint_from_user(buf, count, 10, &v);

	if (err)
		return err;
	return v == 1 ? 0 : -EINVAL;
}

static ssize_t wdm_reset_write(struct file *file, const char __user *buf, size_t count,
			       loff_t *ppos)
{
	int err = wdm_reset_parse(buf, count);

	if (err)
		return err;
	wdm_stats_reset(file->private_data);
	return count;
}

static const struct file_operations wdm_reset_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = wdm_reset_write,
	.llseek = noop_llseek,
};

static ssize_t wdm_reset_all_write(struct file *file, const char __user *buf, size_t count,
				   loff_t *ppos)
{
	struct _KINTERRUPT *ki;
	int err = wdm_reset_parse(buf, count);

	if (err)
		return err;
	mutex_lock(&wdm_stats_lock);
	list_for_each_entry(ki, &wdm_stats_objects, stats_node)
		wdm_stats_reset(ki);
	mutex_unlock(&wdm_stats_lock);
	return count;
}

static const struct file_operations wdm_reset_all_fops = {
	.owner = THIS_MODULE,
	.write = wdm_reset_all_write,
	.llseek = noop_llseek,
};

/* @ki's directory: "<irq>-<name>", then "#2", "#3"... if that one exists. */
static struct dentry *wdm_stats_mkdir(struct _KINTERRUPT *ki)
{
	struct dentry *d;
	char *name, *p;
	unsigned int n;

	if (IS_ERR_OR_NULL(wdm_debugfs_interrupts))
		return NULL;
	for (n = 1; n < 1000; n++) {
		name = n == 1 ? kasprintf(GFP_KERNEL, "%u-%s", ki->irq, ki->name) :
				kasprintf(GFP_KERNEL, "%u-%s#%u", ki->irq, ki->name, n);
		if (!name)
			return NULL;
		/* A name is one path component. */
		for (p = name; (p = strchr(p, '/')); )
			*p = '_';
		d = debugfs_lookup(name, wdm_debugfs_interrupts);
		if (!d) {
			d = debugfs_create_dir(name, wdm_debugfs_interrupts);
			kfree(name);
			return IS_ERR(d) ? NULL : d;
		}
		dput(d);
		kfree(name);
	}
	return NULL;
}

/**
 * wdm_stats_connect() - give a new interrupt object its statistics
 * @ki: the object, not yet connected
 *
 * Its debugfs directory is created too; without debugfs the statistics are
 * still kept.
 *
 * Context: process context; may sleep.
 * Return: 0, or -ENOMEM.
 */
int wdm_stats_connect(struct _KINTERRUPT *ki)
{
	ki->stats = alloc_percpu(struct wdm_stats_cpu);
	if (!ki->stats)
		return -ENOMEM;
	mutex_lock(&wdm_stats_lock);
	ki->debugfs = wdm_stats_mkdir(ki);
	if (ki->debugfs) {
		debugfs_create_file("stats", 0444, ki->debugfs, ki, &wdm_stats_fops);
		debugfs_create_file("histograms", 0444, ki->debugfs, ki, &wdm_histograms_fops);
		debugfs_create_file("reset", 0200, ki->debugfs, ki, &wdm_reset_fops);
	}
	list_add_tail(&ki->stats_node, &wdm_stats_objects);
	mutex_unlock(&wdm_stats_lock);
	return 0;
}

/**
 * wdm_stats_disconnect() - drop an object's statistics, before it is freed
 * @ki: the object; its ISR is not entered again and its DPCs have run
 *
 * Once this returns no debugfs reader is inside @ki.
 *
 * Context: process context; may sleep.
 */
void wdm_stats_disconnect(struct _KINTERRUPT *ki)
{
	mutex_lock(&wdm_stats_lock);
	list_del(&ki->stats_node);
	mutex_unlock(&wdm_stats_lock);
	debugfs_remove_recursive(ki->debugfs);
	ki->debugfs = NULL;
	free_percpu(ki->stats);
	ki->stats = NULL;
}

int wdm_insight_init(void)
{
	/* debugfs may be missing or off: the statistics are kept all the same. */
	wdm_debugfs_root = debugfs_create_dir("wdm", NULL);
	if (IS_ERR(wdm_debugfs_root))
		return 0;
	wdm_debugfs_interrupts = debugfs_create_dir("interrupts", wdm_debugfs_root);
	debugfs_create_file("reset", 0200, wdm_debugfs_root, NULL, &wdm_reset_all_fops);
	return 0;
}

void wdm_insight_exit(void)
{
	debugfs_remove_recursive(wdm_debugfs_root);
}
#else
int wdm_insight_init(void)
{
	return 0;
}

void wdm_insight_exit(void)
{
}
#endif
