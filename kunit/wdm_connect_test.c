// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: connecting and disconnecting. The ISR is never entered before the
 * connect call has completed nor after the disconnect call has returned
 * (DEBUG_SHIRQ's extra call included), no DPC outlives the disconnect,
 * sharing and affinity follow the parameters, every bad input gets its
 * NTSTATUS with nothing left connected, and the NTSTATUS/errno table.
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/interrupt.h>
#include <linux/irq.h>

#include "../module/wdm/wdm_internal.h"
#include "wdm_test.h"

struct conn_ctx {
	struct wdm_test_irqs irqs;
	KIRQL isr_irql, sync_irql, lock_irql;	/* KeGetCurrentIrql() seen */
	bool isr_hardirq;
	DEVICE_OBJECT pdo;
	PKINTERRUPT intr;
	PKINTERRUPT intr2;
	KSPIN_LOCK lock;
	atomic_t calls;
	atomic_t early;			/* ISR entered before connect completed */
	atomic_t late;			/* ISR entered after disconnect returned */
	bool disconnected;
	bool stop;
	/* DPC */
	KDPC dpc;
	bool slow_dpc, dpc_started, dpc_finished;
	int dpc_runs;
};

static KSERVICE_ROUTINE conn_isr;

_Use_decl_annotations_
static BOOLEAN conn_isr(struct _KINTERRUPT *Interrupt, PVOID ServiceContext)
{
	struct conn_ctx *c = ServiceContext;

	atomic_inc(&c->calls);
	c->isr_irql = KeGetCurrentIrql();
	c->isr_hardirq = in_hardirq();
	/* Connect has completed only once *InterruptObject is this object. */
	if (READ_ONCE(c->intr) != Interrupt)
		atomic_inc(&c->early);
	if (READ_ONCE(c->disconnected))
		atomic_inc(&c->late);
	if (c->slow_dpc)
		KeInsertQueueDpc(&c->dpc, NULL, NULL);
	return TRUE;
}

static KDEFERRED_ROUTINE conn_dpc;

_Use_decl_annotations_
static VOID conn_dpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1,
		     PVOID SystemArgument2)
{
	struct conn_ctx *c = DeferredContext;

	WRITE_ONCE(c->dpc_started, true);
	mdelay(100);
	c->dpc_runs++;
	WRITE_ONCE(c->dpc_finished, true);
}

static int conn_init(struct kunit *test)
{
	struct conn_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	test->priv = c;
	wdm_init_device_object(&c->pdo, NULL);
	KeInitializeSpinLock(&c->lock);
	KeInitializeDpc(&c->dpc, conn_dpc, c);
	return wdm_test_irqs_init(test, &c->irqs);
}

static void conn_exit(struct kunit *test)
{
	struct conn_ctx *c = test->priv;

	wdm_test_irqs_exit(&c->irqs);
}

static void conn_params(struct conn_ctx *c, IO_CONNECT_INTERRUPT_PARAMETERS *p)
{
	wdm_test_fully_specified(p, &c->pdo, c->irqs.virq[0], &c->intr, conn_isr, c);
}

/* Connecting must fail with @status, and leave the line free. */
static void expect_refused(struct kunit *test, IO_CONNECT_INTERRUPT_PARAMETERS *p,
			   NTSTATUS status)
{
	struct conn_ctx *c = test->priv;

	c->intr = NULL;
	KUNIT_EXPECT_EQ(test, IoConnectInterruptEx(p), status);
	KUNIT_EXPECT_NULL(test, c->intr);
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 0);
}

/* Wait (up to 5 s) until the ISR has been called @n times in all. */
static bool wait_calls(struct conn_ctx *c, int n)
{
	int i;

	for (i = 0; i < 5000 && atomic_read(&c->calls) < n; i++)
		usleep_range(1000, 2000);
	return atomic_read(&c->calls) == n;
}

static void fire_until_stopped(void *arg)
{
	struct conn_ctx *c = arg;

	while (!READ_ONCE(c->stop)) {
		wdm_test_fire(c->irqs.virq[0]);
		cond_resched();
	}
}

/*
 * Ordering
 */

/*
 * Connect and disconnect 50 times while CPU 1 fires the line without pause.
 * The ISR counts (conn_isr) each call made before its connect had filled in
 * *InterruptObject, or after its disconnect had returned.
 */
