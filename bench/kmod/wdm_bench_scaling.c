// SPDX-License-Identifier: GPL-2.0
/*
 * Scaling with the number of MSI-X messages, on the ivshmem-doorbell (which
 * no driver may have bound): the time to connect and to disconnect N
 * messages, and the cost of one interrupt spread over them. The shim
 * connects with IoConnectInterruptEx(CONNECT_MESSAGE_BASED) limited to N
 * messages, as a driver would; the baselines are what a Linux driver does:
 * pci_alloc_irq_vectors() and request_irq() (or request_threaded_irq()) per
 * vector. The interrupts are fired through each vector's own genirq flow
 * handler (handle_edge_irq, with the MSI chip's ack) from hard-IRQ context.
 * Each round runs every number of messages and, for each, every variant.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/interrupt.h>
#include <linux/math64.h>
#include <linux/pci.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <hw/ivshmem.h>

#include "wdm_bench.h"
#include "../../testlib/wdm_test_irq.h"

#define WDM_BENCH_MAX_VECTORS		64

enum wdm_bench_sc_variant {
	WDM_BENCH_SC_RAW,		/* request_irq() per vector */
	WDM_BENCH_SC_RAW_THREADED,	/* request_threaded_irq() per vector */
	WDM_BENCH_SC_SHIM,		/* IoConnectInterruptEx(), message based */
	WDM_BENCH_SC_VARIANTS
};

static const char * const wdm_bench_sc_names[WDM_BENCH_SC_VARIANTS] = {
	[WDM_BENCH_SC_RAW] = "raw",
	[WDM_BENCH_SC_RAW_THREADED] = "raw_threaded",
	[WDM_BENCH_SC_SHIM] = "shim",
};

enum wdm_bench_sc_figure {
	WDM_BENCH_SC_CONNECT,		/* ns to connect every vector */
	WDM_BENCH_SC_DISCONNECT,	/* ns to disconnect them */
	WDM_BENCH_SC_IRQ,		/* ns to fire and handle all interrupts */
	WDM_BENCH_SC_FIGURES
};

static const char * const wdm_bench_sc_figures[WDM_BENCH_SC_FIGURES] = {
	[WDM_BENCH_SC_CONNECT] = "connect",
	[WDM_BENCH_SC_DISCONNECT] = "disconnect",
	[WDM_BENCH_SC_IRQ] = "irq",
};

/* How the medians are reported: the time of it all, or per interrupt. */
static const char * const wdm_bench_sc_medians[WDM_BENCH_SC_FIGURES] = {
	[WDM_BENCH_SC_CONNECT] = "connect_ns",
	[WDM_BENCH_SC_DISCONNECT] = "disconnect_ns",
	[WDM_BENCH_SC_IRQ] = "ns_per_irq",
};

#define WDM_BENCH_SC_POINTS		8	/* numbers of vectors per run */

/* One number of vectors: what was connected, counted and timed. */
struct wdm_bench_sc_point {
	unsigned int nvec;
	unsigned int connected[WDM_BENCH_SC_VARIANTS];	/* messages, last rep */
	/* handler calls per vector, over all repetitions; handlers write only */
	unsigned long calls[WDM_BENCH_SC_VARIANTS][WDM_BENCH_MAX_VECTORS];
	u64 *t[WDM_BENCH_SC_VARIANTS][WDM_BENCH_SC_FIGURES];	/* [rep] */
};

struct wdm_bench_scaling {
	struct pci_dev *pdev;
	unsigned int reps, fires, npoints;
	struct wdm_bench_sc_point point[WDM_BENCH_SC_POINTS];
	struct wdm_bench_sc_point *cur;			/* the one running */
	unsigned int virq[WDM_BENCH_MAX_VECTORS];	/* the connected vectors */
	char names[WDM_BENCH_MAX_VECTORS][32];		/* the raw irqactions' */
	PIO_INTERRUPT_MESSAGE_INFO table;		/* the shim's connection */
	u64 *tmp;
};

static irqreturn_t wdm_bench_sc_handler(int irq, void *dev_id)
{
	unsigned long *calls = dev_id;

	(*calls)++;
	return IRQ_HANDLED;
}

