// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: interrupt insight. The log2 buckets; the counts and histograms of
 * real interrupts equal what the driver's own routines saw; the ISR and DPC
 * watchdogs report a routine past Microsoft's guidelines (25 us per ISR,
 * 100 us per DPC) once; the verifier reports an ISR that leaves a spin lock
 * held or the IRQL raised, KeSynchronizeExecution() from the ISR, and a DPC
 * that requeues itself without bound; debugfs shows the contract's files.
 */
#include <kunit/test.h>
#include <linux/fs.h>
#include <linux/interrupt.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "../module/wdm/wdm_internal.h"
#include "wdm_test.h"

struct st_ctx {
	struct wdm_test_irqs irqs;
	DEVICE_OBJECT pdo;
	PKINTERRUPT intr;
	KSPIN_LOCK lock;
	KDPC dpc;
	/* what the ISR does */
	bool alternate;			/* TRUE on odd calls, FALSE on even ones */
	bool request_dpc;		/* IoRequestDpc() on TRUE */
	bool queue_dpc;			/* KeInsertQueueDpc(&dpc) on TRUE */
	ULONG stall_us;			/* KeStallExecutionProcessor() in the ISR */
	bool leak_lock;			/* KeAcquireSpinLockAtDpcLevel(), no release */
	bool raise_irql;		/* KeRaiseIrql(HIGH_LEVEL), no lower */
	bool sync_self;			/* KeSynchronizeExecution() on its own object */
	/* what the ISR saw */
	int calls, trues, queued;
	BOOLEAN sync_ret;
	bool sync_ran;
	/* what the DPCs saw */
	ULONG dpc_stall_us;		/* st_stall_dpc() stalls this long */
	int dpc_runs;
	int requeues;			/* the DPC queues itself this many times */
	bool requeue_done;
};

static KSERVICE_ROUTINE st_isr;
static KSERVICE_ROUTINE st_stall_isr;
static KDEFERRED_ROUTINE st_dpc;
static KDEFERRED_ROUTINE st_stall_dpc;
static IO_DPC_ROUTINE st_dpc_for_isr;
static KSYNCHRONIZE_ROUTINE st_sync;

_Use_decl_annotations_
static BOOLEAN st_sync(PVOID SynchronizeContext)
{
	struct st_ctx *c = SynchronizeContext;

	c->sync_ran = true;
	return TRUE;
}

_Use_decl_annotations_
static BOOLEAN st_isr(struct _KINTERRUPT *Interrupt, PVOID ServiceContext)
{
	struct st_ctx *c = ServiceContext;
	BOOLEAN ret = TRUE;
	KIRQL old;

	c->calls++;
	if (c->alternate && !(c->calls & 1))
		ret = FALSE;
	if (c->leak_lock)
		KeAcquireSpinLockAtDpcLevel(&c->lock);
	if (c->raise_irql)
		KeRaiseIrql(HIGH_LEVEL, &old);
	if (c->sync_self)
		c->sync_ret = KeSynchronizeExecution(Interrupt, st_sync, c);
	if (!ret)
		return FALSE;
	c->trues++;
	if (c->request_dpc) {
		/* IoRequestDpc() returns nothing: the DPC routine counts its runs. */
		IoRequestDpc(&c->pdo, NULL, NULL);
	}
	if (c->queue_dpc && KeInsertQueueDpc(&c->dpc, NULL, NULL))
		c->queued++;
	return TRUE;
}

/* A separate routine, so that the once-per-routine reports start afresh. */
_Use_decl_annotations_
static BOOLEAN st_stall_isr(struct _KINTERRUPT *Interrupt, PVOID ServiceContext)
{
	struct st_ctx *c = ServiceContext;

	KeStallExecutionProcessor(c->stall_us);
	return TRUE;
}

_Use_decl_annotations_
static VOID st_dpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1,
		   PVOID SystemArgument2)
{
	struct st_ctx *c = DeferredContext;

	c->dpc_runs++;
	if (c->requeues) {
		c->requeues--;
		KeInsertQueueDpc(Dpc, NULL, NULL);
	} else {
		WRITE_ONCE(c->requeue_done, true);
	}
}