static void wdm_isr_only_between_connect_and_disconnect(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	struct wdm_test_worker w;
	int i;

	KUNIT_ASSERT_GE(test, num_online_cpus(), 2U);
	KUNIT_ASSERT_EQ(test, wdm_test_worker_start(&w, 1, fire_until_stopped, c), 0);
	for (i = 0; i < 50; i++) {
		WRITE_ONCE(c->intr, NULL);
		WRITE_ONCE(c->disconnected, false);
		conn_params(c, &p);
		KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
		usleep_range(200, 300);
		KUNIT_ASSERT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
				STATUS_SUCCESS);
		WRITE_ONCE(c->disconnected, true);
		usleep_range(200, 300);
	}
	WRITE_ONCE(c->stop, true);
	wdm_test_worker_wait(&w);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->early), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->late), 0);
}

static void wdm_debug_shirq_call_not_passed_to_isr(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;

	/* free_irq() calls a shared handler once more with DEBUG_SHIRQ. */
	KUNIT_ASSERT_TRUE(test, IS_ENABLED(CONFIG_DEBUG_SHIRQ));
	conn_params(c, &p);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	wdm_test_fire(c->irqs.virq[0]);
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_ASSERT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->late), 0);
}

static void wdm_disconnect_waits_for_running_dpc(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	int i;

	c->slow_dpc = true;
	conn_params(c, &p);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	wdm_test_fire(c->irqs.virq[0]);
	for (i = 0; i < 5000 && !READ_ONCE(c->dpc_started); i++)
		usleep_range(1000, 2000);
	KUNIT_ASSERT_TRUE(test, READ_ONCE(c->dpc_started));
	KUNIT_ASSERT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
			STATUS_SUCCESS);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(c->dpc_finished));
	KUNIT_EXPECT_EQ(test, c->dpc_runs, 1);
}

static void wdm_disconnect_runs_queued_dpc(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;

	c->slow_dpc = true;
	conn_params(c, &p);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	wdm_test_fire(c->irqs.virq[0]);
	/* Straight away: the thread may not have run the DPC yet. */
	KUNIT_ASSERT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, c->dpc_runs, 1);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(c->dpc_finished));
}

static void wdm_connect_disconnect_cycles(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	int i;

	for (i = 0; i < 100; i++) {
		conn_params(c, &p);
		KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
		wdm_test_fire(c->irqs.virq[0]);
		KUNIT_ASSERT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
				STATUS_SUCCESS);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 100);
}

/*
 * Sharing and affinity
 */

static KSERVICE_ROUTINE share_a_isr;
static KSERVICE_ROUTINE share_b_isr;

/* Two devices on one line: each ISR owns one bit of a fake status word. */
struct share_ctx {
	unsigned long status;		/* bit 0: device A, bit 1: device B */
	int a_calls, b_calls, a_true, b_true;
};

_Use_decl_annotations_
static BOOLEAN share_a_isr(struct _KINTERRUPT *Interrupt, PVOID ServiceContext)
{
	struct share_ctx *s = ServiceContext;

	s->a_calls++;
	if (!(s->status & BIT(0)))
		return FALSE;
	s->status &= ~BIT(0);
	s->a_true++;
	return TRUE;
}

_Use_decl_annotations_
static BOOLEAN share_b_isr(struct _KINTERRUPT *Interrupt, PVOID ServiceContext)
{
	struct share_ctx *s = ServiceContext;

	s->b_calls++;
	if (!(s->status & BIT(1)))
		return FALSE;
	s->status &= ~BIT(1);
	s->b_true++;
	return TRUE;
}

static void wdm_shared_line_calls_every_isr(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	struct share_ctx *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	IO_CONNECT_INTERRUPT_PARAMETERS p;

	KUNIT_ASSERT_NOT_NULL(test, s);
	wdm_test_fully_specified(&p, &c->pdo, c->irqs.virq[0], &c->intr, share_a_isr, s);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	wdm_test_fully_specified(&p, &c->pdo, c->irqs.virq[0], &c->intr2, share_b_isr, s);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);

	/* Only B's device interrupts: A says FALSE and changes nothing. */
	s->status = BIT(1);
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, s->a_calls, 1);
	KUNIT_EXPECT_EQ(test, s->b_calls, 1);
	KUNIT_EXPECT_EQ(test, s->a_true, 0);
	KUNIT_EXPECT_EQ(test, s->b_true, 1);
	KUNIT_EXPECT_EQ(test, s->status, 0UL);

	/* Both at once: both serviced by one interrupt. */
	s->status = BIT(0) | BIT(1);
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, s->a_true, 1);
	KUNIT_EXPECT_EQ(test, s->b_true, 2);
	KUNIT_EXPECT_EQ(test, s->status, 0UL);
	/* Neither: genirq sees nobody handled it. */
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, wdm_test_irq_unhandled(c->irqs.virq[0]), 1);

	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr2),
			STATUS_SUCCESS);
}