static irqreturn_t wdm_bench_sc_thread(int irq, void *dev_id)
{
	return IRQ_HANDLED;
}

static KMESSAGE_SERVICE_ROUTINE wdm_bench_sc_isr;

_Use_decl_annotations_
static BOOLEAN wdm_bench_sc_isr(PKINTERRUPT Interrupt, PVOID ServiceContext,
				ULONG MessageID)
{
	struct wdm_bench_scaling *s = ServiceContext;

	s->cur->calls[WDM_BENCH_SC_SHIM][MessageID]++;
	return TRUE;
}

/*
 * Connect and disconnect, per variant
 */

static void wdm_bench_raw_free(struct wdm_bench_scaling *s,
			       enum wdm_bench_sc_variant v, unsigned int n)
{
	while (n--)
		free_irq(s->virq[n], &s->cur->calls[v][n]);
	pci_free_irq_vectors(s->pdev);
}

static int wdm_bench_raw_connect(struct wdm_bench_scaling *s,
				 enum wdm_bench_sc_variant v)
{
	irq_handler_t thread = v == WDM_BENCH_SC_RAW_THREADED ? wdm_bench_sc_thread : NULL;
	struct wdm_bench_sc_point *pt = s->cur;
	unsigned int i;
	int ret;

	ret = pci_alloc_irq_vectors(s->pdev, pt->nvec, pt->nvec, PCI_IRQ_MSIX);
	if (ret < 0)
		return ret;
	for (i = 0; i < pt->nvec; i++) {
		s->virq[i] = pci_irq_vector(s->pdev, i);
		ret = request_threaded_irq(s->virq[i], wdm_bench_sc_handler, thread, 0,
					   s->names[i], &pt->calls[v][i]);
		if (ret) {
			wdm_bench_raw_free(s, v, i);
			return ret;
		}
	}
	pt->connected[v] = pt->nvec;
	return 0;
}

static int wdm_bench_shim_connect(struct wdm_bench_scaling *s)
{
	struct wdm_bench_sc_point *pt = s->cur;
	IO_CONNECT_INTERRUPT_PARAMETERS p = {};
	DEVICE_OBJECT pdo;
	NTSTATUS status;
	unsigned int i;

	wdm_init_device_object(&pdo, s->pdev);
	pdo.MessageTypes = WDM_MESSAGE_MSIX;
	pdo.MessageNumberLimit = pt->nvec;
	p.Version = CONNECT_MESSAGE_BASED;
	p.MessageBased.PhysicalDeviceObject = &pdo;
	p.MessageBased.ConnectionContext.InterruptMessageTable = &s->table;
	p.MessageBased.MessageServiceRoutine = wdm_bench_sc_isr;
	p.MessageBased.ServiceContext = s;
	status = IoConnectInterruptEx(&p);
	if (!NT_SUCCESS(status))
		return wdm_ntstatus_to_errno(status);
	pt->connected[WDM_BENCH_SC_SHIM] = s->table->MessageCount;
	for (i = 0; i < s->table->MessageCount && i < pt->nvec; i++)
		s->virq[i] = s->table->MessageInfo[i].Vector;
	return 0;
}

static void wdm_bench_shim_disconnect(struct wdm_bench_scaling *s)
{
	IO_DISCONNECT_INTERRUPT_PARAMETERS p = {
		.Version = CONNECT_MESSAGE_BASED,
		.ConnectionContext.InterruptMessageTable = s->table,
	};

	IoDisconnectInterruptEx(&p);
	s->table = NULL;
}

/* One repetition of variant @v on the current point: connect, fire, disconnect. */
static int wdm_bench_sc_rep(struct wdm_bench_scaling *s,
			    enum wdm_bench_sc_variant v, unsigned int rep)
{
	struct wdm_bench_sc_point *pt = s->cur;
	u64 t0, t1;
	int err;

	t0 = ktime_get_ns();
	if (v == WDM_BENCH_SC_SHIM)
		err = wdm_bench_shim_connect(s);
	else
		err = wdm_bench_raw_connect(s, v);
	t1 = ktime_get_ns();
	if (err)
		return err;
	pt->t[v][WDM_BENCH_SC_CONNECT][rep] = t1 - t0;