/* A separate routine, so that the once-per-routine reports start afresh. */
_Use_decl_annotations_
static VOID st_stall_dpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1,
			 PVOID SystemArgument2)
{
	struct st_ctx *c = DeferredContext;

	c->dpc_runs++;
	KeStallExecutionProcessor(c->dpc_stall_us);
}

_Use_decl_annotations_
static VOID st_dpc_for_isr(PKDPC Dpc, struct _DEVICE_OBJECT *DeviceObject, PIRP Irp,
			   PVOID Context)
{
	struct st_ctx *c = DeviceObject->DeviceExtension;

	c->dpc_runs++;
}

static int st_init(struct kunit *test)
{
	struct st_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	test->priv = c;
	KeInitializeSpinLock(&c->lock);
	KeInitializeDpc(&c->dpc, st_dpc, c);
	wdm_init_device_object(&c->pdo, NULL);
	c->pdo.DeviceExtension = c;
	IoInitializeDpcRequest(&c->pdo, st_dpc_for_isr);
	return wdm_test_irqs_init(test, &c->irqs);
}

static void st_exit(struct kunit *test)
{
	struct st_ctx *c = test->priv;

	wdm_test_irqs_exit(&c->irqs);
}

static void st_connect(struct kunit *test, PKSERVICE_ROUTINE isr)
{
	struct st_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;

	wdm_test_fully_specified(&p, &c->pdo, c->irqs.virq[0], &c->intr, isr, c);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	KUNIT_ASSERT_NOT_NULL(test, c->intr);
}

static void st_disconnect(struct kunit *test)
{
	struct st_ctx *c = test->priv;

	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
			STATUS_SUCCESS);
}

/* The hard-IRQ half called directly, as genirq does: interrupts off. */
static irqreturn_t st_dispatch(struct st_ctx *c)
{
	unsigned long flags;
	irqreturn_t r;

	local_irq_save(flags);
	r = wdm_interrupt_dispatch(c->intr);
	if (c->leak_lock)
		KeReleaseSpinLockFromDpcLevel(&c->lock);
	local_irq_restore(flags);
	return r;
}

static u64 st_sum(const u64 *hist)
{
	u64 sum = 0;
	int i;

	for (i = 0; i < WDM_STATS_BUCKETS; i++)
		sum += hist[i];
	return sum;
}

/* 2^i <= d < 2^(i+1); 0 in bucket 0, everything from 2^31 in bucket 31. */
static void wdm_stats_buckets(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, wdm_stats_bucket(0), 0U);
	KUNIT_EXPECT_EQ(test, wdm_stats_bucket(1), 0U);
	KUNIT_EXPECT_EQ(test, wdm_stats_bucket(2), 1U);
	KUNIT_EXPECT_EQ(test, wdm_stats_bucket(3), 1U);
	KUNIT_EXPECT_EQ(test, wdm_stats_bucket(4), 2U);
	KUNIT_EXPECT_EQ(test, wdm_stats_bucket(1023), 9U);
	KUNIT_EXPECT_EQ(test, wdm_stats_bucket(1024), 10U);
	KUNIT_EXPECT_EQ(test, wdm_stats_bucket((1ULL << 31) - 1), 30U);
	KUNIT_EXPECT_EQ(test, wdm_stats_bucket(1ULL << 31), 31U);
	KUNIT_EXPECT_EQ(test, wdm_stats_bucket(1ULL << 40), 31U);
	KUNIT_EXPECT_EQ(test, wdm_stats_bucket(U64_MAX), 31U);
}

/*
 * 200 real interrupts, one at a time, to an ISR that claims every other
 * one and then asks for its DpcForIsr: the counts are what the ISR and the
 * DPC routine saw, the histograms sum to them, and "dpc" is the driver's
 * DpcForIsr routine.
 */