static irqreturn_t raw_linux_handler(int irq, void *dev_id)
{
	int *calls = dev_id;

	(*calls)++;
	return IRQ_NONE;
}

static void wdm_shared_with_plain_linux_handler(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	int *raw_calls = kunit_kzalloc(test, sizeof(*raw_calls), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, raw_calls);
	KUNIT_ASSERT_EQ(test, request_irq(c->irqs.virq[0], raw_linux_handler, IRQF_SHARED,
					  "wdm-test-raw", raw_calls), 0);
	conn_params(c, &p);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 1);
	KUNIT_EXPECT_EQ(test, *raw_calls, 1);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
			STATUS_SUCCESS);
	free_irq(c->irqs.virq[0], raw_calls);
}

static void wdm_exclusive_line_refuses_second(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	PKINTERRUPT second = NULL;

	conn_params(c, &p);
	p.FullySpecified.ShareVector = FALSE;
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	p.FullySpecified.InterruptObject = &second;
	KUNIT_EXPECT_EQ(test, IoConnectInterruptEx(&p), STATUS_DEVICE_BUSY);
	p.FullySpecified.ShareVector = TRUE;
	KUNIT_EXPECT_EQ(test, IoConnectInterruptEx(&p), STATUS_DEVICE_BUSY);
	KUNIT_EXPECT_NULL(test, second);
	/* The first is still connected, once. */
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 1);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
			STATUS_SUCCESS);
}

static void wdm_unrequestable_irq_refused(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;

	irq_set_status_flags(c->irqs.virq[0], IRQ_NOREQUEST);
	conn_params(c, &p);
	expect_refused(test, &p, STATUS_INVALID_PARAMETER);
}

static void wdm_processor_mask_sets_affinity(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;

	KUNIT_ASSERT_GE(test, num_online_cpus(), 2U);
	conn_params(c, &p);
	p.FullySpecified.ProcessorEnableMask = BIT(1);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, wdm_test_chip_affinity(c->irqs.virq[0]), BIT(1));
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
			STATUS_SUCCESS);
	/* The disconnect put back the affinity the line had: every CPU. */
	KUNIT_EXPECT_EQ(test, wdm_test_chip_affinity(c->irqs.virq[0]) &
			cpumask_bits(cpu_online_mask)[0], cpumask_bits(cpu_online_mask)[0]);

	p.Version = CONNECT_FULLY_SPECIFIED_GROUP;
	p.FullySpecified.Group = 0;
	p.FullySpecified.ProcessorEnableMask = BIT(0);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, wdm_test_chip_affinity(c->irqs.virq[0]), BIT(0));
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED_GROUP, c->intr),
			STATUS_SUCCESS);
}

/*
 * IRQLs, with the values Windows drivers pass
 */

/*
 * Irql and SynchronizeIrql come from a translated x64 interrupt resource,
 * whose device levels are 3 to 12: every one connects, and inside the ISR,
 * KeSynchronizeExecution() and the interrupt spin lock KeGetCurrentIrql()
 * is the SynchronizeIrql.
 */
static BOOLEAN conn_sync_routine(PVOID context)
{
	struct conn_ctx *c = context;

	c->sync_irql = KeGetCurrentIrql();
	return TRUE;
}

