// SPDX-License-Identifier: GPL-2.0
/*
 * Dispatch cost: what one interrupt costs through genirq with a raw Linux
 * handler, and with the shim's ISRs connected by IoConnectInterruptEx(), as
 * a driver would. Interrupts come from a private irq domain, fired back to
 * back from hard-IRQ context. The variants take turns, one batch each per
 * round, so that every ratio is between batches run next to each other.
 *
 * The firing is timed in hard-IRQ context: for an ISR that queues a DPC,
 * the ISR and the queuing. Where the DPCs run (softirq as the interrupt
 * exits, or the interrupt's thread for threaded DPCs) is outside that
 * figure, so those variants are timed a second time, from just before a
 * batch is fired until its last DPC has run.
 *
 * A run's interrupt objects stay connected until the next run or until the
 * module is unloaded, so that wdm.ko's statistics of them (its debugfs
 * files, named after each variant's IRQ) can be read after the run.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/interrupt.h>
#include <linux/math64.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "wdm_bench.h"
#include "../../testlib/wdm_test_irq.h"

#define WDM_BENCH_CHAIN		4	/* handlers on a shared line */
/*
 * Interrupts per batch, and DPCs. The threaded DPCs' ISR makes genirq wake
 * the thread (IRQ_WAKE_THREAD), and genirq counts such an interrupt
 * unhandled if the thread has not finished since the one before: up to all
 * but the first of a batch. Past 99,900 of 100,000 it disables the line
 * ("nobody cared"), which batches of at most 1000 never reach.
 */
#define WDM_BENCH_BATCH_MAX	1000
/* How long a batch's DPCs may take to run before the run gives up. */
#define WDM_BENCH_DPC_TIMEOUT	(10 * HZ)

enum wdm_bench_variant {
	WDM_BENCH_RAW,		/* request_irq(); IRQ_HANDLED */
	WDM_BENCH_SHIM,		/* shim ISR; TRUE */
	WDM_BENCH_SHIM_DPC,	/* shim ISR; queues a DPC, TRUE */
	WDM_BENCH_SHIM_TDPC,	/* shim ISR; queues a threaded DPC, TRUE */
	WDM_BENCH_RAW_CHAIN,	/* 4 shared handlers: IRQ_NONE x3, IRQ_HANDLED */
	WDM_BENCH_SHIM_CHAIN,	/* 4 shared shim ISRs: FALSE x3, TRUE */
	WDM_BENCH_VARIANTS
};

/* The DPC variants' kinds of DPC. */
enum wdm_bench_dpc_kind {
	WDM_BENCH_NO_DPC = -1,
	WDM_BENCH_DPC,		/* KeInitializeDpc(): softirq, DISPATCH_LEVEL */
	WDM_BENCH_TDPC,		/* KeInitializeThreadedDpc(): irq thread, PASSIVE_LEVEL */
	WDM_BENCH_DPC_KINDS
};

static const struct {
	const char *name;
	bool shim;
	unsigned int handlers;
	enum wdm_bench_dpc_kind dpc;
} wdm_bench_variants[WDM_BENCH_VARIANTS] = {
	[WDM_BENCH_RAW] = { "raw", false, 1, WDM_BENCH_NO_DPC },
	[WDM_BENCH_SHIM] = { "shim", true, 1, WDM_BENCH_NO_DPC },
	[WDM_BENCH_SHIM_DPC] = { "shim_dpc", true, 1, WDM_BENCH_DPC },
	[WDM_BENCH_SHIM_TDPC] = { "shim_tdpc", true, 1, WDM_BENCH_TDPC },
	[WDM_BENCH_RAW_CHAIN] = { "raw_chain4", false, WDM_BENCH_CHAIN, WDM_BENCH_NO_DPC },
	[WDM_BENCH_SHIM_CHAIN] = { "shim_chain4", true, WDM_BENCH_CHAIN, WDM_BENCH_NO_DPC },
};

/*
 * A DPC variant's DPCs: one of its own for each interrupt of a batch, so
 * that every interrupt queues one, and the record of their runs.
 */