static void wdm_stats_count_interrupts(struct kunit *test)
{
	struct st_ctx *c = test->priv;
	struct wdm_stats_sum *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	u64 before, after;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, s);
	c->alternate = true;
	c->request_dpc = true;
	st_connect(test, st_isr);
	before = ktime_get_boottime_ns();
	for (i = 0; i < 200; i++) {
		wdm_test_fire(c->irqs.virq[0]);
		KeFlushQueuedDpcs();
	}
	after = ktime_get_boottime_ns();
	wdm_stats_read(c->intr, s);
	KUNIT_EXPECT_EQ(test, c->calls, 200);
	KUNIT_EXPECT_EQ(test, s->isr_calls, 200ULL);
	KUNIT_EXPECT_EQ(test, s->isr_true, 100ULL);
	KUNIT_EXPECT_EQ(test, s->isr_false, 100ULL);
	/* Each DpcForIsr ran before the next interrupt: none is coalesced. */
	KUNIT_EXPECT_EQ(test, s->dpc_queued, 100ULL);
	KUNIT_EXPECT_EQ(test, s->dpc_run, (u64)c->dpc_runs);
	KUNIT_EXPECT_EQ(test, c->dpc_runs, 100);
	KUNIT_EXPECT_EQ(test, st_sum(s->hist[WDM_HIST_ISR]), 200ULL);
	KUNIT_EXPECT_EQ(test, st_sum(s->hist[WDM_HIST_DPC]), 100ULL);
	KUNIT_EXPECT_EQ(test, st_sum(s->hist[WDM_HIST_LATENCY]), 100ULL);
	KUNIT_EXPECT_GT(test, s->max_ns[WDM_HIST_ISR], 0ULL);
	KUNIT_EXPECT_GE(test, s->max_at_ns[WDM_HIST_ISR], before);
	KUNIT_EXPECT_LE(test, s->max_at_ns[WDM_HIST_ISR], after);
	KUNIT_EXPECT_GE(test, s->max_at_ns[WDM_HIST_DPC], before);
	KUNIT_EXPECT_LE(test, s->max_at_ns[WDM_HIST_DPC], after);
	KUNIT_EXPECT_PTR_EQ(test, READ_ONCE(c->intr->last_dpc), (void *)st_dpc_for_isr);
	kunit_info(test, "isr max %llu ns, dpc max %llu ns, latency max %llu ns\n",
		   s->max_ns[WDM_HIST_ISR], s->max_ns[WDM_HIST_DPC],
		   s->max_ns[WDM_HIST_LATENCY]);
	wdm_stats_reset(c->intr);
	wdm_stats_read(c->intr, s);
	KUNIT_EXPECT_EQ(test, s->isr_calls, 0ULL);
	KUNIT_EXPECT_EQ(test, s->dpc_queued, 0ULL);
	KUNIT_EXPECT_EQ(test, s->dpc_run, 0ULL);
	KUNIT_EXPECT_EQ(test, s->max_ns[WDM_HIST_ISR], 0ULL);
	KUNIT_EXPECT_EQ(test, st_sum(s->hist[WDM_HIST_ISR]), 0ULL);
	KUNIT_EXPECT_EQ(test, st_sum(s->hist[WDM_HIST_LATENCY]), 0ULL);
	KUNIT_EXPECT_NULL(test, READ_ONCE(c->intr->last_dpc));
	st_disconnect(test);
}

/*
 * 100 interrupts in one burst to an ISR that queues a DPC: KeInsertQueueDpc()
 * returns FALSE while the DPC is queued, so fewer are queued than claimed,
 * but every queued one runs, and is counted, once.
 */
static void wdm_stats_count_coalesced_dpcs(struct kunit *test)
{
	struct st_ctx *c = test->priv;
	struct wdm_stats_sum *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	c->queue_dpc = true;
	st_connect(test, st_isr);
	wdm_test_fire_many(c->irqs.virq, 1, 100);
	KeFlushQueuedDpcs();
	wdm_stats_read(c->intr, s);
	KUNIT_EXPECT_EQ(test, s->isr_calls, 100ULL);
	KUNIT_EXPECT_EQ(test, s->isr_true, 100ULL);
	KUNIT_EXPECT_EQ(test, s->dpc_queued, (u64)c->queued);
	KUNIT_EXPECT_EQ(test, s->dpc_run, (u64)c->dpc_runs);
	KUNIT_EXPECT_EQ(test, c->queued, c->dpc_runs);
	KUNIT_EXPECT_GE(test, c->queued, 1);
	KUNIT_EXPECT_EQ(test, st_sum(s->hist[WDM_HIST_ISR]), 100ULL);
	KUNIT_EXPECT_EQ(test, st_sum(s->hist[WDM_HIST_DPC]), s->dpc_run);
	KUNIT_EXPECT_EQ(test, st_sum(s->hist[WDM_HIST_LATENCY]), s->dpc_run);
	KUNIT_EXPECT_PTR_EQ(test, READ_ONCE(c->intr->last_dpc), (void *)st_dpc);
	st_disconnect(test);
}