static void wdm_resource_irqls_connect_and_report(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	KIRQL irql, old;

	for (irql = 3; irql <= 12; irql++) {
		conn_params(c, &p);
		p.FullySpecified.Irql = irql;
		p.FullySpecified.SynchronizeIrql = irql;
		KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
		wdm_test_fire(c->irqs.virq[0]);
		KUNIT_EXPECT_EQ(test, c->isr_irql, irql);
		KUNIT_EXPECT_EQ(test, c->isr_hardirq, !IS_ENABLED(CONFIG_PREEMPT_RT));
		KUNIT_EXPECT_TRUE(test, KeSynchronizeExecution(c->intr, conn_sync_routine, c));
		KUNIT_EXPECT_EQ(test, c->sync_irql, irql);
		old = KeAcquireInterruptSpinLock(c->intr);
		c->lock_irql = KeGetCurrentIrql();
		KeReleaseInterruptSpinLock(c->intr, old);
		KUNIT_EXPECT_EQ(test, c->lock_irql, irql);
		KUNIT_EXPECT_EQ(test, old, (KIRQL)PASSIVE_LEVEL);
		KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
				STATUS_SUCCESS);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 10);
	/* SynchronizeIrql above Irql: the higher one, everywhere. */
	conn_params(c, &p);
	p.FullySpecified.Irql = 5;
	p.FullySpecified.SynchronizeIrql = HIGH_LEVEL;
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, c->isr_irql, (KIRQL)HIGH_LEVEL);
	KeSynchronizeExecution(c->intr, conn_sync_routine, c);
	KUNIT_EXPECT_EQ(test, c->sync_irql, (KIRQL)HIGH_LEVEL);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
			STATUS_SUCCESS);
	/* Outside them: process context again. */
	KUNIT_EXPECT_EQ(test, KeGetCurrentIrql(), (KIRQL)PASSIVE_LEVEL);
}

/*
 * Windows 8 rule: a fully specified ISR is passive only when Irql and
 * SynchronizeIrql are both PASSIVE_LEVEL (and SpinLock NULL). A device Irql
 * with SynchronizeIrql PASSIVE_LEVEL is SynchronizeIrql below Irql.
 */
static void wdm_fully_specified_passive_needs_both_levels(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;

	conn_params(c, &p);
	p.FullySpecified.Irql = 5;
	p.FullySpecified.SynchronizeIrql = PASSIVE_LEVEL;
	expect_refused(test, &p, STATUS_INVALID_PARAMETER);
	/* No interrupt is at APC_LEVEL or DISPATCH_LEVEL. */
	conn_params(c, &p);
	p.FullySpecified.Irql = DISPATCH_LEVEL;
	p.FullySpecified.SynchronizeIrql = DISPATCH_LEVEL;
	expect_refused(test, &p, STATUS_INVALID_PARAMETER);

	conn_params(c, &p);
	p.FullySpecified.Irql = PASSIVE_LEVEL;
	p.FullySpecified.SynchronizeIrql = PASSIVE_LEVEL;
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	KUNIT_EXPECT_TRUE(test, c->intr->passive);
	wdm_test_fire(c->irqs.virq[0]);
	/* The irq thread runs it. */
	KUNIT_EXPECT_TRUE(test, wait_calls(c, 1));
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, c->isr_irql, (KIRQL)PASSIVE_LEVEL);
	KUNIT_EXPECT_FALSE(test, c->isr_hardirq);
}

/*
 * An interrupt that nests into another thread (behind I2C or SPI) is at
 * PASSIVE_LEVEL: a passive connect's ISR is entered from the parent's
 * thread, and a DIRQL connect, whose ISR could never be entered, is refused.
 */
static void wdm_nested_line_is_passive(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;

	wdm_test_irq_set_nested(c->irqs.virq[0], true);
	conn_params(c, &p);
	p.FullySpecified.Irql = 5;
	p.FullySpecified.SynchronizeIrql = 5;
	c->intr = NULL;
	KUNIT_EXPECT_EQ(test, IoConnectInterruptEx(&p), STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_NULL(test, c->intr);

	conn_params(c, &p);
	p.FullySpecified.Irql = PASSIVE_LEVEL;
	p.FullySpecified.SynchronizeIrql = PASSIVE_LEVEL;
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	wdm_test_fire_nested(c->irqs.virq[0]);
	wdm_test_fire_nested(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 2);
	KUNIT_EXPECT_EQ(test, c->isr_irql, (KIRQL)PASSIVE_LEVEL);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
			STATUS_SUCCESS);
	wdm_test_irq_set_nested(c->irqs.virq[0], false);
}

/*
 * A DPC queued by a passive-level ISR has finished when the disconnect
 * returns, as every DPC of the interrupt must have.
 */