struct wdm_bench_dpcs {
	KDPC dpc[WDM_BENCH_BATCH_MAX];
	KIRQL irql;			/* where the routine should run */
	unsigned int next;		/* under the ISR's interrupt lock */
	unsigned long queued;		/* likewise */
	atomic_long_t runs;
	atomic_long_t wrong_irql;	/* runs at another IRQL than @irql */
	long last;			/* @runs when a batch's last DPC has run */
	u64 done_ns;			/* ktime_get_ns() when it ran */
	struct completion batch_done;	/* completed by that run */
	u64 *ns;			/* ns[round]: batch fired to last DPC done */
};

/* One handler or ISR: what it returns, and how often it ran. */
struct wdm_bench_handler {
	struct wdm_bench_dpcs *dpcs;	/* the DPCs its ISR queues, if any */
	bool handled;			/* IRQ_HANDLED / TRUE, else NONE / FALSE */
	unsigned long calls;		/* written by the handler only */
	PKINTERRUPT intr;		/* shim: its interrupt object */
};

struct wdm_bench_dispatch {
	struct wdm_test_irqs irqs;	/* virq[v]: the interrupt of variant v */
	DEVICE_OBJECT pdo;
	struct wdm_bench_handler h[WDM_BENCH_VARIANTS][WDM_BENCH_CHAIN];
	unsigned int connected[WDM_BENCH_VARIANTS];
	struct wdm_bench_dpcs dpcs[WDM_BENCH_DPC_KINDS];
	unsigned int rounds;
	u64 *ns[WDM_BENCH_VARIANTS];	/* ns[v][round]: one batch's time */
	u64 *tmp;
};

/*
 * The last successful run, still connected: serialised by the caller of
 * wdm_bench_dispatch_run() (one run at a time) and by module unload.
 */
static struct wdm_bench_dispatch *wdm_bench_last;

/* The DPCs variant @v queues, or NULL. */
static struct wdm_bench_dpcs *wdm_bench_dpcs_of(struct wdm_bench_dispatch *d,
						enum wdm_bench_variant v)
{
	enum wdm_bench_dpc_kind kind = wdm_bench_variants[v].dpc;

	return kind == WDM_BENCH_NO_DPC ? NULL : &d->dpcs[kind];
}

static irqreturn_t wdm_bench_raw_handler(int irq, void *dev_id)
{
	struct wdm_bench_handler *h = dev_id;

	h->calls++;
	return h->handled ? IRQ_HANDLED : IRQ_NONE;
}

static KSERVICE_ROUTINE wdm_bench_isr;

_Use_decl_annotations_
static BOOLEAN wdm_bench_isr(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
	struct wdm_bench_handler *h = ServiceContext;

	h->calls++;
	return h->handled;
}

static KSERVICE_ROUTINE wdm_bench_dpc_isr;

_Use_decl_annotations_
static BOOLEAN wdm_bench_dpc_isr(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
	struct wdm_bench_handler *h = ServiceContext;
	struct wdm_bench_dpcs *q = h->dpcs;

	h->calls++;
	if (KeInsertQueueDpc(&q->dpc[q->next], NULL, NULL))
		q->queued++;
	q->next = (q->next + 1) % WDM_BENCH_BATCH_MAX;
	return TRUE;
}

static KDEFERRED_ROUTINE wdm_bench_dpc;

/* Counts its run; the batch's last run takes the time and says so. */
_Use_decl_annotations_
static VOID wdm_bench_dpc(PKDPC Dpc, PVOID DeferredContext,
			  PVOID SystemArgument1, PVOID SystemArgument2)
{
	struct wdm_bench_dpcs *q = DeferredContext;

	if (unlikely(KeGetCurrentIrql() != q->irql))
		atomic_long_inc(&q->wrong_irql);
	if (atomic_long_inc_return(&q->runs) == READ_ONCE(q->last)) {
		q->done_ns = ktime_get_ns();
		complete(&q->batch_done);
	}
}

/*
 * Set-up
 */