/* A threaded DPC queued by the ISR runs in the interrupt's thread: counted too. */
static void wdm_stats_count_threaded_dpcs(struct kunit *test)
{
	struct st_ctx *c = test->priv;
	struct wdm_stats_sum *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, s);
	KeInitializeThreadedDpc(&c->dpc, st_dpc, c);
	c->queue_dpc = true;
	st_connect(test, st_isr);
	for (i = 0; i < 20; i++)
		wdm_test_fire(c->irqs.virq[0]);
	KeFlushQueuedDpcs();
	wdm_stats_read(c->intr, s);
	KUNIT_EXPECT_EQ(test, s->isr_calls, 20ULL);
	KUNIT_EXPECT_EQ(test, s->dpc_queued, (u64)c->queued);
	KUNIT_EXPECT_EQ(test, s->dpc_run, (u64)c->dpc_runs);
	KUNIT_EXPECT_EQ(test, c->queued, c->dpc_runs);
	KUNIT_EXPECT_GE(test, c->queued, 1);
	KUNIT_EXPECT_EQ(test, st_sum(s->hist[WDM_HIST_DPC]), s->dpc_run);
	KUNIT_EXPECT_EQ(test, st_sum(s->hist[WDM_HIST_LATENCY]), s->dpc_run);
	st_disconnect(test);
}

/*
 * An ISR that stalls 200 us, with isr_warn_us at Microsoft's 25 us: two
 * interrupts are over the limit, the routine is reported once. With the
 * limit 0 nothing is counted.
 */
static void wdm_stats_isr_watchdog(struct kunit *test)
{
	struct st_ctx *c = test->priv;
	unsigned int saved = isr_warn_us;
	unsigned long over = wdm_insight_count(WDM_ISR_OVER);
	unsigned long reported = wdm_insight_count(WDM_ISR_REPORTED);
	struct wdm_stats_sum *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	c->stall_us = 200;
	st_connect(test, st_stall_isr);
	isr_warn_us = 0;
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, wdm_insight_count(WDM_ISR_OVER) - over, 0UL);
	isr_warn_us = 25;
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, wdm_insight_count(WDM_ISR_OVER) - over, 1UL);
	KUNIT_EXPECT_EQ(test, wdm_insight_count(WDM_ISR_REPORTED) - reported, 1UL);
	KUNIT_EXPECT_PTR_EQ(test, wdm_insight_last_routine(), (void *)st_stall_isr);
	wdm_test_fire(c->irqs.virq[0]);
	isr_warn_us = saved;
	KUNIT_EXPECT_EQ(test, wdm_insight_count(WDM_ISR_OVER) - over, 2UL);
	KUNIT_EXPECT_EQ(test, wdm_insight_count(WDM_ISR_REPORTED) - reported, 1UL);
	wdm_stats_read(c->intr, s);
	KUNIT_EXPECT_EQ(test, s->isr_calls, 3ULL);
	KUNIT_EXPECT_GE(test, s->max_ns[WDM_HIST_ISR], 200ULL * NSEC_PER_USEC);
	st_disconnect(test);
}

/*
 * An ISR that does nothing, whose DPC stalls 2 ms, with dpc_warn_us at
 * Microsoft's 100 us: the DPC is reported once for two runs.
 */