	/* A short table would be a shim bug: report it, fire nothing. */
	if (pt->connected[v] == pt->nvec)
		pt->t[v][WDM_BENCH_SC_IRQ][rep] = wdm_bench_fire(s->virq, pt->nvec, s->fires);

	t0 = ktime_get_ns();
	if (v == WDM_BENCH_SC_SHIM)
		wdm_bench_shim_disconnect(s);
	else
		wdm_bench_raw_free(s, v, pt->nvec);
	t1 = ktime_get_ns();
	pt->t[v][WDM_BENCH_SC_DISCONNECT][rep] = t1 - t0;
	return 0;
}

/*
 * Set-up, run, report
 */

static void wdm_bench_sc_free(struct wdm_bench_scaling *s)
{
	unsigned int k, v, f;

	for (k = 0; k < WDM_BENCH_SC_POINTS; k++)
		for (v = 0; v < WDM_BENCH_SC_VARIANTS; v++)
			for (f = 0; f < WDM_BENCH_SC_FIGURES; f++)
				kvfree(s->point[k].t[v][f]);
	kvfree(s->tmp);
	if (s->pdev) {
		pci_disable_device(s->pdev);
		pci_dev_put(s->pdev);
	}
	kvfree(s);
}

static int wdm_bench_sc_alloc(struct wdm_bench_scaling *s)
{
	unsigned int k, v, f, i;

	for (k = 0; k < s->npoints; k++) {
		for (v = 0; v < WDM_BENCH_SC_VARIANTS; v++) {
			for (f = 0; f < WDM_BENCH_SC_FIGURES; f++) {
				s->point[k].t[v][f] = kvcalloc(s->reps, sizeof(u64), GFP_KERNEL);
				if (!s->point[k].t[v][f])
					return -ENOMEM;
			}
		}
	}
	s->tmp = kvcalloc(s->reps, sizeof(u64), GFP_KERNEL);
	if (!s->tmp)
		return -ENOMEM;
	for (i = 0; i < WDM_BENCH_MAX_VECTORS; i++)
		snprintf(s->names[i], sizeof(s->names[i]), "wdm-bench-raw[%u]", i);
	return 0;
}

/* The ivshmem-doorbell, enabled, if no driver has it and it has @nvec vectors. */
static int wdm_bench_sc_device(struct wdm_bench_scaling *s, unsigned int nvec)
{
	s->pdev = pci_get_device(IVSHMEM_VENDOR_ID, IVSHMEM_DEVICE_ID, NULL);
	if (!s->pdev)
		return -ENODEV;
	if (s->pdev->driver || pci_enable_device(s->pdev)) {
		pci_dev_put(s->pdev);
		s->pdev = NULL;
		return -EBUSY;
	}
	pci_set_master(s->pdev);
	if (pci_msix_vec_count(s->pdev) < (int)nvec)
		return -ERANGE;
	return 0;
}

/*
 * Each round runs every point once, and at each point every variant once,
 * starting one further along: all the figures of a point, and all the
 * points, are measured side by side.
 */
static int wdm_bench_sc_rounds(struct wdm_bench_scaling *s)
{
	unsigned int r, k, j, v;
	int err;

	for (r = 0; r < s->reps; r++) {
		for (k = 0; k < s->npoints; k++) {
			s->cur = &s->point[k];
			for (j = 0; j < WDM_BENCH_SC_VARIANTS; j++) {
				v = (r + j) % WDM_BENCH_SC_VARIANTS;
				err = wdm_bench_sc_rep(s, v, r);
				if (err) {
					pr_err("scaling: %u vectors, %s: %d\n", s->cur->nvec,
					       wdm_bench_sc_names[v], err);
					return err;
				}
			}
			cond_resched();
		}
		if (signal_pending(current))
			return -EINTR;
	}
	return 0;
}

/* The median of figure @f of variant @v at @pt, per interrupt for irq. */
static u64 wdm_bench_sc_median(struct wdm_bench_scaling *s,
			       struct wdm_bench_sc_point *pt,
			       enum wdm_bench_sc_variant v,
			       enum wdm_bench_sc_figure f)
{
	unsigned int i;