static int wdm_bench_connect_one(struct wdm_bench_dispatch *d,
				 enum wdm_bench_variant v, unsigned int k)
{
	unsigned int virq = d->irqs.virq[v];
	bool chain = wdm_bench_variants[v].handlers > 1;
	struct wdm_bench_handler *h = &d->h[v][k];
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	NTSTATUS status;

	/* On a chain, only the last handler claims the interrupt. */
	h->handled = k == wdm_bench_variants[v].handlers - 1;
	if (!wdm_bench_variants[v].shim)
		return request_irq(virq, wdm_bench_raw_handler, chain ? IRQF_SHARED : 0,
				   "wdm-bench-raw", h);

	h->dpcs = wdm_bench_dpcs_of(d, v);
	wdm_test_fully_specified(&p, &d->pdo, virq, &h->intr,
				 h->dpcs ? wdm_bench_dpc_isr : wdm_bench_isr, h);
	p.FullySpecified.ShareVector = chain;
	status = IoConnectInterruptEx(&p);
	return wdm_ntstatus_to_errno(status);
}

static void wdm_bench_disconnect(struct wdm_bench_dispatch *d)
{
	struct wdm_bench_handler *h;
	unsigned int v, k;

	for (v = 0; v < WDM_BENCH_VARIANTS; v++) {
		for (k = d->connected[v]; k-- > 0;) {
			h = &d->h[v][k];
			if (wdm_bench_variants[v].shim)
				wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, h->intr);
			else
				free_irq(d->irqs.virq[v], h);
		}
		d->connected[v] = 0;
	}
}

static int wdm_bench_connect(struct wdm_bench_dispatch *d)
{
	unsigned int v, k;
	int err;

	for (v = 0; v < WDM_BENCH_VARIANTS; v++) {
		for (k = 0; k < wdm_bench_variants[v].handlers; k++) {
			err = wdm_bench_connect_one(d, v, k);
			if (err) {
				pr_err("dispatch: connecting %s handler %u: %d\n",
				       wdm_bench_variants[v].name, k, err);
				wdm_bench_disconnect(d);
				return err;
			}
			d->connected[v]++;
		}
	}
	return 0;
}

static void wdm_bench_dispatch_free(struct wdm_bench_dispatch *d)
{
	unsigned int v, k;

	for (v = 0; v < WDM_BENCH_VARIANTS; v++)
		kvfree(d->ns[v]);
	for (k = 0; k < WDM_BENCH_DPC_KINDS; k++)
		kvfree(d->dpcs[k].ns);
	kvfree(d->tmp);
	wdm_test_irqs_exit(&d->irqs);
	kvfree(d);
}

/* A DPC variant's DPCs, and its times; -ENOMEM. */
static int wdm_bench_dpcs_init(struct wdm_bench_dpcs *q, enum wdm_bench_dpc_kind kind,
			       unsigned int rounds)
{
	unsigned int i;

	q->ns = kvcalloc(rounds, sizeof(u64), GFP_KERNEL);
	if (!q->ns)
		return -ENOMEM;
	for (i = 0; i < WDM_BENCH_BATCH_MAX; i++) {
		if (kind == WDM_BENCH_TDPC)
			KeInitializeThreadedDpc(&q->dpc[i], wdm_bench_dpc, q);
		else
			KeInitializeDpc(&q->dpc[i], wdm_bench_dpc, q);
	}
	q->irql = kind == WDM_BENCH_TDPC ? PASSIVE_LEVEL : DISPATCH_LEVEL;
	atomic_long_set(&q->runs, 0);
	atomic_long_set(&q->wrong_irql, 0);
	init_completion(&q->batch_done);
	return 0;
}

static struct wdm_bench_dispatch *wdm_bench_dispatch_alloc(unsigned int rounds)
{
	struct wdm_bench_dispatch *d = kvzalloc(sizeof(*d), GFP_KERNEL);
	unsigned int v, k;