static void wdm_stats_dpc_watchdog(struct kunit *test)
{
	struct st_ctx *c = test->priv;
	unsigned int saved_dpc = dpc_warn_us;
	unsigned long over = wdm_insight_count(WDM_DPC_OVER);
	unsigned long reported = wdm_insight_count(WDM_DPC_REPORTED);
	struct wdm_stats_sum *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	KeInitializeDpc(&c->dpc, st_stall_dpc, c);
	c->queue_dpc = true;
	c->dpc_stall_us = 2000;
	st_connect(test, st_isr);
	dpc_warn_us = 100;
	wdm_test_fire(c->irqs.virq[0]);
	KeFlushQueuedDpcs();
	KUNIT_EXPECT_EQ(test, wdm_insight_count(WDM_DPC_OVER) - over, 1UL);
	KUNIT_EXPECT_EQ(test, wdm_insight_count(WDM_DPC_REPORTED) - reported, 1UL);
	KUNIT_EXPECT_PTR_EQ(test, wdm_insight_last_routine(), (void *)st_stall_dpc);
	wdm_test_fire(c->irqs.virq[0]);
	KeFlushQueuedDpcs();
	dpc_warn_us = saved_dpc;
	KUNIT_EXPECT_EQ(test, c->dpc_runs, 2);
	KUNIT_EXPECT_EQ(test, wdm_insight_count(WDM_DPC_OVER) - over, 2UL);
	KUNIT_EXPECT_EQ(test, wdm_insight_count(WDM_DPC_REPORTED) - reported, 1UL);
	wdm_stats_read(c->intr, s);
	KUNIT_EXPECT_EQ(test, s->dpc_run, 2ULL);
	KUNIT_EXPECT_GE(test, s->max_ns[WDM_HIST_DPC], 2000ULL * NSEC_PER_USEC);
	st_disconnect(test);
}

/*
 * verify=1: an ISR that takes a spin lock and returns holding it is one
 * report naming it; with verify=0, none.
 */
static void wdm_verify_isr_holds_spin_lock(struct kunit *test)
{
	struct st_ctx *c = test->priv;
	unsigned long bugs = wdm_bugs_reported();
	unsigned long reports = wdm_insight_count(WDM_VERIFY_REPORTED);
	bool saved = wdm_verify;

	c->leak_lock = true;
	st_connect(test, st_isr);
	wdm_verify = false;
	KUNIT_EXPECT_EQ(test, st_dispatch(c), IRQ_HANDLED);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 0UL);
	wdm_verify = true;
	KUNIT_EXPECT_EQ(test, st_dispatch(c), IRQ_HANDLED);
	wdm_verify = saved;
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 1UL);
	KUNIT_EXPECT_EQ(test, wdm_insight_count(WDM_VERIFY_REPORTED) - reports, 1UL);
	KUNIT_EXPECT_PTR_EQ(test, wdm_insight_last_routine(), (void *)st_isr);
	KUNIT_EXPECT_FALSE(test, raw_spin_is_locked(&c->lock.rlock));
	st_disconnect(test);
}

/* verify=1: an ISR that raises the IRQL to HIGH_LEVEL and does not lower it. */
static void wdm_verify_isr_leaves_irql_raised(struct kunit *test)
{
	struct st_ctx *c = test->priv;
	unsigned long bugs = wdm_bugs_reported();
	bool saved = wdm_verify;

	c->raise_irql = true;
	st_connect(test, st_isr);
	wdm_verify = true;
	KUNIT_EXPECT_EQ(test, st_dispatch(c), IRQ_HANDLED);
	c->raise_irql = false;
	/* The same ISR, now good: no report. */
	KUNIT_EXPECT_EQ(test, st_dispatch(c), IRQ_HANDLED);
	wdm_verify = saved;
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 1UL);
	KUNIT_EXPECT_PTR_EQ(test, wdm_insight_last_routine(), (void *)st_isr);
	KUNIT_EXPECT_EQ(test, KeGetCurrentIrql(), PASSIVE_LEVEL);
	st_disconnect(test);
}

/*
 * KeSynchronizeExecution() on its own object from the ISR, which holds the
 * lock: one report, FALSE, the routine not run, and no deadlock, with the
 * verifier off as on.
 */
static void wdm_verify_synchronize_from_own_isr(struct kunit *test)
{
	struct st_ctx *c = test->priv;
	unsigned long bugs = wdm_bugs_reported();

	c->sync_self = true;
	c->sync_ret = TRUE;
	st_connect(test, st_isr);
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, c->calls, 1);
	KUNIT_EXPECT_EQ(test, c->sync_ret, FALSE);
	KUNIT_EXPECT_FALSE(test, c->sync_ran);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 1UL);
	KUNIT_EXPECT_PTR_EQ(test, wdm_insight_last_routine(), (void *)st_isr);
	/* From outside the ISR it runs. */
	KUNIT_EXPECT_EQ(test, KeSynchronizeExecution(c->intr, st_sync, c), TRUE);
	KUNIT_EXPECT_TRUE(test, c->sync_ran);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 1UL);
	st_disconnect(test);
}