/* Each connection holds a reference on wdm.ko; the disconnect drops it. */
static void wdm_connection_pins_the_shim(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	int before = wdm_module_refcount();

	conn_params(c, &p);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	wdm_test_fully_specified(&p, &c->pdo, c->irqs.virq[1], &c->intr2, conn_isr, c);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, wdm_module_refcount(), before + 2);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, wdm_module_refcount(), before + 1);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr2),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, wdm_module_refcount(), before);
	/* A refused connect takes none. */
	conn_params(c, &p);
	p.FullySpecified.ProcessorEnableMask = 0;
	KUNIT_EXPECT_EQ(test, IoConnectInterruptEx(&p), STATUS_INVALID_PARAMETER_10);
	KUNIT_EXPECT_EQ(test, wdm_module_refcount(), before);
}

/*
 * "A PCI INTx line may always be shared": a DIRQL connection joins a line
 * whose first handler is a passive one (IRQF_ONESHOT), and both ISRs run.
 */
static void wdm_dirql_joins_passive_line(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;

	conn_params(c, &p);
	p.FullySpecified.Irql = PASSIVE_LEVEL;
	p.FullySpecified.SynchronizeIrql = PASSIVE_LEVEL;
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	wdm_test_fully_specified(&p, &c->pdo, c->irqs.virq[0], &c->intr2, conn_isr, c);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	wdm_test_fire(c->irqs.virq[0]);
	/* One call each: the DIRQL one at once, the passive one in its thread. */
	KUNIT_EXPECT_TRUE(test, wait_calls(c, 2));
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr2),
			STATUS_SUCCESS);
}

/*
 * Bad input
 */

static void wdm_connect_rejects_null_and_unknown_version(struct kunit *test)
{
	static const ULONG versions[] = { 0, 6, 7, 0x100 };
	struct conn_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	int i;

	KUNIT_EXPECT_EQ(test, IoConnectInterruptEx(NULL), STATUS_INVALID_PARAMETER);
	for (i = 0; i < ARRAY_SIZE(versions); i++) {
		conn_params(c, &p);
		p.Version = versions[i];
		/* Microsoft: "an invalid value for the Version member". */
		expect_refused(test, &p, STATUS_INVALID_PARAMETER_1);
	}
}

static void wdm_connect_rejects_null_pointers(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;

	conn_params(c, &p);
	p.FullySpecified.PhysicalDeviceObject = NULL;
	expect_refused(test, &p, STATUS_INVALID_PARAMETER);
	conn_params(c, &p);
	p.FullySpecified.ServiceRoutine = NULL;
	expect_refused(test, &p, STATUS_INVALID_PARAMETER);
	conn_params(c, &p);
	p.FullySpecified.InterruptObject = NULL;
	expect_refused(test, &p, STATUS_INVALID_PARAMETER);
}

static void wdm_connect_rejects_bad_processor_mask(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;

	/* Microsoft's example of STATUS_INVALID_PARAMETER_10: no bits set. */
	conn_params(c, &p);
	p.FullySpecified.ProcessorEnableMask = 0;
	expect_refused(test, &p, STATUS_INVALID_PARAMETER_10);
	/* CPUs that do not exist. */
	conn_params(c, &p);
	p.FullySpecified.ProcessorEnableMask = BIT(BITS_PER_LONG - 1);
	KUNIT_ASSERT_LT(test, nr_cpu_ids, (unsigned int)BITS_PER_LONG);
	expect_refused(test, &p, STATUS_INVALID_PARAMETER_10);
	/* Processor group 1: CPUs 64 and up. */
	conn_params(c, &p);
	p.Version = CONNECT_FULLY_SPECIFIED_GROUP;
	p.FullySpecified.Group = 1;
	expect_refused(test, &p, STATUS_INVALID_PARAMETER_10);
}

static void wdm_connect_rejects_bad_irql(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;

	conn_params(c, &p);
	p.FullySpecified.SynchronizeIrql = WDM_DEVICE_IRQL - 1;
	expect_refused(test, &p, STATUS_INVALID_PARAMETER);
	conn_params(c, &p);
	p.FullySpecified.Irql = HIGH_LEVEL + 1;
	p.FullySpecified.SynchronizeIrql = HIGH_LEVEL + 1;
	expect_refused(test, &p, STATUS_INVALID_PARAMETER);
}

static void wdm_connect_rejects_passive_spinlock(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;

	conn_params(c, &p);
	p.FullySpecified.SynchronizeIrql = PASSIVE_LEVEL;
	p.FullySpecified.Irql = PASSIVE_LEVEL;
	p.FullySpecified.SpinLock = &c->lock;
	expect_refused(test, &p, STATUS_INVALID_PARAMETER);
}