	for (i = 0; i < s->reps; i++)
		s->tmp[i] = f == WDM_BENCH_SC_IRQ ?
			    div_u64(pt->t[v][f][i] * 1000, s->fires) : pt->t[v][f][i] * 1000;
	return wdm_bench_median(s->tmp, s->reps);
}

static void wdm_bench_sc_report_point(struct wdm_bench_scaling *s,
				      struct wdm_bench_sc_point *pt,
				      struct seq_buf *out)
{
	unsigned long lo, hi, sum;
	unsigned int v, f, i;
	char key[24];

	for (v = 0; v < WDM_BENCH_SC_VARIANTS; v++) {
		lo = ULONG_MAX;
		hi = 0;
		sum = 0;
		for (i = 0; i < pt->nvec; i++) {
			lo = min(lo, pt->calls[v][i]);
			hi = max(hi, pt->calls[v][i]);
			sum += pt->calls[v][i];
		}
		seq_buf_printf(out, "scaling vectors=%u variant=%s connected=%u handled=%lu",
			       pt->nvec, wdm_bench_sc_names[v], pt->connected[v], sum);
		seq_buf_printf(out, " per_vector_min=%lu per_vector_max=%lu", lo, hi);
		for (f = 0; f < WDM_BENCH_SC_FIGURES; f++) {
			snprintf(key, sizeof(key), "%s_ratio", wdm_bench_sc_figures[f]);
			wdm_bench_put_milli(out, key,
					    wdm_bench_ratio_milli(pt->t[v][f],
								  pt->t[WDM_BENCH_SC_RAW][f],
								  s->tmp, s->reps));
		}
		for (f = 0; f < WDM_BENCH_SC_FIGURES; f++)
			wdm_bench_put_milli(out, wdm_bench_sc_medians[f],
					    wdm_bench_sc_median(s, pt, v, f));
		seq_buf_printf(out, "\n");
	}
}

/**
 * wdm_bench_scaling_run() - the scaling benchmark
 * @args: "REPS FIRES N...": up to 8 numbers of MSI-X messages N (1..64),
 *	each connected REPS times per variant, with FIRES interrupts (a
 *	multiple of every N) round robin over them each time
 * @out: receives a "scaling reps=..." line, then for each N one line per
 *	variant with the messages connected, the handler calls (in all, and
 *	the least and most per vector), the median per-repetition ratio of
 *	each figure to the request_irq() baseline, and the median connect_ns,
 *	disconnect_ns and ns_per_irq
 *
 * Context: process context; sleeps.
 * Return: 0; -EINVAL for bad arguments; -ENODEV without an ivshmem-doorbell,
 * -EBUSY if a driver has it, -ERANGE if it has fewer vectors; -EINTR if a
 * signal stopped it; else the error of a failed connect.
 */
int wdm_bench_scaling_run(const char *args, struct seq_buf *out)
{
	unsigned int k, nmax = 0;
	struct wdm_bench_scaling *s;
	int n, used, err;

	s = kvzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	err = -EINVAL;
	if (sscanf(args, "%u %u%n", &s->reps, &s->fires, &used) != 2 || !s->reps || !s->fires)
		goto out_free;
	for (args += used; s->npoints < WDM_BENCH_SC_POINTS; args += used) {
		if (sscanf(args, "%d%n", &n, &used) != 1)
			break;
		if (n < 1 || n > WDM_BENCH_MAX_VECTORS || s->fires % n)
			goto out_free;
		s->point[s->npoints++].nvec = n;
		nmax = max_t(unsigned int, nmax, n);
	}
	if (!s->npoints || *skip_spaces(args))
		goto out_free;

	err = wdm_bench_sc_alloc(s);
	if (!err)
		err = wdm_bench_sc_device(s, nmax);
	if (!err)
		err = wdm_bench_sc_rounds(s);
	if (err)
		goto out_free;
	seq_buf_printf(out, "scaling reps=%u fires=%u threaded=%d\n", s->reps, s->fires,
		       wdm_bench_threaded);
	for (k = 0; k < s->npoints; k++)
		wdm_bench_sc_report_point(s, &s->point[k], out);
out_free:
	wdm_bench_sc_free(s);
	return err;
}