/*
 * verify=1: a DPC that queues itself from its routine 10005 times in a row
 * is reported once, at the 10001st; one that does it 10000 times is not.
 */
static void wdm_verify_dpc_requeue_without_bound(struct kunit *test)
{
	struct st_ctx *c = test->priv;
	unsigned long bugs = wdm_bugs_reported();
	bool saved = wdm_verify;

	wdm_verify = true;
	c->requeues = WDM_VERIFY_REQUEUES;
	KeInsertQueueDpc(&c->dpc, NULL, NULL);
	KUNIT_EXPECT_TRUE(test, wdm_test_wait_until(&c->requeue_done));
	KeFlushQueuedDpcs();
	KUNIT_EXPECT_EQ(test, c->dpc_runs, WDM_VERIFY_REQUEUES + 1);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 0UL);
	c->requeue_done = false;
	c->dpc_runs = 0;
	c->requeues = WDM_VERIFY_REQUEUES + 5;
	KeInsertQueueDpc(&c->dpc, NULL, NULL);
	KUNIT_EXPECT_TRUE(test, wdm_test_wait_until(&c->requeue_done));
	KeFlushQueuedDpcs();
	wdm_verify = saved;
	KUNIT_EXPECT_EQ(test, c->dpc_runs, WDM_VERIFY_REQUEUES + 6);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 1UL);
	KUNIT_EXPECT_PTR_EQ(test, wdm_insight_last_routine(), (void *)st_dpc);
}

static KDEFERRED_ROUTINE st_counted_dpc;

_Use_decl_annotations_
static VOID st_counted_dpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1,
			   PVOID SystemArgument2)
{
	atomic_inc(DeferredContext);
}

#define ST_TAG	0x57645374	/* 'tSdW' */

/*
 * verify=1: a DPC queued at DISPATCH_LEVEL in a pool block that is freed
 * before the IRQL drops, the bug Windows stops with as TIMER_OR_DPC_INVALID
 * (0xC7): one report naming its routine, and the DPC never runs. A DPC
 * queued outside the block runs once; a block holding a DPC that is not
 * queued is freed without a report.
 */
static void wdm_verify_dpc_in_freed_pool(struct kunit *test)
{
	unsigned long bugs = wdm_bugs_reported();
	atomic_t runs = ATOMIC_INIT(0), other_runs = ATOMIC_INIT(0);
	bool saved = wdm_verify;
	PKDPC queued, idle;
	KDPC other;
	KIRQL old;

	queued = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*queued), ST_TAG);
	KUNIT_ASSERT_NOT_NULL(test, queued);
	idle = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*idle), ST_TAG);
	if (!idle)
		ExFreePoolWithTag(queued, ST_TAG);
	KUNIT_ASSERT_NOT_NULL(test, idle);
	KeInitializeDpc(queued, st_counted_dpc, &runs);
	KeInitializeDpc(idle, st_counted_dpc, &runs);
	KeInitializeDpc(&other, st_counted_dpc, &other_runs);
	wdm_verify = true;
	KeRaiseIrql(DISPATCH_LEVEL, &old);
	KUNIT_EXPECT_TRUE(test, KeInsertQueueDpc(queued, NULL, NULL));
	KUNIT_EXPECT_TRUE(test, KeInsertQueueDpc(&other, NULL, NULL));
	ExFreePoolWithTag(queued, ST_TAG);
	ExFreePoolWithTag(idle, ST_TAG);
	KeLowerIrql(old);
	KeFlushQueuedDpcs();
	wdm_verify = saved;
	KUNIT_EXPECT_EQ(test, atomic_read(&runs), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&other_runs), 1);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 1UL);
	KUNIT_EXPECT_PTR_EQ(test, wdm_insight_last_routine(), (void *)st_counted_dpc);
}