static void wdm_connect_rejects_bad_mode(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;

	conn_params(c, &p);
	p.FullySpecified.InterruptMode = (KINTERRUPT_MODE)7;
	expect_refused(test, &p, STATUS_INVALID_PARAMETER);
}

static void wdm_line_based_rejects_missing_device(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p = { .Version = CONNECT_LINE_BASED };

	p.LineBased.InterruptObject = &c->intr;
	p.LineBased.ServiceRoutine = conn_isr;
	p.LineBased.SynchronizeIrql = PASSIVE_LEVEL;
	/* No device object, and one with no PCI device behind it. */
	expect_refused(test, &p, STATUS_INVALID_PARAMETER);
	p.LineBased.PhysicalDeviceObject = &c->pdo;
	expect_refused(test, &p, STATUS_INVALID_PARAMETER);
}

static void wdm_disconnect_rejects_bad_input(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	struct _KINTERRUPT *bogus = kunit_kzalloc(test, sizeof(*bogus), GFP_KERNEL);
	IO_CONNECT_INTERRUPT_PARAMETERS p;

	KUNIT_ASSERT_NOT_NULL(test, bogus);
	KUNIT_EXPECT_EQ(test, IoDisconnectInterruptEx(NULL), STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, NULL),
			STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, bogus),
			STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_MESSAGE_BASED, NULL),
			STATUS_INVALID_PARAMETER);

	conn_params(c, &p);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	/* Not the Version it was connected with: refused, still connected. */
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_LINE_BASED, c->intr),
			STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(0, c->intr), STATUS_INVALID_PARAMETER);
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 1);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
			STATUS_SUCCESS);
	/* Again: the object is gone, and the shim does not read it (KASAN). */
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
			STATUS_INVALID_PARAMETER);
}

/*
 * NTSTATUS and errno
 */

struct status_case {
	NTSTATUS status;
	int err;
};

static const struct status_case status_cases[] = {
	{ STATUS_SUCCESS, 0 },
	{ STATUS_PENDING, 0 },
	{ STATUS_INVALID_PARAMETER, -EINVAL },
	{ STATUS_INVALID_PARAMETER_1, -EINVAL },
	{ STATUS_INVALID_PARAMETER_10, -EINVAL },
	{ STATUS_INSUFFICIENT_RESOURCES, -ENOMEM },
	{ STATUS_NO_MEMORY, -ENOMEM },
	{ STATUS_DEVICE_BUSY, -EBUSY },
	{ STATUS_INVALID_DEVICE_REQUEST, -ENXIO },
	{ STATUS_INVALID_DEVICE_STATE, -EIO },
	{ STATUS_NO_SUCH_DEVICE, -ENODEV },
	{ STATUS_DEVICE_NOT_CONNECTED, -ENOTCONN },
	{ STATUS_NOT_SUPPORTED, -EOPNOTSUPP },
	{ STATUS_NOT_IMPLEMENTED, -EOPNOTSUPP },
	{ STATUS_ACCESS_DENIED, -EACCES },
	{ STATUS_BUFFER_TOO_SMALL, -EOVERFLOW },
	{ STATUS_NOT_FOUND, -ENOENT },
	{ STATUS_UNSUCCESSFUL, -EIO },
	{ (NTSTATUS)0xC0DE0001L, -EIO },	/* unknown failure */
};

static void status_case_desc(const struct status_case *t, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "0x%08x", (u32)t->status);
}

KUNIT_ARRAY_PARAM(status, status_cases, status_case_desc);

static void wdm_ntstatus_maps_to_errno(struct kunit *test)
{
	const struct status_case *t = test->param_value;

	KUNIT_EXPECT_EQ(test, wdm_ntstatus_to_errno(t->status), t->err);
}

