// SPDX-License-Identifier: GPL-2.0
/*
 * wdm_bench.ko: benchmarks of the WDM interrupt shim against plain genirq,
 * run from debugfs. Writing arguments to /sys/kernel/debug/wdm_bench/NAME
 * runs benchmark NAME in the writer's context; reading the file gives the
 * last run's result lines ("NAME key=value ..."). The files:
 *
 *   dispatch  "N BATCH": ns per interrupt of a raw handler, a shim ISR,
 *             a shim ISR queuing a DPC or a threaded DPC (also timed to
 *             the last DPC done) and 4-deep shared chains; the run's
 *             interrupt objects stay connected until the next run or
 *             unload, for wdm.ko's statistics of them
 *   scaling   "REPS FIRES N...": connect, disconnect and per-interrupt
 *             cost with N MSI-X messages of the ivshmem-doorbell
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/interrupt.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched/clock.h>
#include <linux/timex.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "wdm_bench.h"
#include "../../testlib/wdm_test_irq.h"

/* The most interrupts fired in one hard-IRQ stretch. */
#define WDM_BENCH_CHUNK		1024U
#define WDM_BENCH_OUT_SIZE	(64 * 1024)
#define WDM_BENCH_ARGS_MAX	64

bool wdm_bench_threaded;

/**
 * wdm_bench_fire() - fire interrupts and time them
 * @virq: Linux IRQ numbers, fired round robin
 * @nvirq: how many
 * @count: interrupts in all
 *
 * Fires in hard-IRQ stretches of at most WDM_BENCH_CHUNK interrupts. With
 * threaded handlers each interrupt is fired alone and its threads are
 * waited for, so that every interrupt is handled on its own.
 *
 * Context: process context; may sleep.
 * Return: nanoseconds spent in the hard-IRQ stretches.
 */
u64 wdm_bench_fire(const unsigned int *virq, unsigned int nvirq,
		   unsigned int count)
{
	unsigned int i, n, chunk;
	u64 ns = 0;

	if (wdm_bench_threaded) {
		for (i = 0; i < count; i++) {
			ns += wdm_test_fire_many(&virq[i % nvirq], 1, 1);
			synchronize_irq(virq[i % nvirq]);
		}
		return ns;
	}
	/* Whole turns of the round robin per stretch, so that it goes on evenly. */
	chunk = max(WDM_BENCH_CHUNK / nvirq, 1U) * nvirq;
	for (i = 0; i < count; i += n) {
		n = min(count - i, chunk);
		ns += wdm_test_fire_many(virq, nvirq, n);
	}
	return ns;
}

static int wdm_bench_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* The median of @v (sorted in place); 0 for no values. */
u64 wdm_bench_median(u64 *v, unsigned int n)
{
	if (!n)
		return 0;
	sort(v, n, sizeof(*v), wdm_bench_cmp_u64, NULL);
	return n & 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * The median over i of num[i] / den[i], in thousandths: each ratio is taken
 * between two figures measured next to each other, so that a slower stretch
 * of the host affects both. @tmp holds @n values.
 */
u64 wdm_bench_ratio_milli(const u64 *num, const u64 *den, u64 *tmp,
			  unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		tmp[i] = den[i] ? div64_u64(num[i] * 1000, den[i]) : 0;
	return wdm_bench_median(tmp, n);
}

/* " KEY=I.FFF" for a value in thousandths. */
void wdm_bench_put_milli(struct seq_buf *s, const char *key, u64 milli)
{
	seq_buf_printf(s, " %s=%llu.%03llu", key, milli / 1000, milli % 1000);
}

/* Time @n calls of @fn in stretches of 10000 with local interrupts off. */
static u64 wdm_bench_clock_time(u64 (*fn)(void), unsigned int n)
{
	unsigned int i, j, stretch;
	unsigned long flags;
	u64 t0, ns = 0;

	for (i = 0; i < n; i += stretch) {
		stretch = min(n - i, 10000U);
		local_irq_save(flags);
		t0 = local_clock();
		for (j = 0; j < stretch; j++)
			fn();
		ns += local_clock() - t0;
		local_irq_restore(flags);
		cond_resched();
	}
	return ns;
}

static u64 wdm_bench_local_clock(void)
{
	return local_clock();
}

static u64 wdm_bench_get_cycles(void)
{
	return get_cycles();
}

static const struct {
	const char *name;
	u64 (*fn)(void);
} wdm_bench_clocks[] = {
	{ "local_clock", wdm_bench_local_clock },
	{ "get_cycles", wdm_bench_get_cycles },
};

/*
 * clock: what one call of local_clock() costs here, the clock wdm.ko's
 * statistics read twice per ISR call (and around each DPC), and one of
 * get_cycles(), the CPU's cycle counter, for comparison. "N" calls each N
 * times, as from a hard handler (local interrupts off).
 */
static int wdm_bench_clock_run(const char *args, struct seq_buf *out)
{
	unsigned int n, k;
	u64 ns;

	if (kstrtouint(args, 0, &n) || !n || n > 100000000)
		return -EINVAL;
	for (k = 0; k < ARRAY_SIZE(wdm_bench_clocks); k++) {
		ns = wdm_bench_clock_time(wdm_bench_clocks[k].fn, n);
		seq_buf_printf(out, "clock fn=%s calls=%u total_ns=%llu",
			       wdm_bench_clocks[k].name, n, ns);
		wdm_bench_put_milli(out, "ns_per_call", div64_u64(ns * 1000, n));
		seq_buf_printf(out, "\n");
	}
	return 0;
}

/*
 * debugfs
 */

struct wdm_bench_file {
	const char *name;
	int (*run)(const char *args, struct seq_buf *out);
	struct mutex lock;	/* one run at a time; protects out and len */
	char *out;		/* the last run's result lines */
	size_t len;
};

static struct wdm_bench_file wdm_bench_files[] = {
	{ .name = "dispatch", .run = wdm_bench_dispatch_run },
	{ .name = "scaling", .run = wdm_bench_scaling_run },
	{ .name = "clock", .run = wdm_bench_clock_run },
};

static struct dentry *wdm_bench_dir;

static ssize_t wdm_bench_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct wdm_bench_file *bf = file->private_data;
	char args[WDM_BENCH_ARGS_MAX];
	struct seq_buf s;
	int err;

	if (count >= sizeof(args))
		return -EINVAL;
	if (copy_from_user(args, ubuf, count))
		return -EFAULT;
	args[count] = '\0';

	mutex_lock(&bf->lock);
	bf->len = 0;
	seq_buf_init(&s, bf->out, WDM_BENCH_OUT_SIZE);
	err = bf->run(strim(args), &s);
	if (!err && seq_buf_has_overflowed(&s))
		err = -EOVERFLOW;
	if (!err)
		bf->len = seq_buf_used(&s);
	mutex_unlock(&bf->lock);
	return err ? err : count;
}