/*
 * IoConnectInterruptEx() and IoConnectInterrupt() run at PASSIVE_LEVEL
 * (Microsoft: "IRQL = PASSIVE_LEVEL"); at DISPATCH_LEVEL each is one report,
 * a failure, and nothing connected.
 */
static void wdm_verify_connect_above_passive(struct kunit *test)
{
	struct st_ctx *c = test->priv;
	unsigned long bugs = wdm_bugs_reported();
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	PKINTERRUPT legacy = NULL;
	NTSTATUS ex_status, status;
	KIRQL old;

	wdm_test_fully_specified(&p, &c->pdo, c->irqs.virq[0], &c->intr, st_isr, c);
	KeRaiseIrql(DISPATCH_LEVEL, &old);
	ex_status = IoConnectInterruptEx(&p);
	status = IoConnectInterrupt(&legacy, st_isr, c, NULL, c->irqs.virq[0], WDM_DEVICE_IRQL,
				    WDM_DEVICE_IRQL, LevelSensitive, TRUE, 1, FALSE);
	KeLowerIrql(old);
	KUNIT_EXPECT_EQ(test, ex_status, STATUS_UNSUCCESSFUL);
	KUNIT_EXPECT_EQ(test, status, STATUS_UNSUCCESSFUL);
	KUNIT_EXPECT_NULL(test, c->intr);
	KUNIT_EXPECT_NULL(test, legacy);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 2UL);
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, c->calls, 0);
}

/* Does @ki's debugfs directory, with @suffix after its name, exist? */
static bool st_debugfs_dir(PKINTERRUPT ki, const char *name, const char *suffix)
{
	char path[128];
	struct file *f;

	snprintf(path, sizeof(path), "/sys/kernel/debug/wdm/interrupts/%u-%s%s",
		 ki->irq, name, suffix);
	f = filp_open(path, O_RDONLY | O_DIRECTORY, 0);
	if (IS_ERR(f))
		return false;
	filp_close(f, NULL);
	return true;
}

/*
 * One directory per object, named "<irq>-<name>" as in /proc/interrupts,
 * "#2" after the second object of one name on one line; gone at disconnect.
 */
static void wdm_stats_debugfs_dirs(struct kunit *test)
{
	struct st_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	PKINTERRUPT second = NULL;
	struct file *f;
	char name[64];

	f = filp_open("/sys/kernel/debug/wdm", O_RDONLY | O_DIRECTORY, 0);
	if (IS_ERR(f))
		kunit_skip(test, "no debugfs at /sys/kernel/debug");
	filp_close(f, NULL);
	st_connect(test, st_isr);
	strscpy(name, c->intr->name, sizeof(name));
	KUNIT_EXPECT_TRUE(test, st_debugfs_dir(c->intr, name, ""));
	KUNIT_EXPECT_FALSE(test, st_debugfs_dir(c->intr, name, "#2"));
	wdm_test_fully_specified(&p, &c->pdo, c->irqs.virq[0], &second, st_stall_isr, c);
	KUNIT_EXPECT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	KUNIT_EXPECT_TRUE(test, st_debugfs_dir(c->intr, name, "#2"));
	if (second)
		KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, second),
				STATUS_SUCCESS);
	KUNIT_EXPECT_FALSE(test, st_debugfs_dir(c->intr, name, "#2"));
	KUNIT_EXPECT_TRUE(test, st_debugfs_dir(c->intr, name, ""));
	st_disconnect(test);
	KUNIT_EXPECT_FALSE(test, st_debugfs_dir(c->intr, name, ""));
}

/* Parse "name c0 ... c31": the number of counts, and their sum in *sum. */
static int st_parse_hist(char *line, const char *name, u64 *sum)
{
	char *tok = strsep(&line, " ");
	int n = 0;
	u64 v;

	if (!tok || strcmp(tok, name))
		return -EINVAL;
	*sum = 0;
	while ((tok = strsep(&line, " "))) {
		if (kstrtou64(tok, 10, &v))
			return -EINVAL;
		*sum += v;
		n++;
	}
	return n;
}

