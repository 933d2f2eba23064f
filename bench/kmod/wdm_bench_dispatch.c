// SPDX-License-Identifier: GPL-2.0
/*
 * Dispatch cost: what one interrupt costs through genirq with a raw Linux
 * handler, and with the shim's ISRs connected by IoConnectInterruptEx(), as
 * a driver would. Interrupts come from a private irq domain, fired back to
 * back from hard-IRQ context. The variants take turns, one batch each per
 * round, so that every ratio is between batches run next to each other.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/interrupt.h>
#include <linux/math64.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "wdm_bench.h"
#include "../../testlib/wdm_test_irq.h"

#define WDM_BENCH_CHAIN		4	/* handlers on a shared line */
#define WDM_BENCH_BATCH_MAX	1024	/* interrupts per batch, and DPCs */

enum wdm_bench_variant {
	WDM_BENCH_RAW,		/* request_irq(); IRQ_HANDLED */
	WDM_BENCH_SHIM,		/* shim ISR; TRUE */
	WDM_BENCH_SHIM_DPC,	/* shim ISR; queues a DPC, TRUE */
	WDM_BENCH_RAW_CHAIN,	/* 4 shared handlers: IRQ_NONE x3, IRQ_HANDLED */
	WDM_BENCH_SHIM_CHAIN,	/* 4 shared shim ISRs: FALSE x3, TRUE */
	WDM_BENCH_VARIANTS
};

static const struct {
	const char *name;
	bool shim;
	unsigned int handlers;
} wdm_bench_variants[WDM_BENCH_VARIANTS] = {
	[WDM_BENCH_RAW] = { "raw", false, 1 },
	[WDM_BENCH_SHIM] = { "shim", true, 1 },
	[WDM_BENCH_SHIM_DPC] = { "shim_dpc", true, 1 },
	[WDM_BENCH_RAW_CHAIN] = { "raw_chain4", false, WDM_BENCH_CHAIN },
	[WDM_BENCH_SHIM_CHAIN] = { "shim_chain4", true, WDM_BENCH_CHAIN },
};

struct wdm_bench_dispatch;

/* One handler or ISR: what it returns, and how often it ran. */
struct wdm_bench_handler {
	struct wdm_bench_dispatch *d;
	bool handled;			/* IRQ_HANDLED / TRUE, else NONE / FALSE */
	unsigned long calls;		/* written by the handler only */
	PKINTERRUPT intr;		/* shim: its interrupt object */
};

struct wdm_bench_dispatch {
	struct wdm_test_irqs irqs;	/* virq[v]: the interrupt of variant v */
	DEVICE_OBJECT pdo;
	struct wdm_bench_handler h[WDM_BENCH_VARIANTS][WDM_BENCH_CHAIN];
	unsigned int connected[WDM_BENCH_VARIANTS];
	/* the DPC variant: a DPC of its own for each interrupt of a batch */
	KDPC dpc[WDM_BENCH_BATCH_MAX];
	unsigned int dpc_next;		/* under the ISR's interrupt lock */
	unsigned long dpc_queued;	/* likewise */
	atomic_long_t dpc_runs;
	unsigned int rounds;
	u64 *ns[WDM_BENCH_VARIANTS];	/* ns[v][round]: one batch's time */
	u64 *tmp;
};

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
	struct wdm_bench_dispatch *d = h->d;

	h->calls++;
	if (KeInsertQueueDpc(&d->dpc[d->dpc_next], NULL, NULL))
		d->dpc_queued++;
	d->dpc_next = (d->dpc_next + 1) % WDM_BENCH_BATCH_MAX;
	return TRUE;
}

static KDEFERRED_ROUTINE wdm_bench_dpc;

_Use_decl_annotations_
static VOID wdm_bench_dpc(PKDPC Dpc, PVOID DeferredContext,
			  PVOID SystemArgument1, PVOID SystemArgument2)
{
	struct wdm_bench_dispatch *d = DeferredContext;

	atomic_long_inc(&d->dpc_runs);
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

	h->d = d;
	/* On a chain, only the last handler claims the interrupt. */
	h->handled = k == wdm_bench_variants[v].handlers - 1;
	if (!wdm_bench_variants[v].shim)
		return request_irq(virq, wdm_bench_raw_handler, chain ? IRQF_SHARED : 0,
				   "wdm-bench-raw", h);

	wdm_test_fully_specified(&p, &d->pdo, virq, &h->intr,
				 v == WDM_BENCH_SHIM_DPC ? wdm_bench_dpc_isr : wdm_bench_isr, h);
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
	unsigned int v;

	for (v = 0; v < WDM_BENCH_VARIANTS; v++)
		kvfree(d->ns[v]);
	kvfree(d->tmp);
	wdm_test_irqs_exit(&d->irqs);
	kvfree(d);
}

