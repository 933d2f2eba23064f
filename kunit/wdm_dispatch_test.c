// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: how an ISR's BOOLEAN becomes a genirq return, and the context the
 * ISR and its DPCs (ordinary and threaded) run in. Interrupts are real: fired through genirq from a
 * private irq domain.
 */
#include <kunit/test.h>
#include <linux/hardirq.h>
#include <linux/interrupt.h>
#include <linux/irqflags.h>
#include <linux/string.h>

#include "../module/wdm/wdm_internal.h"
#include "wdm_test.h"

struct disp_ctx {
	struct wdm_test_irqs irqs;
	DEVICE_OBJECT pdo;
	PKINTERRUPT intr;
	KSPIN_LOCK lock;
	BOOLEAN ret;			/* what the ISR returns */
	bool queue_dpc;			/* the ISR queues dpc */
	/* seen by the ISR */
	int calls;
	PKINTERRUPT seen_intr;
	PVOID seen_ctx;
	bool hardirq, irqs_off, lock_held;
	KIRQL irql;
	/* seen by the DPC */
	KDPC dpc;
	int dpc_runs;
	bool dpc_hardirq, dpc_in_irq_thread, dpc_in_softirq, dpc_executing;
	int isr_cpu, dpc_cpu;
	KIRQL dpc_irql;
	struct completion dpc_done;
};

static KSERVICE_ROUTINE disp_isr;

_Use_decl_annotations_
static BOOLEAN disp_isr(struct _KINTERRUPT *Interrupt, PVOID ServiceContext)
{
	struct disp_ctx *c = ServiceContext;

	c->calls++;
	c->seen_intr = Interrupt;
	c->seen_ctx = ServiceContext;
	c->hardirq = in_hardirq();
	c->irqs_off = irqs_disabled();
	c->lock_held = raw_spin_is_locked(Interrupt->lock);
	c->irql = KeGetCurrentIrql();
	c->isr_cpu = smp_processor_id();
	if (c->queue_dpc)
		KeInsertQueueDpc(&c->dpc, NULL, NULL);
	return c->ret;
}

static KDEFERRED_ROUTINE disp_dpc;

_Use_decl_annotations_
static VOID disp_dpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1,
		     PVOID SystemArgument2)
{
	struct disp_ctx *c = DeferredContext;

	c->dpc_runs++;
	c->dpc_hardirq = in_hardirq();
	c->dpc_in_irq_thread = !strncmp(current->comm, "irq/", 4);
	c->dpc_in_softirq = in_serving_softirq();
	c->dpc_cpu = raw_smp_processor_id();
	c->dpc_executing = KeIsExecutingDpc();
	c->dpc_irql = KeGetCurrentIrql();
	complete(&c->dpc_done);
}

static int disp_init(struct kunit *test)
{
	struct disp_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	test->priv = c;
	KeInitializeDpc(&c->dpc, disp_dpc, c);
	KeInitializeSpinLock(&c->lock);
	init_completion(&c->dpc_done);
	wdm_init_device_object(&c->pdo, NULL);
	return wdm_test_irqs_init(test, &c->irqs);
}

static void disp_exit(struct kunit *test)
{
	struct disp_ctx *c = test->priv;

	wdm_test_irqs_exit(&c->irqs);
}

/* Connect disp_isr on the first test interrupt. */
static void disp_connect(struct kunit *test, PKSPIN_LOCK lock, KIRQL sync_irql)
{
	struct disp_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;

	wdm_test_fully_specified(&p, &c->pdo, c->irqs.virq[0], &c->intr,
				 disp_isr, c);
	p.FullySpecified.SpinLock = lock;
	p.FullySpecified.SynchronizeIrql = sync_irql;
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	KUNIT_ASSERT_NOT_NULL(test, c->intr);
}

static void disp_disconnect(struct kunit *test)
{
	struct disp_ctx *c = test->priv;

	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
			STATUS_SUCCESS);
}

/* Call the hard-IRQ half directly, as genirq does: interrupts off. */
static irqreturn_t disp_dispatch(struct disp_ctx *c)
{
	unsigned long flags;
	irqreturn_t r;

	local_irq_save(flags);
	r = wdm_interrupt_dispatch(c->intr);
	local_irq_restore(flags);
	return r;
}

static void wdm_false_is_irq_none(struct kunit *test)
{
	struct disp_ctx *c = test->priv;

	disp_connect(test, NULL, WDM_DEVICE_IRQL);
	c->ret = FALSE;
	KUNIT_EXPECT_EQ(test, disp_dispatch(c), IRQ_NONE);
	KUNIT_EXPECT_EQ(test, c->calls, 1);
	disp_disconnect(test);
}

static void wdm_true_is_irq_handled(struct kunit *test)
{
	struct disp_ctx *c = test->priv;

	disp_connect(test, NULL, WDM_DEVICE_IRQL);
	c->ret = TRUE;
	KUNIT_EXPECT_EQ(test, disp_dispatch(c), IRQ_HANDLED);
	KUNIT_EXPECT_EQ(test, c->calls, 1);
	disp_disconnect(test);
}