/* What a debugfs file of @ki shows, NUL-terminated in m->buf. */
static void st_show(struct seq_file *m, char *buf, size_t size, PKINTERRUPT ki,
		    int (*show)(struct seq_file *m, void *unused))
{
	memset(m, 0, sizeof(*m));
	m->buf = buf;
	m->size = size - 1;
	m->private = ki;
	show(m, NULL);
	buf[m->count] = '\0';
}

/* The stats and histograms files, in the contract's format and key order. */
static void wdm_stats_debugfs_files(struct kunit *test)
{
	struct st_ctx *c = test->priv;
	char *buf = kunit_kzalloc(test, 4096, GFP_KERNEL);
	char *want = kunit_kzalloc(test, 4096, GFP_KERNEL);
	struct seq_file *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	char *p;
	u64 sum;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, want);
	KUNIT_ASSERT_NOT_NULL(test, m);
	c->request_dpc = true;
	st_connect(test, st_isr);
	st_show(m, buf, 4096, c->intr, wdm_stats_show);
	snprintf(want, 4096,
		 "name %s\n"
		 "irq %u\n"
		 "message 0\n"
		 "isr st_isr [wdm_kunit]\n"
		 "dpc -\n"
		 "isr_calls 0\n"
		 "isr_true 0\n"
		 "isr_false 0\n"
		 "dpc_queued 0\n"
		 "dpc_run 0\n"
		 "isr_max_ns 0\n"
		 "isr_max_at_ns 0\n"
		 "dpc_max_ns 0\n"
		 "dpc_max_at_ns 0\n"
		 "latency_max_ns 0\n"
		 "latency_max_at_ns 0\n",
		 c->intr->name, c->intr->irq);
	KUNIT_EXPECT_STREQ(test, buf, want);
	for (i = 0; i < 3; i++) {
		wdm_test_fire(c->irqs.virq[0]);
		KeFlushQueuedDpcs();
	}
	st_show(m, buf, 4096, c->intr, wdm_histograms_show);
	p = buf;
	KUNIT_EXPECT_EQ(test, st_parse_hist(strsep(&p, "\n"), "isr_ns", &sum), 32);
	KUNIT_EXPECT_EQ(test, sum, 3ULL);
	KUNIT_EXPECT_EQ(test, st_parse_hist(strsep(&p, "\n"), "dpc_ns", &sum), 32);
	KUNIT_EXPECT_EQ(test, sum, 3ULL);
	KUNIT_EXPECT_EQ(test, st_parse_hist(strsep(&p, "\n"), "latency_ns", &sum), 32);
	KUNIT_EXPECT_EQ(test, sum, 3ULL);
	/* three lines, each ended by a newline */
	KUNIT_EXPECT_STREQ(test, p, "");
	st_show(m, buf, 4096, c->intr, wdm_stats_show);
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "\ndpc st_dpc_for_isr [wdm_kunit]\n"
					   "isr_calls 3\nisr_true 3\nisr_false 0\n"
					   "dpc_queued 3\ndpc_run 3\n"));
	st_disconnect(test);
}

static struct kunit_case wdm_stats_cases[] = {
	KUNIT_CASE(wdm_stats_buckets),
	KUNIT_CASE(wdm_stats_count_interrupts),
	KUNIT_CASE(wdm_stats_count_coalesced_dpcs),
	KUNIT_CASE(wdm_stats_count_threaded_dpcs),
	KUNIT_CASE(wdm_stats_isr_watchdog),
	KUNIT_CASE(wdm_stats_dpc_watchdog),
	KUNIT_CASE(wdm_verify_isr_holds_spin_lock),
	KUNIT_CASE(wdm_verify_isr_leaves_irql_raised),
	KUNIT_CASE(wdm_verify_synchronize_from_own_isr),
	KUNIT_CASE(wdm_verify_dpc_requeue_without_bound),
	KUNIT_CASE(wdm_verify_connect_above_passive),
	KUNIT_CASE(wdm_verify_dpc_in_freed_pool),
	KUNIT_CASE(wdm_stats_debugfs_dirs),
	KUNIT_CASE(wdm_stats_debugfs_files),
	{}
};

static struct kunit_suite wdm_stats_suite = {
	.name = "wdm_stats",
	.init = st_init,
	.exit = st_exit,
	.test_cases = wdm_stats_cases,
};

kunit_test_suite(wdm_stats_suite);