	if (!d)
		return NULL;
	d->rounds = rounds;
	for (v = 0; v < WDM_BENCH_VARIANTS; v++) {
		d->ns[v] = kvcalloc(rounds, sizeof(u64), GFP_KERNEL);
		if (!d->ns[v])
			goto err_free;
	}
	for (k = 0; k < WDM_BENCH_DPC_KINDS; k++)
		if (wdm_bench_dpcs_init(&d->dpcs[k], k, rounds))
			goto err_free;
	d->tmp = kvcalloc(rounds, sizeof(u64), GFP_KERNEL);
	if (!d->tmp || wdm_test_irqs_create(&d->irqs, WDM_BENCH_VARIANTS))
		goto err_free;
	wdm_init_device_object(&d->pdo, NULL);
	return d;

err_free:
	wdm_bench_dispatch_free(d);
	return NULL;
}

/*
 * Run and report
 */

/*
 * Fire batch @r of DPC variant @v: ns[v][r], the firing in hard-IRQ context,
 * and @q->ns[r], from just before the firing until the batch's last DPC
 * has run. ktime_get_ns() at both ends: the threaded DPCs may run on
 * another CPU.
 */
static int wdm_bench_fire_dpcs(struct wdm_bench_dispatch *d, enum wdm_bench_variant v,
			       struct wdm_bench_dpcs *q, unsigned int r, unsigned int batch)
{
	long left;
	u64 start;

	reinit_completion(&q->batch_done);
	WRITE_ONCE(q->last, atomic_long_read(&q->runs) + batch);
	start = ktime_get_ns();
	d->ns[v][r] = wdm_bench_fire(&d->irqs.virq[v], 1, batch);
	left = wait_for_completion_interruptible_timeout(&q->batch_done,
							 WDM_BENCH_DPC_TIMEOUT);
	if (left < 0)
		return -EINTR;
	if (!left) {
		pr_err("dispatch: %s: %ld of %lu DPCs ran\n", wdm_bench_variants[v].name,
		       atomic_long_read(&q->runs), q->queued);
		return -ETIMEDOUT;
	}
	q->ns[r] = q->done_ns - start;
	/* Every DPC has returned before its object is queued again. */
	KeFlushQueuedDpcs();
	return 0;
}