/* A DPC runs in softirq: nothing for the interrupt's thread to do. */
static void wdm_true_with_dpc_is_handled(struct kunit *test)
{
	struct disp_ctx *c = test->priv;

	disp_connect(test, NULL, WDM_DEVICE_IRQL);
	c->ret = TRUE;
	c->queue_dpc = true;
	KUNIT_EXPECT_EQ(test, disp_dispatch(c), IRQ_HANDLED);
	KeFlushQueuedDpcs();
	KUNIT_EXPECT_EQ(test, c->dpc_runs, 1);
	disp_disconnect(test);
}

/* A threaded DPC runs in the interrupt's thread, which IRQ_WAKE_THREAD wakes. */
static void wdm_true_with_threaded_dpc_is_wake_thread(struct kunit *test)
{
	struct disp_ctx *c = test->priv;

	KeInitializeThreadedDpc(&c->dpc, disp_dpc, c);
	disp_connect(test, NULL, WDM_DEVICE_IRQL);
	c->ret = TRUE;
	c->queue_dpc = true;
	KUNIT_EXPECT_EQ(test, disp_dispatch(c), IRQ_WAKE_THREAD);
	/* The DPC waits in the interrupt's queue; disconnect runs it. */
	KUNIT_EXPECT_EQ(test, c->dpc_runs, 0);
	disp_disconnect(test);
	KUNIT_EXPECT_EQ(test, c->dpc_runs, 1);
	KUNIT_EXPECT_EQ(test, c->dpc_irql, PASSIVE_LEVEL);
}

static void wdm_genirq_counts_false_as_unhandled(struct kunit *test)
{
	struct disp_ctx *c = test->priv;
	int i;

	disp_connect(test, NULL, WDM_DEVICE_IRQL);
	c->ret = FALSE;
	for (i = 0; i < 10; i++)
		wdm_test_fire(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, c->calls, 10);
	KUNIT_EXPECT_EQ(test, wdm_test_irq_unhandled(c->irqs.virq[0]), 10);
	disp_disconnect(test);
}

static void wdm_genirq_counts_true_as_handled(struct kunit *test)
{
	struct disp_ctx *c = test->priv;
	int i;

	disp_connect(test, NULL, WDM_DEVICE_IRQL);
	c->ret = TRUE;
	for (i = 0; i < 10; i++)
		wdm_test_fire(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, c->calls, 10);
	KUNIT_EXPECT_EQ(test, wdm_test_irq_unhandled(c->irqs.virq[0]), 0);
	disp_disconnect(test);
}

static void wdm_isr_runs_in_hardirq_under_its_lock(struct kunit *test)
{
	struct disp_ctx *c = test->priv;

	disp_connect(test, NULL, WDM_DEVICE_IRQL);
	c->ret = TRUE;
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, c->calls, 1);
	KUNIT_EXPECT_TRUE(test, c->hardirq);
	KUNIT_EXPECT_TRUE(test, c->irqs_off);
	KUNIT_EXPECT_TRUE(test, c->lock_held);
	KUNIT_EXPECT_EQ(test, c->irql, WDM_DEVICE_IRQL);
	disp_disconnect(test);
}

static void wdm_isr_gets_its_interrupt_and_context(struct kunit *test)
{
	struct disp_ctx *c = test->priv;

	disp_connect(test, NULL, WDM_DEVICE_IRQL);
	c->ret = TRUE;
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_EXPECT_PTR_EQ(test, c->seen_intr, c->intr);
	KUNIT_EXPECT_PTR_EQ(test, c->seen_ctx, (PVOID)c);
	disp_disconnect(test);
}

static void wdm_isr_runs_at_synchronize_irql(struct kunit *test)
{
	struct disp_ctx *c = test->priv;

	disp_connect(test, NULL, WDM_DEVICE_IRQL + 1);
	c->ret = TRUE;
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, c->irql, WDM_DEVICE_IRQL + 1);
	disp_disconnect(test);
}

static void wdm_isr_holds_caller_spinlock(struct kunit *test)
{
	struct disp_ctx *c = test->priv;

	disp_connect(test, &c->lock, WDM_DEVICE_IRQL);
	c->ret = TRUE;
	KUNIT_EXPECT_PTR_EQ(test, c->intr->lock, &c->lock.rlock);
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_EXPECT_TRUE(test, c->lock_held);
	KUNIT_EXPECT_FALSE(test, raw_spin_is_locked(&c->lock.rlock));
	disp_disconnect(test);
}

/*
 * An ISR's DPC runs at DISPATCH_LEVEL in softirq on the ISR's CPU, as the
 * interrupt exits: by the time the firing returns, it has run.
 */
static void wdm_dpc_runs_after_isr_on_its_cpu(struct kunit *test)
{
	struct disp_ctx *c = test->priv;

	disp_connect(test, NULL, WDM_DEVICE_IRQL);
	c->ret = TRUE;
	c->queue_dpc = true;
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&c->dpc_done, 10 * HZ), 0UL);
	KUNIT_EXPECT_EQ(test, c->dpc_runs, 1);
	KUNIT_EXPECT_FALSE(test, c->dpc_hardirq);
	KUNIT_EXPECT_TRUE(test, c->dpc_in_softirq);
	KUNIT_EXPECT_FALSE(test, c->dpc_in_irq_thread);
	KUNIT_EXPECT_EQ(test, c->dpc_cpu, c->isr_cpu);
	KUNIT_EXPECT_EQ(test, c->dpc_irql, DISPATCH_LEVEL);
	disp_disconnect(test);
}