static struct wdm_bench_dispatch *wdm_bench_dispatch_alloc(unsigned int rounds)
{
	struct wdm_bench_dispatch *d = kvzalloc(sizeof(*d), GFP_KERNEL);
	unsigned int v, i;

	if (!d)
		return NULL;
	d->rounds = rounds;
	for (v = 0; v < WDM_BENCH_VARIANTS; v++) {
		d->ns[v] = kvcalloc(rounds, sizeof(u64), GFP_KERNEL);
		if (!d->ns[v])
			goto err_free;
	}
	d->tmp = kvcalloc(rounds, sizeof(u64), GFP_KERNEL);
	if (!d->tmp || wdm_test_irqs_create(&d->irqs, WDM_BENCH_VARIANTS))
		goto err_free;
	wdm_init_device_object(&d->pdo, NULL);
	for (i = 0; i < WDM_BENCH_BATCH_MAX; i++)
		KeInitializeDpc(&d->dpc[i], wdm_bench_dpc, d);
	atomic_long_set(&d->dpc_runs, 0);
	return d;

err_free:
	wdm_bench_dispatch_free(d);
	return NULL;
}

/*
 * Run and report
 */

/* Each round fires one batch of each variant, starting one further along. */
static int wdm_bench_dispatch_rounds(struct wdm_bench_dispatch *d,
				     unsigned int batch)
{
	unsigned int r, j, v;

	for (r = 0; r < d->rounds; r++) {
		for (j = 0; j < WDM_BENCH_VARIANTS; j++) {
			v = (r + j) % WDM_BENCH_VARIANTS;
			d->ns[v][r] = wdm_bench_fire(&d->irqs.virq[v], 1, batch);
			/* Every DPC runs before its object is queued again. */
			if (v == WDM_BENCH_SHIM_DPC)
				KeFlushQueuedDpcs();
		}
		if (signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	return 0;
}

static void wdm_bench_dispatch_report(struct wdm_bench_dispatch *d,
				      unsigned int batch, struct seq_buf *out)
{
	unsigned long handled, declined;
	unsigned int v, k, r;
	u64 sum;

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
		seq_buf_printf(out, "dispatch variant=%s handlers=%u handled=%lu declined=%lu",
			       wdm_bench_variants[v].name, wdm_bench_variants[v].handlers,
			       handled, declined);
		if (v == WDM_BENCH_SHIM_DPC)
			seq_buf_printf(out, " dpc_queued=%lu dpc_runs=%ld", d->dpc_queued,
				       atomic_long_read(&d->dpc_runs));
		wdm_bench_put_milli(out, "ratio_to_raw",
				    wdm_bench_ratio_milli(d->ns[v], d->ns[WDM_BENCH_RAW],
							  d->tmp, d->rounds));
		sum = 0;
		for (r = 0; r < d->rounds; r++) {
			sum += d->ns[v][r];
			d->tmp[r] = div_u64(d->ns[v][r] * 1000, batch);
		}
		wdm_bench_put_milli(out, "ns_per_irq", wdm_bench_median(d->tmp, d->rounds));
		wdm_bench_put_milli(out, "mean_ns_per_irq",
				    div_u64(sum * 1000, d->rounds * batch));
		seq_buf_printf(out, "\n");
	}
}

/**
 * wdm_bench_dispatch_run() - the dispatch benchmark
 * @args: "N BATCH": N interrupts per variant, in batches of BATCH
 *	(1..1024, dividing N)
 * @out: receives one "dispatch fired=..." line, then one line per variant
 *	with its handler counts, ns_per_irq (the median over the batches),
 *	mean_ns_per_irq and ratio_to_raw (the median of the per-round ratios)
 *
 * Context: process context; sleeps; runs for as long as it takes.
 * Return: 0, -EINVAL for bad arguments, -EINTR if a signal stopped it,
 * or the error of a failed set-up.
 */
int wdm_bench_dispatch_run(const char *args, struct seq_buf *out)
{
	struct wdm_bench_dispatch *d;
	unsigned int n, batch;
	int err;

	if (sscanf(args, "%u %u", &n, &batch) != 2 || !batch ||
	    batch > WDM_BENCH_BATCH_MAX || n < batch || n % batch)
		return -EINVAL;
	d = wdm_bench_dispatch_alloc(n / batch);
	if (!d)
		return -ENOMEM;
	err = wdm_bench_connect(d);
	if (err)
		goto out_free;
	err = wdm_bench_dispatch_rounds(d, batch);
	wdm_bench_disconnect(d);
	if (!err)
		wdm_bench_dispatch_report(d, batch, out);
out_free:
	wdm_bench_dispatch_free(d);
	return err;
}