/* Each round fires one batch of each variant, starting one further along. */
static int wdm_bench_dispatch_rounds(struct wdm_bench_dispatch *d,
				     unsigned int batch)
{
	struct wdm_bench_dpcs *q;
	unsigned int r, j, v;
	int err;

	for (r = 0; r < d->rounds; r++) {
		for (j = 0; j < WDM_BENCH_VARIANTS; j++) {
			v = (r + j) % WDM_BENCH_VARIANTS;
			q = wdm_bench_dpcs_of(d, v);
			if (!q) {
				d->ns[v][r] = wdm_bench_fire(&d->irqs.virq[v], 1, batch);
				continue;
			}
			err = wdm_bench_fire_dpcs(d, v, q, r, batch);
			if (err)
				return err;
		}
		if (signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	return 0;
}

/*
 * " PREFIXratio_to_raw=... PREFIXns_per_irq=... PREFIXmean_ns_per_irq=..."
 * for the batch times @ns, against the raw handler's batches.
 */
static void wdm_bench_put_batches(struct wdm_bench_dispatch *d, unsigned int batch,
				  const char *prefix, const u64 *ns, struct seq_buf *out)
{
	char key[32];
	unsigned int r;
	u64 sum = 0;

	snprintf(key, sizeof(key), "%sratio_to_raw", prefix);
	wdm_bench_put_milli(out, key, wdm_bench_ratio_milli(ns, d->ns[WDM_BENCH_RAW],
							    d->tmp, d->rounds));
	for (r = 0; r < d->rounds; r++) {
		sum += ns[r];
		d->tmp[r] = div_u64(ns[r] * 1000, batch);
	}
	snprintf(key, sizeof(key), "%sns_per_irq", prefix);
	wdm_bench_put_milli(out, key, wdm_bench_median(d->tmp, d->rounds));
	snprintf(key, sizeof(key), "%smean_ns_per_irq", prefix);
	wdm_bench_put_milli(out, key, div_u64(sum * 1000, d->rounds * batch));
}

static void wdm_bench_dispatch_report(struct wdm_bench_dispatch *d,
				      unsigned int batch, struct seq_buf *out)
{
	unsigned long handled, declined;
	struct wdm_bench_dpcs *q;
	unsigned int v, k;

	seq_buf_printf(out, "dispatch fired=%u batch=%u rounds=%u threaded=%d\n",
		       d->rounds * batch, batch, d->rounds, wdm_bench_threaded);
	for (v = 0; v < WDM_BENCH_VARIANTS; v++) {
		handled = 0;
		declined = 0;
		for (k = 0; k < wdm_bench_variants[v].handlers; k++) {
			if (d->h[v][k].handled)
				handled += d->h[v][k].calls;
			else
				declined += d->h[v][k].calls;
		}
		seq_buf_printf(out, "dispatch variant=%s irq=%u", wdm_bench_variants[v].name,
			       d->irqs.virq[v]);
		seq_buf_printf(out, " handlers=%u handled=%lu declined=%lu",
			       wdm_bench_variants[v].handlers, handled, declined);
		q = wdm_bench_dpcs_of(d, v);
		if (q)
			seq_buf_printf(out, " dpc_queued=%lu dpc_runs=%ld dpc_wrong_irql=%ld",
				       q->queued, atomic_long_read(&q->runs),
				       atomic_long_read(&q->wrong_irql));
		wdm_bench_put_batches(d, batch, "", d->ns[v], out);
		if (q)
			wdm_bench_put_batches(d, batch, "done_", q->ns, out);
		seq_buf_printf(out, "\n");
	}
}

/**
 * wdm_bench_dispatch_run() - the dispatch benchmark
 * @args: "N BATCH": N interrupts per variant, in batches of BATCH
 *	(1..1000, dividing N)
 * @out: receives one "dispatch fired=..." line, then one line per variant
 *	with its handler counts, ns_per_irq (the median over the batches),
 *	mean_ns_per_irq and ratio_to_raw (the median of the per-round ratios);
 *	the DPC variants add their DPC counts (dpc_wrong_irql: runs at another
 *	IRQL than their kind's) and the same three figures for the time from
 *	firing to the last DPC done, prefixed done_; irq= is the variant's
 *	Linux IRQ, whose objects stay connected until the next run or
 *	wdm_bench_dispatch_release()
 *
 * Context: process context; sleeps; runs for as long as it takes; one run
 * at a time.
 * Return: 0, -EINVAL for bad arguments, -EINTR if a signal stopped it,
 * -ETIMEDOUT if a batch's DPCs did not all run, or the error of a failed
 * set-up.
 */
int wdm_bench_dispatch_run(const char *args, struct seq_buf *out)
{
	struct wdm_bench_dispatch *d;
	unsigned int n, batch;
	int err;

	if (sscanf(args, "%u %u", &n, &batch) != 2 || !batch ||
	    batch > WDM_BENCH_BATCH_MAX || n < batch || n % batch)
		return -EINVAL;
	wdm_bench_dispatch_release();
	d = wdm_bench_dispatch_alloc(n / batch);
	if (!d)
		return -ENOMEM;
	err = wdm_bench_connect(d);
	if (err)
		goto out_free;
	err = wdm_bench_dispatch_rounds(d, batch);
	if (!err) {
		wdm_bench_dispatch_report(d, batch, out);
		wdm_bench_last = d;
		return 0;
	}
	wdm_bench_disconnect(d);
	/* After a failed batch, DPCs may still be queued. */
	KeFlushQueuedDpcs();
out_free:
	wdm_bench_dispatch_free(d);
	return err;
}

/**
 * wdm_bench_dispatch_release() - disconnect the last dispatch run's objects
 *
 * Context: process context; sleeps; not during a run.
 */
void wdm_bench_dispatch_release(void)
{
	struct wdm_bench_dispatch *d = wdm_bench_last;

	if (!d)
		return;
	wdm_bench_last = NULL;
	wdm_bench_disconnect(d);
	wdm_bench_dispatch_free(d);
}