static ssize_t wdm_bench_read(struct file *file, char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	struct wdm_bench_file *bf = file->private_data;
	ssize_t ret;

	mutex_lock(&bf->lock);
	ret = simple_read_from_buffer(ubuf, count, ppos, bf->out, bf->len);
	mutex_unlock(&bf->lock);
	return ret;
}

static const struct file_operations wdm_bench_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = wdm_bench_read,
	.write = wdm_bench_write,
	.llseek = default_llseek,
};

/*
 * Module
 */

/* Records whether a request_irq() handler runs outside hard-IRQ context. */
static irqreturn_t wdm_bench_probe_handler(int irq, void *dev_id)
{
	bool *threaded = dev_id;

	*threaded = !in_hardirq();
	return IRQ_HANDLED;
}

/*
 * Are handlers threaded here (PREEMPT_RT, threadirqs)? Fire one interrupt and
 * ask the handler. Whether it had run by the time the fire returned says
 * nothing: a forced thread may already have run, on the other CPU or by
 * preempting this task.
 */
static int wdm_bench_probe_threaded(void)
{
	struct wdm_test_irqs ti;
	bool threaded = false;
	int err;

	err = wdm_test_irqs_create(&ti, 1);
	if (err)
		return err;
	err = request_irq(ti.virq[0], wdm_bench_probe_handler, 0, "wdm-bench-probe",
			  &threaded);
	if (!err) {
		wdm_test_fire(ti.virq[0]);
		synchronize_irq(ti.virq[0]);
		wdm_bench_threaded = threaded;
		free_irq(ti.virq[0], &threaded);
	}
	wdm_test_irqs_exit(&ti);
	return err;
}

static void wdm_bench_free_files(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(wdm_bench_files); i++) {
		kvfree(wdm_bench_files[i].out);
		wdm_bench_files[i].out = NULL;
	}
}

static int __init wdm_bench_init(void)
{
	struct wdm_bench_file *bf;
	unsigned int i;
	int err;

	err = wdm_bench_probe_threaded();
	if (err)
		return err;
	for (i = 0; i < ARRAY_SIZE(wdm_bench_files); i++) {
		bf = &wdm_bench_files[i];
		mutex_init(&bf->lock);
		bf->out = kvmalloc(WDM_BENCH_OUT_SIZE, GFP_KERNEL);
		if (!bf->out) {
			wdm_bench_free_files();
			return -ENOMEM;
		}
	}
	wdm_bench_dir = debugfs_create_dir("wdm_bench", NULL);
	for (i = 0; i < ARRAY_SIZE(wdm_bench_files); i++)
		debugfs_create_file(wdm_bench_files[i].name, 0600, wdm_bench_dir,
				    &wdm_bench_files[i], &wdm_bench_fops);
	pr_info("ready; interrupt handlers are %s\n",
		wdm_bench_threaded ? "threaded" : "hard-IRQ");
	return 0;
}
module_init(wdm_bench_init);

static void __exit wdm_bench_exit(void)
{
	debugfs_remove(wdm_bench_dir);
	wdm_bench_dispatch_release();
	wdm_bench_free_files();
}
module_exit(wdm_bench_exit);

MODULE_DESCRIPTION("Benchmarks of the wdm.ko WDM interrupt shim against plain genirq");
MODULE_LICENSE("GPL");