/* A threaded DPC queued by the ISR runs in its irq thread at PASSIVE_LEVEL. */
static void wdm_threaded_dpc_runs_in_irq_thread(struct kunit *test)
{
	struct disp_ctx *c = test->priv;

	KeInitializeThreadedDpc(&c->dpc, disp_dpc, c);
	disp_connect(test, NULL, WDM_DEVICE_IRQL);
	c->ret = TRUE;
	c->queue_dpc = true;
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&c->dpc_done, 10 * HZ), 0UL);
	KUNIT_EXPECT_EQ(test, c->dpc_runs, 1);
	KUNIT_EXPECT_FALSE(test, c->dpc_hardirq);
	KUNIT_EXPECT_TRUE(test, c->dpc_in_irq_thread);
	KUNIT_EXPECT_EQ(test, c->dpc_irql, PASSIVE_LEVEL);
	KUNIT_EXPECT_TRUE(test, c->dpc_executing);
	disp_disconnect(test);
}

static void wdm_false_with_dpc_still_runs_it(struct kunit *test)
{
	struct disp_ctx *c = test->priv;

	disp_connect(test, NULL, WDM_DEVICE_IRQL);
	c->ret = FALSE;
	c->queue_dpc = true;
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&c->dpc_done, 10 * HZ), 0UL);
	KUNIT_EXPECT_EQ(test, c->dpc_runs, 1);
	KUNIT_EXPECT_EQ(test, wdm_test_irq_unhandled(c->irqs.virq[0]), 1);
	disp_disconnect(test);
}

static void wdm_current_irql_by_context(struct kunit *test)
{
	unsigned long flags;
	KIRQL irql;

	KUNIT_EXPECT_EQ(test, KeGetCurrentIrql(), PASSIVE_LEVEL);
	preempt_disable();
	irql = KeGetCurrentIrql();
	preempt_enable();
	KUNIT_EXPECT_EQ(test, irql, DISPATCH_LEVEL);
	local_bh_disable();
	irql = KeGetCurrentIrql();
	local_bh_enable();
	KUNIT_EXPECT_EQ(test, irql, DISPATCH_LEVEL);
	local_irq_save(flags);
	irql = KeGetCurrentIrql();
	local_irq_restore(flags);
	KUNIT_EXPECT_EQ(test, irql, WDM_DEVICE_IRQL);
}

static void wdm_legacy_connect_interrupt(struct kunit *test)
{
	struct disp_ctx *c = test->priv;
	PKINTERRUPT intr = NULL;

	c->ret = TRUE;
	KUNIT_ASSERT_EQ(test, IoConnectInterrupt(&intr, disp_isr, c, NULL,
						 c->irqs.virq[1], WDM_DEVICE_IRQL,
						 WDM_DEVICE_IRQL, Latched, FALSE,
						 ~0UL, FALSE),
			STATUS_SUCCESS);
	wdm_test_fire(c->irqs.virq[1]);
	KUNIT_EXPECT_EQ(test, c->calls, 1);
	KUNIT_EXPECT_PTR_EQ(test, c->seen_intr, intr);
	IoDisconnectInterrupt(intr);
	wdm_test_fire(c->irqs.virq[1]);
	KUNIT_EXPECT_EQ(test, c->calls, 1);
}

static struct kunit_case wdm_dispatch_cases[] = {
	KUNIT_CASE(wdm_false_is_irq_none),
	KUNIT_CASE(wdm_true_is_irq_handled),
	KUNIT_CASE(wdm_true_with_dpc_is_handled),
	KUNIT_CASE(wdm_true_with_threaded_dpc_is_wake_thread),
	KUNIT_CASE(wdm_genirq_counts_false_as_unhandled),
	KUNIT_CASE(wdm_genirq_counts_true_as_handled),
	KUNIT_CASE(wdm_isr_runs_in_hardirq_under_its_lock),
	KUNIT_CASE(wdm_isr_gets_its_interrupt_and_context),
	KUNIT_CASE(wdm_isr_runs_at_synchronize_irql),
	KUNIT_CASE(wdm_isr_holds_caller_spinlock),
	KUNIT_CASE(wdm_dpc_runs_after_isr_on_its_cpu),
	KUNIT_CASE(wdm_threaded_dpc_runs_in_irq_thread),
	KUNIT_CASE(wdm_false_with_dpc_still_runs_it),
	KUNIT_CASE(wdm_current_irql_by_context),
	KUNIT_CASE(wdm_legacy_connect_interrupt),
	{}
};

static struct kunit_suite wdm_dispatch_suite = {
	.name = "wdm_dispatch",
	.init = disp_init,
	.exit = disp_exit,
	.test_cases = wdm_dispatch_cases,
};

kunit_test_suite(wdm_dispatch_suite);