static void wdm_errno_maps_back_to_ntstatus(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, wdm_errno_to_ntstatus(0), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, wdm_errno_to_ntstatus(-EINVAL), STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, wdm_errno_to_ntstatus(-ENOMEM), STATUS_INSUFFICIENT_RESOURCES);
	KUNIT_EXPECT_EQ(test, wdm_errno_to_ntstatus(-ENOSPC), STATUS_INSUFFICIENT_RESOURCES);
	KUNIT_EXPECT_EQ(test, wdm_errno_to_ntstatus(-EBUSY), STATUS_DEVICE_BUSY);
	KUNIT_EXPECT_EQ(test, wdm_errno_to_ntstatus(-ENODEV), STATUS_NO_SUCH_DEVICE);
	KUNIT_EXPECT_EQ(test, wdm_errno_to_ntstatus(-EL2HLT), STATUS_UNSUCCESSFUL);
	KUNIT_EXPECT_FALSE(test, NT_SUCCESS(STATUS_DEVICE_BUSY));
	KUNIT_EXPECT_TRUE(test, NT_SUCCESS(STATUS_PENDING));
}

/*
 * The severity macros on the codes Windows defines: STATUS_DEVICE_BUSY
 * (0x80000011) is a warning, neither success nor error; STATUS_PENDING
 * (0x103) a success; 0x40000000 (STATUS_OBJECT_NAME_EXISTS) informational.
 */
static void wdm_ntstatus_severity_as_windows(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, NT_ERROR(STATUS_DEVICE_BUSY));
	KUNIT_EXPECT_TRUE(test, NT_WARNING(STATUS_DEVICE_BUSY));
	KUNIT_EXPECT_FALSE(test, NT_INFORMATION(STATUS_DEVICE_BUSY));
	KUNIT_EXPECT_TRUE(test, NT_ERROR(STATUS_INVALID_PARAMETER));
	KUNIT_EXPECT_TRUE(test, NT_ERROR(STATUS_INVALID_PARAMETER_1));
	KUNIT_EXPECT_FALSE(test, NT_WARNING(STATUS_INVALID_PARAMETER));
	KUNIT_EXPECT_FALSE(test, NT_ERROR(STATUS_PENDING));
	KUNIT_EXPECT_FALSE(test, NT_ERROR(STATUS_SUCCESS));
	KUNIT_EXPECT_TRUE(test, NT_INFORMATION((NTSTATUS)0x40000000L));
	KUNIT_EXPECT_TRUE(test, NT_SUCCESS((NTSTATUS)0x40000000L));
}

static struct kunit_case wdm_connect_cases[] = {
	KUNIT_CASE(wdm_isr_only_between_connect_and_disconnect),
	KUNIT_CASE(wdm_debug_shirq_call_not_passed_to_isr),
	KUNIT_CASE(wdm_disconnect_waits_for_running_dpc),
	KUNIT_CASE(wdm_disconnect_runs_queued_dpc),
	KUNIT_CASE(wdm_connect_disconnect_cycles),
	KUNIT_CASE(wdm_shared_line_calls_every_isr),
	KUNIT_CASE(wdm_shared_with_plain_linux_handler),
	KUNIT_CASE(wdm_exclusive_line_refuses_second),
	KUNIT_CASE(wdm_unrequestable_irq_refused),
	KUNIT_CASE(wdm_processor_mask_sets_affinity),
	KUNIT_CASE(wdm_resource_irqls_connect_and_report),
	KUNIT_CASE(wdm_fully_specified_passive_needs_both_levels),
	KUNIT_CASE(wdm_nested_line_is_passive),
	KUNIT_CASE(wdm_connection_pins_the_shim),
	KUNIT_CASE(wdm_dirql_joins_passive_line),
	KUNIT_CASE(wdm_connect_rejects_null_and_unknown_version),
	KUNIT_CASE(wdm_connect_rejects_null_pointers),
	KUNIT_CASE(wdm_connect_rejects_bad_processor_mask),
	KUNIT_CASE(wdm_connect_rejects_bad_irql),
	KUNIT_CASE(wdm_connect_rejects_passive_spinlock),
	KUNIT_CASE(wdm_connect_rejects_bad_mode),
	KUNIT_CASE(wdm_line_based_rejects_missing_device),
	KUNIT_CASE(wdm_disconnect_rejects_bad_input),
	KUNIT_CASE_PARAM(wdm_ntstatus_maps_to_errno, status_gen_params),
	KUNIT_CASE(wdm_errno_maps_back_to_ntstatus),
	KUNIT_CASE(wdm_ntstatus_severity_as_windows),
	{}
};

static struct kunit_suite wdm_connect_suite = {
	.name = "wdm_connect",
	.init = conn_init,
	.exit = conn_exit,
	.test_cases = wdm_connect_cases,
};

kunit_test_suite(wdm_connect_suite);
