// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: DPC queueing. An already-queued DPC is not queued twice and keeps
 * its first arguments; queuing it while it runs makes it run once more;
 * KeRemoveQueueDpc and KeFlushQueuedDpcs behave as documented; DpcForIsr
 * gets its device object; N interrupts may give fewer DPC runs but lose
 * nothing.
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "../module/wdm/wdm_internal.h"
#include "wdm_test.h"

/* A DPC that holds the shim's queue until released, so others wait. */
struct blocker {
	KDPC dpc;
	bool running;
	bool go;
	bool finished;
};

struct dpc_ctx {
	struct wdm_test_irqs irqs;
	DEVICE_OBJECT pdo;
	PKINTERRUPT intr;
	struct blocker blk;
	KDPC dpc;
	int runs;
	PVOID arg1, arg2;
	bool running, go, requeue_self, slow, done;
	bool hardirq, executing;
	int cpu, policy;
	bool in_tdpc_thread;
	unsigned int slow_ms;		/* busy-wait this long in the routine */
	bool query_watchdog;
	bool flush_in_routine;
	NTSTATUS wd_status;
	KDPC_WATCHDOG_INFORMATION wd;
	bool beside_blocker;		/* ran while the blocker spun */
	KIRQL irql;
	/* DpcForIsr */
	PDEVICE_OBJECT seen_dev;
	PIRP seen_irp;
	PVOID seen_ctx;
	/* interrupts against DPC runs */
	atomic_t pending;
	int drained;
};

static KDEFERRED_ROUTINE blocker_routine;

_Use_decl_annotations_
static VOID blocker_routine(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1,
			    PVOID SystemArgument2)
{
	struct blocker *b = DeferredContext;

	WRITE_ONCE(b->running, true);
	wdm_test_spin_until(&b->go);
	WRITE_ONCE(b->finished, true);
}

struct remote_insert {
	PKDPC dpc;
	PDEVICE_OBJECT dev;		/* IoRequestDpc() on it instead */
	PVOID arg1, arg2;
	BOOLEAN ret;
};

static void remote_insert_fn(void *arg)
{
	struct remote_insert *r = arg;

	if (r->dev)
		IoRequestDpc(r->dev, r->arg1, r->arg2);
	else
		r->ret = KeInsertQueueDpc(r->dpc, r->arg1, r->arg2);
}

/*
 * Queue a DPC from CPU 1 (in an IPI), so that it goes on CPU 1's queue and
 * the shim's worker runs it there: a DPC that spins (it may not sleep) must
 * not share a CPU with the test thread, which dpc_init() keeps on CPU 0, and
 * what is queued while a blocker spins there waits behind it.
 */
static BOOLEAN insert2_on_cpu1(struct kunit *test, PKDPC dpc, PVOID arg1, PVOID arg2)
{
	struct remote_insert r = { .dpc = dpc, .arg1 = arg1, .arg2 = arg2 };

	KUNIT_ASSERT_EQ(test, smp_call_function_single(1, remote_insert_fn, &r, 1), 0);
	return r.ret;
}

static BOOLEAN insert_on_cpu1(struct kunit *test, PKDPC dpc, PVOID arg1)
{
	return insert2_on_cpu1(test, dpc, arg1, NULL);
}

static void request_on_cpu1(struct kunit *test, PDEVICE_OBJECT dev, PIRP irp, PVOID ctx)
{
	struct remote_insert r = { .dev = dev, .arg1 = irp, .arg2 = ctx };

	KUNIT_ASSERT_EQ(test, smp_call_function_single(1, remote_insert_fn, &r, 1), 0);
}

static void block_queue(struct kunit *test, struct blocker *b)
{
	KeInitializeDpc(&b->dpc, blocker_routine, b);
	b->running = false;
	b->go = false;
	b->finished = false;
	KUNIT_ASSERT_EQ(test, insert_on_cpu1(test, &b->dpc, NULL), (BOOLEAN)TRUE);
	wdm_test_wait_until(&b->running);
	KUNIT_ASSERT_TRUE(test, READ_ONCE(b->running));
}

static void unblock_queue(struct blocker *b)
{
	WRITE_ONCE(b->go, true);
}

static KDEFERRED_ROUTINE test_routine;

_Use_decl_annotations_
static VOID test_routine(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1,
			 PVOID SystemArgument2)
{
	struct dpc_ctx *c = DeferredContext;

	c->runs++;
	c->beside_blocker = READ_ONCE(c->blk.running) && !READ_ONCE(c->blk.finished);
	c->arg1 = SystemArgument1;
	c->arg2 = SystemArgument2;
	c->hardirq = in_hardirq();
	c->cpu = raw_smp_processor_id();
	c->irql = KeGetCurrentIrql();
	c->executing = KeIsExecutingDpc();
	c->policy = current->policy;
	c->in_tdpc_thread = !strncmp(current->comm, "wdm_tdpc/", 9);
	if (c->slow_ms)
		mdelay(c->slow_ms);
	if (c->query_watchdog)
		c->wd_status = KeQueryDpcWatchdogInformation(&c->wd);
	if (c->flush_in_routine)
		KeFlushQueuedDpcs();
	if (c->runs == 1 && c->requeue_self)
		KeInsertQueueDpc(Dpc, NULL, NULL);
	if (c->runs == 1 && c->slow) {
		WRITE_ONCE(c->running, true);
		wdm_test_spin_until(&c->go);
	}
	WRITE_ONCE(c->done, true);
}

static int dpc_init(struct kunit *test)
{
	struct dpc_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	if (num_online_cpus() < 2)
		return -ENODEV;
	/* Spinning DPCs run on CPU 1 (insert_on_cpu1()); the test stays off it. */
	set_cpus_allowed_ptr(current, cpumask_of(0));
	test->priv = c;
	KeInitializeDpc(&c->dpc, test_routine, c);
	wdm_init_device_object(&c->pdo, NULL);
	return wdm_test_irqs_init(test, &c->irqs);
}

static void dpc_exit(struct kunit *test)
{
	struct dpc_ctx *c = test->priv;

	unblock_queue(&c->blk);
	KeFlushQueuedDpcs();
	wdm_test_irqs_exit(&c->irqs);
}

static void wdm_dpc_second_insert_returns_false(struct kunit *test)
{
	struct dpc_ctx *c = test->priv;

	block_queue(test, &c->blk);
	KUNIT_EXPECT_EQ(test, insert2_on_cpu1(test, &c->dpc, (PVOID)1, (PVOID)2), (BOOLEAN)TRUE);
	KUNIT_EXPECT_EQ(test, insert2_on_cpu1(test, &c->dpc, (PVOID)3, (PVOID)4), (BOOLEAN)FALSE);
	unblock_queue(&c->blk);
	KeFlushQueuedDpcs();
	KUNIT_EXPECT_EQ(test, c->runs, 1);
}

static void wdm_dpc_keeps_first_arguments(struct kunit *test)
{
	struct dpc_ctx *c = test->priv;

	block_queue(test, &c->blk);
	insert2_on_cpu1(test, &c->dpc, (PVOID)1, (PVOID)2);
	insert2_on_cpu1(test, &c->dpc, (PVOID)3, (PVOID)4);
	unblock_queue(&c->blk);
	KeFlushQueuedDpcs();
	KUNIT_EXPECT_PTR_EQ(test, c->arg1, (PVOID)1);
	KUNIT_EXPECT_PTR_EQ(test, c->arg2, (PVOID)2);
}

static void wdm_dpc_queued_while_running_runs_again(struct kunit *test)
{
	struct dpc_ctx *c = test->priv;

	c->slow = true;
	KUNIT_ASSERT_EQ(test, insert_on_cpu1(test, &c->dpc, (PVOID)1), (BOOLEAN)TRUE);
	wdm_test_wait_until(&c->running);
	KUNIT_ASSERT_TRUE(test, READ_ONCE(c->running));
	/* Running is not queued: this queues it again. */
	KUNIT_EXPECT_EQ(test, insert_on_cpu1(test, &c->dpc, (PVOID)2), (BOOLEAN)TRUE);
	WRITE_ONCE(c->go, true);
	KeFlushQueuedDpcs();
	KUNIT_EXPECT_EQ(test, c->runs, 2);
	KUNIT_EXPECT_PTR_EQ(test, c->arg1, (PVOID)2);
}

static void wdm_dpc_queued_from_own_routine_runs_again(struct kunit *test)
{
	struct dpc_ctx *c = test->priv;

	c->requeue_self = true;
	KeInsertQueueDpc(&c->dpc, NULL, NULL);
	KeFlushQueuedDpcs();
	KeFlushQueuedDpcs();
	KUNIT_EXPECT_EQ(test, c->runs, 2);
}

static void wdm_dpc_remove_queued(struct kunit *test)
{
	struct dpc_ctx *c = test->priv;

	block_queue(test, &c->blk);
	insert_on_cpu1(test, &c->dpc, NULL);
	KUNIT_EXPECT_EQ(test, KeRemoveQueueDpc(&c->dpc), (BOOLEAN)TRUE);
	KUNIT_EXPECT_EQ(test, KeRemoveQueueDpc(&c->dpc), (BOOLEAN)FALSE);
	unblock_queue(&c->blk);
	KeFlushQueuedDpcs();
	KUNIT_EXPECT_EQ(test, c->runs, 0);
	/* Removed, it can be queued again. */
	KUNIT_EXPECT_EQ(test, KeInsertQueueDpc(&c->dpc, NULL, NULL), (BOOLEAN)TRUE);
	KeFlushQueuedDpcs();
	KUNIT_EXPECT_EQ(test, c->runs, 1);
}

static void wdm_dpc_remove_not_queued(struct kunit *test)
{
	struct dpc_ctx *c = test->priv;

	KUNIT_EXPECT_EQ(test, KeRemoveQueueDpc(&c->dpc), (BOOLEAN)FALSE);
	KUNIT_EXPECT_EQ(test, c->runs, 0);
}

static void wdm_dpc_flush_waits_for_queued(struct kunit *test)
{
	struct dpc_ctx *c = test->priv;

	block_queue(test, &c->blk);
	insert_on_cpu1(test, &c->dpc, NULL);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(c->done));
	unblock_queue(&c->blk);
	KeFlushQueuedDpcs();
	KUNIT_EXPECT_TRUE(test, READ_ONCE(c->done));
	KUNIT_EXPECT_EQ(test, c->runs, 1);
}

/*
 * At PASSIVE_LEVEL the processor drops below DISPATCH_LEVEL at once: the
 * DPC has run, on this CPU, by the time KeInsertQueueDpc() returns.
 */
static void wdm_dpc_at_passive_runs_before_insert_returns(struct kunit *test)
{
	struct dpc_ctx *c = test->priv;

	KUNIT_ASSERT_EQ(test, KeGetCurrentIrql(), PASSIVE_LEVEL);
	KUNIT_EXPECT_EQ(test, KeInsertQueueDpc(&c->dpc, (PVOID)1, (PVOID)2), (BOOLEAN)TRUE);
	KUNIT_EXPECT_EQ(test, c->runs, 1);
	KUNIT_EXPECT_PTR_EQ(test, c->arg1, (PVOID)1);
	KUNIT_EXPECT_PTR_EQ(test, c->arg2, (PVOID)2);
	KUNIT_EXPECT_FALSE(test, c->hardirq);
	KUNIT_EXPECT_EQ(test, c->cpu, 0);
	KUNIT_EXPECT_EQ(test, c->irql, DISPATCH_LEVEL);
	KUNIT_EXPECT_EQ(test, KeGetCurrentIrql(), PASSIVE_LEVEL);
}

/*
 * Windows runs a DPC on the processor that queued it: two DPCs queued on
 * two CPUs run at the same time. While a blocker spins on CPU 1, a DPC
 * queued on CPU 0 runs; with one queue for the whole system it could only
 * run after the blocker.
 */
static void wdm_dpc_two_cpus_run_side_by_side(struct kunit *test)
{
	struct dpc_ctx *c = test->priv;

	block_queue(test, &c->blk);
	/* CPU 1's queue is busy: the test thread (CPU 0) queues on CPU 0. */
	KUNIT_EXPECT_EQ(test, KeInsertQueueDpc(&c->dpc, NULL, NULL), (BOOLEAN)TRUE);
	wdm_test_wait_until(&c->done);
	KUNIT_EXPECT_TRUE(test, c->beside_blocker);
	unblock_queue(&c->blk);
	KeFlushQueuedDpcs();
	KUNIT_EXPECT_EQ(test, c->runs, 1);
}

static IO_DPC_ROUTINE test_dpc_for_isr;

_Use_decl_annotations_
static VOID test_dpc_for_isr(PKDPC Dpc, struct _DEVICE_OBJECT *DeviceObject,
			     PIRP Irp, PVOID Context)
{
	struct dpc_ctx *c = DeviceObject->DeviceExtension;

	c->runs++;
	c->seen_dev = DeviceObject;
	c->seen_irp = Irp;
	c->seen_ctx = Context;
}

static void wdm_dpc_for_isr_gets_device_irp_context(struct kunit *test)
{
	struct dpc_ctx *c = test->priv;
	PIRP irp = (PIRP)0x1000;

	c->pdo.DeviceExtension = c;
	IoInitializeDpcRequest(&c->pdo, test_dpc_for_isr);
	IoRequestDpc(&c->pdo, irp, (PVOID)0x2000);
	KeFlushQueuedDpcs();
	KUNIT_EXPECT_EQ(test, c->runs, 1);
	KUNIT_EXPECT_PTR_EQ(test, c->seen_dev, &c->pdo);
	KUNIT_EXPECT_PTR_EQ(test, c->seen_irp, irp);
	KUNIT_EXPECT_PTR_EQ(test, c->seen_ctx, (PVOID)0x2000);
}

static void wdm_dpc_for_isr_requested_twice_runs_once(struct kunit *test)
{
	struct dpc_ctx *c = test->priv;

	c->pdo.DeviceExtension = c;
	IoInitializeDpcRequest(&c->pdo, test_dpc_for_isr);
	block_queue(test, &c->blk);
	request_on_cpu1(test, &c->pdo, (PIRP)0x1000, (PVOID)1);
	request_on_cpu1(test, &c->pdo, (PIRP)0x3000, (PVOID)2);
	unblock_queue(&c->blk);
	KeFlushQueuedDpcs();
	KUNIT_EXPECT_EQ(test, c->runs, 1);
	KUNIT_EXPECT_PTR_EQ(test, c->seen_irp, (PIRP)0x1000);
	KUNIT_EXPECT_PTR_EQ(test, c->seen_ctx, (PVOID)1);
}

static KSERVICE_ROUTINE count_isr;

_Use_decl_annotations_
static BOOLEAN count_isr(struct _KINTERRUPT *Interrupt, PVOID ServiceContext)
{
	struct dpc_ctx *c = ServiceContext;

	atomic_inc(&c->pending);
	KeInsertQueueDpc(&c->dpc, NULL, NULL);
	return TRUE;
}

static KSYNCHRONIZE_ROUTINE queue_in_sync;

_Use_decl_annotations_
static BOOLEAN queue_in_sync(PVOID SynchronizeContext)
{
	struct dpc_ctx *c = SynchronizeContext;

	return KeInsertQueueDpc(&c->dpc, NULL, NULL);
}

/*
 * A DPC queued under the interrupt spin lock, from PASSIVE_LEVEL, runs as
 * the IRQL drops again: it has run when KeSynchronizeExecution() returns.
 */
static void wdm_dpc_queued_in_sync_runs_at_release(struct kunit *test)
{
	struct dpc_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;

	wdm_test_fully_specified(&p, &c->pdo, c->irqs.virq[0], &c->intr, count_isr, c);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, KeSynchronizeExecution(c->intr, queue_in_sync, c), (BOOLEAN)TRUE);
	KUNIT_EXPECT_EQ(test, c->runs, 1);
	KUNIT_EXPECT_EQ(test, c->irql, DISPATCH_LEVEL);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
			STATUS_SUCCESS);
}

/* KeFlushQueuedDpcs() from a DPC would wait for itself: reported, returns. */
static void wdm_dpc_flush_from_dpc_is_a_bug(struct kunit *test)
{
	struct dpc_ctx *c = test->priv;
	unsigned long bugs = wdm_bugs_reported();

	c->flush_in_routine = true;
	KeInsertQueueDpc(&c->dpc, NULL, NULL);
	KUNIT_EXPECT_EQ(test, c->runs, 1);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 1UL);
}

static KDEFERRED_ROUTINE drain_routine;

_Use_decl_annotations_
static VOID drain_routine(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1,
			  PVOID SystemArgument2)
{
	struct dpc_ctx *c = DeferredContext;

	c->runs++;
	c->drained += atomic_xchg(&c->pending, 0);
}

static void fire_200(void *arg)
{
	struct dpc_ctx *c = arg;
	int i;

	for (i = 0; i < 200; i++)
		wdm_test_fire(c->irqs.virq[0]);
}

static void wdm_dpc_drains_every_interrupt(struct kunit *test)
{
	struct dpc_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	struct wdm_test_worker w;

	KeInitializeDpc(&c->dpc, drain_routine, c);
	wdm_test_fully_specified(&p, &c->pdo, c->irqs.virq[0], &c->intr, count_isr, c);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, wdm_test_worker_start(&w, 1, fire_200, c), 0);
	wdm_test_worker_wait(&w);
	/* Disconnect returns once every DPC the ISR queued has run. */
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, c->drained, 200);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->pending), 0);
	KUNIT_EXPECT_GE(test, c->runs, 1);
	KUNIT_EXPECT_LE(test, c->runs, 200);
}

static KSERVICE_ROUTINE passive_queue_isr;

/* A passive-level ISR that queues the test DPC. */
_Use_decl_annotations_
static BOOLEAN passive_queue_isr(struct _KINTERRUPT *Interrupt, PVOID ServiceContext)
{
	struct dpc_ctx *c = ServiceContext;

	KeInsertQueueDpc(&c->dpc, NULL, NULL);
	atomic_inc(&c->pending);
	return TRUE;
}

static void unblock_after_500ms(void *arg)
{
	struct dpc_ctx *c = arg;

	msleep(500);
	unblock_queue(&c->blk);
}

/*
 * A DPC queued by a passive-level ISR has run when the disconnect returns,
 * as every DPC of the interrupt must have. The ISR runs in its irq thread
 * on CPU 0 while a blocker keeps CPU 1's queue busy for another 500 ms: a
 * disconnect that did not wait for the passive ISR's DPCs would return at
 * once, before a DPC queued behind the blocker had run.
 */
static void wdm_dpc_of_passive_isr_done_at_disconnect(struct kunit *test)
{
	struct dpc_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	struct wdm_test_worker w;
	int i;

	wdm_test_fully_specified(&p, &c->pdo, c->irqs.virq[0], &c->intr,
				 passive_queue_isr, c);
	p.FullySpecified.Irql = PASSIVE_LEVEL;
	p.FullySpecified.SynchronizeIrql = PASSIVE_LEVEL;
	p.FullySpecified.ProcessorEnableMask = BIT(0);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	block_queue(test, &c->blk);
	wdm_test_fire(c->irqs.virq[0]);
	for (i = 0; i < 5000 && !atomic_read(&c->pending); i++)
		usleep_range(1000, 2000);
	KUNIT_ASSERT_EQ(test, atomic_read(&c->pending), 1);
	KUNIT_ASSERT_EQ(test, wdm_test_worker_start(&w, 0, unblock_after_500ms, c), 0);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, c->runs, 1);
	wdm_test_worker_wait(&w);
}

/* A DPC in memory of its own, which its routine frees, as drivers do. */
struct owned_dpc {
	KDPC dpc;
	atomic_t *ran;
};

static KDEFERRED_ROUTINE free_self_routine;

_Use_decl_annotations_
static VOID free_self_routine(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1,
			      PVOID SystemArgument2)
{
	struct owned_dpc *o = DeferredContext;

	atomic_inc(o->ran);
	kfree(o);
}

static void insert_self_freeing_500(void *arg)
{
	struct dpc_ctx *c = arg;
	struct owned_dpc *o;
	int i;

	for (i = 0; i < 500; i++) {
		o = kzalloc(sizeof(*o), GFP_KERNEL);
		if (!o)
			continue;
		o->ran = &c->pending;
		KeInitializeDpc(&o->dpc, free_self_routine, o);
		KeInsertQueueDpc(&o->dpc, NULL, NULL);
		cond_resched();
	}
}

/*
 * 1000 DPCs that free their own memory, queued from two CPUs while the
 * queues run: KeInsertQueueDpc() must not touch a DPC once it is queued
 * (KASAN watches), and every one runs once.
 */
static void wdm_dpc_may_free_itself(struct kunit *test)
{
	struct dpc_ctx *c = test->priv;
	struct wdm_test_worker w;

	KUNIT_ASSERT_EQ(test, wdm_test_worker_start(&w, 1, insert_self_freeing_500, c), 0);
	insert_self_freeing_500(c);
	wdm_test_worker_wait(&w);
	KeFlushQueuedDpcs();
	KUNIT_EXPECT_EQ(test, atomic_read(&c->pending), 1000);
}

static void remove_until_stopped(void *arg)
{
	struct dpc_ctx *c = arg;

	while (!READ_ONCE(c->go)) {
		KeRemoveQueueDpc(&c->dpc);
		cpu_relax();
	}
}

/*
 * KeRemoveQueueDpc() on CPU 1 races 50 connect, interrupt, disconnect
 * cycles on CPU 0, whose ISR queues the DPC on the interrupt's own queue:
 * the remove must never lock a queue that the disconnect freed (KASAN
 * watches), and no interrupt is lost: each is drained by a DPC run or left
 * counted by a removed one.
 */
static void wdm_dpc_remove_races_disconnect(struct kunit *test)
{
	struct dpc_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	struct wdm_test_worker w;
	int i;

	KeInitializeDpc(&c->dpc, drain_routine, c);
	KUNIT_ASSERT_EQ(test, wdm_test_worker_start(&w, 1, remove_until_stopped, c), 0);
	for (i = 0; i < 50; i++) {
		wdm_test_fully_specified(&p, &c->pdo, c->irqs.virq[0], &c->intr, count_isr, c);
		KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
		wdm_test_fire(c->irqs.virq[0]);
		KUNIT_ASSERT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
				STATUS_SUCCESS);
	}
	WRITE_ONCE(c->go, true);
	wdm_test_worker_wait(&w);
	KUNIT_EXPECT_EQ(test, c->drained + atomic_read(&c->pending), 50);
}

/* KeIsExecutingDpc() is TRUE in a DPC routine only. */
static void wdm_dpc_is_executing_only_in_routine(struct kunit *test)
{
	struct dpc_ctx *c = test->priv;

	KUNIT_EXPECT_EQ(test, KeIsExecutingDpc(), (BOOLEAN)FALSE);
	KeInsertQueueDpc(&c->dpc, NULL, NULL);
	KUNIT_EXPECT_EQ(test, c->runs, 1);
	KUNIT_EXPECT_TRUE(test, c->executing);
	KUNIT_EXPECT_EQ(test, KeIsExecutingDpc(), (BOOLEAN)FALSE);
}

/*
 * A threaded DPC queued outside an ISR runs at PASSIVE_LEVEL in the
 * real-time (SCHED_FIFO) kthread of the CPU that queued it.
 */
static void wdm_threaded_dpc_runs_in_rt_thread(struct kunit *test)
{
	struct dpc_ctx *c = test->priv;

	KeInitializeThreadedDpc(&c->dpc, test_routine, c);
	KUNIT_EXPECT_EQ(test, KeInsertQueueDpc(&c->dpc, (PVOID)7, NULL), (BOOLEAN)TRUE);
	KeFlushQueuedDpcs();
	KUNIT_EXPECT_EQ(test, c->runs, 1);
	KUNIT_EXPECT_PTR_EQ(test, c->arg1, (PVOID)7);
	KUNIT_EXPECT_EQ(test, c->irql, PASSIVE_LEVEL);
	KUNIT_EXPECT_TRUE(test, c->in_tdpc_thread);
	KUNIT_EXPECT_EQ(test, c->policy, SCHED_FIFO);
	KUNIT_EXPECT_EQ(test, c->cpu, 0);
	KUNIT_EXPECT_TRUE(test, c->executing);
}

/* KeFlushQueuedDpcs() waits for threaded DPCs too. */
static void wdm_flush_waits_for_threaded_dpc(struct kunit *test)
{
	struct dpc_ctx *c = test->priv;
	PROCESSOR_NUMBER cpu1 = { .Group = 0, .Number = 1 };

	KeInitializeThreadedDpc(&c->dpc, test_routine, c);
	KUNIT_ASSERT_EQ(test, KeSetTargetProcessorDpcEx(&c->dpc, &cpu1), STATUS_SUCCESS);
	c->slow = true;
	KeInsertQueueDpc(&c->dpc, NULL, NULL);
	wdm_test_wait_until(&c->running);
	KUNIT_ASSERT_TRUE(test, READ_ONCE(c->running));
	KUNIT_EXPECT_FALSE(test, READ_ONCE(c->done));
	WRITE_ONCE(c->go, true);
	KeFlushQueuedDpcs();
	KUNIT_EXPECT_TRUE(test, READ_ONCE(c->done));
	KUNIT_EXPECT_EQ(test, c->cpu, 1);
}

struct order_dpc {
	KDPC dpc;
	int id;
	int *order;
	int *n;
};

static KDEFERRED_ROUTINE order_routine;

_Use_decl_annotations_
static VOID order_routine(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1,
			  PVOID SystemArgument2)
{
	struct order_dpc *o = DeferredContext;

	o->order[(*o->n)++] = o->id;
}

/*
 * HighImportance puts a DPC at the head of the queue: queued last while
 * the CPU is at DISPATCH_LEVEL, it runs first when the level drops.
 */
static void wdm_dpc_high_importance_runs_first(struct kunit *test)
{
	struct order_dpc o[3];
	int order[3] = {}, n = 0, i;
	KIRQL old;

	for (i = 0; i < 3; i++) {
		o[i].id = i;
		o[i].order = order;
		o[i].n = &n;
		KeInitializeDpc(&o[i].dpc, order_routine, &o[i]);
	}
	KeSetImportanceDpc(&o[2].dpc, HighImportance);
	KeSetImportanceDpc(&o[1].dpc, LowImportance);
	old = KeRaiseIrqlToDpcLevel();
	for (i = 0; i < 3; i++)
		KeInsertQueueDpc(&o[i].dpc, NULL, NULL);
	KUNIT_EXPECT_EQ(test, n, 0);
	KeLowerIrql(old);
	KUNIT_ASSERT_EQ(test, n, 3);
	KUNIT_EXPECT_EQ(test, order[0], 2);
	KUNIT_EXPECT_EQ(test, order[1], 0);
	KUNIT_EXPECT_EQ(test, order[2], 1);
}

static void insert3_fn(void *arg)
{
	struct order_dpc *o = arg;
	int i;

	for (i = 0; i < 3; i++)
		KeInsertQueueDpc(&o[i].dpc, NULL, NULL);
}

/*
 * Three DPCs queued in one hard-IRQ stretch (an IPI on CPU 1): only the
 * first finds the queue empty and wakes its runner, which takes the other
 * two as well: each runs once, in the order queued, on CPU 1.
 */
static void wdm_dpc_queued_behind_others_run_with_them(struct kunit *test)
{
	struct order_dpc o[3];
	int order[3] = {}, n = 0, i;

	for (i = 0; i < 3; i++) {
		o[i].id = i;
		o[i].order = order;
		o[i].n = &n;
		KeInitializeDpc(&o[i].dpc, order_routine, &o[i]);
	}
	KUNIT_ASSERT_EQ(test, smp_call_function_single(1, insert3_fn, o, 1), 0);
	KeFlushQueuedDpcs();
	KUNIT_ASSERT_EQ(test, READ_ONCE(n), 3);
	KUNIT_EXPECT_EQ(test, order[0], 0);
	KUNIT_EXPECT_EQ(test, order[1], 1);
	KUNIT_EXPECT_EQ(test, order[2], 2);
}

/* KeSetTargetProcessorDpc(): queued on CPU 0, the DPC runs on CPU 1. */
static void wdm_dpc_runs_on_target_processor(struct kunit *test)
{
	struct dpc_ctx *c = test->priv;

	KeSetTargetProcessorDpc(&c->dpc, 1);
	KUNIT_EXPECT_EQ(test, KeInsertQueueDpc(&c->dpc, NULL, NULL), (BOOLEAN)TRUE);
	KeFlushQueuedDpcs();
	KUNIT_EXPECT_EQ(test, c->runs, 1);
	KUNIT_EXPECT_EQ(test, c->cpu, 1);
	KUNIT_EXPECT_EQ(test, c->irql, DISPATCH_LEVEL);
}

/*
 * KeSetTargetProcessorDpcEx() takes group 0 number 1 (CPU 1), and
 * STATUS_INVALID_PARAMETER for a processor that does not exist.
 */
static void wdm_dpc_target_processor_ex(struct kunit *test)
{
	struct dpc_ctx *c = test->priv;
	PROCESSOR_NUMBER pn = { .Group = 0, .Number = 1 };
	PROCESSOR_NUMBER none = { .Group = 0, .Number = 63 };
	PROCESSOR_NUMBER group1 = { .Group = 1, .Number = 0 };

	KUNIT_ASSERT_LT(test, nr_cpu_ids, 64U);
	KUNIT_EXPECT_EQ(test, KeSetTargetProcessorDpcEx(&c->dpc, &none),
			STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, KeSetTargetProcessorDpcEx(&c->dpc, &group1),
			STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, KeSetTargetProcessorDpcEx(&c->dpc, &pn), STATUS_SUCCESS);
	KeInsertQueueDpc(&c->dpc, NULL, NULL);
	KeFlushQueuedDpcs();
	KUNIT_EXPECT_EQ(test, c->runs, 1);
	KUNIT_EXPECT_EQ(test, c->cpu, 1);
}

/*
 * KeQueryDpcWatchdogInformation(): STATUS_UNSUCCESSFUL outside a DPC; in
 * one, Windows' limits (20 s for one DPC, 120 s back to back) in clock
 * ticks, with time left of each.
 */
static void wdm_dpc_watchdog_information(struct kunit *test)
{
	struct dpc_ctx *c = test->priv;
	KDPC_WATCHDOG_INFORMATION wd;

	KUNIT_EXPECT_EQ(test, KeQueryDpcWatchdogInformation(&wd), STATUS_UNSUCCESSFUL);
	c->query_watchdog = true;
	KeInsertQueueDpc(&c->dpc, NULL, NULL);
	KUNIT_ASSERT_EQ(test, c->runs, 1);
	KUNIT_EXPECT_EQ(test, c->wd_status, STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, jiffies_to_msecs(c->wd.DpcTimeLimit), 20000U);
	KUNIT_EXPECT_EQ(test, jiffies_to_msecs(c->wd.DpcWatchdogLimit), 120000U);
	KUNIT_EXPECT_GT(test, c->wd.DpcTimeCount, 0U);
	KUNIT_EXPECT_LE(test, c->wd.DpcTimeCount, c->wd.DpcTimeLimit);
	KUNIT_EXPECT_GT(test, c->wd.DpcWatchdogCount, 0U);
	KUNIT_EXPECT_LE(test, c->wd.DpcWatchdogCount, c->wd.DpcWatchdogLimit);
}

/* A DPC that runs past dpc_time_limit_ms is reported, once. */
static void wdm_dpc_watchdog_reports_long_dpc(struct kunit *test)
{
	struct dpc_ctx *c = test->priv;
	unsigned int saved = dpc_time_limit_ms;
	unsigned long before = wdm_dpc_watchdog_count();

	dpc_time_limit_ms = 1;
	c->slow_ms = 3;
	KeInsertQueueDpc(&c->dpc, NULL, NULL);
	c->slow_ms = 0;
	KeInsertQueueDpc(&c->dpc, NULL, NULL);
	dpc_time_limit_ms = saved;
	KUNIT_EXPECT_EQ(test, c->runs, 2);
	KUNIT_EXPECT_EQ(test, wdm_dpc_watchdog_count() - before, 1UL);
}

static struct kunit_case wdm_dpc_cases[] = {
	KUNIT_CASE(wdm_dpc_second_insert_returns_false),
	KUNIT_CASE(wdm_dpc_keeps_first_arguments),
	KUNIT_CASE(wdm_dpc_queued_while_running_runs_again),
	KUNIT_CASE(wdm_dpc_queued_from_own_routine_runs_again),
	KUNIT_CASE(wdm_dpc_remove_queued),
	KUNIT_CASE(wdm_dpc_remove_not_queued),
	KUNIT_CASE(wdm_dpc_flush_waits_for_queued),
	KUNIT_CASE(wdm_dpc_at_passive_runs_before_insert_returns),
	KUNIT_CASE(wdm_dpc_two_cpus_run_side_by_side),
	KUNIT_CASE(wdm_dpc_for_isr_gets_device_irp_context),
	KUNIT_CASE(wdm_dpc_for_isr_requested_twice_runs_once),
	KUNIT_CASE(wdm_dpc_drains_every_interrupt),
	KUNIT_CASE(wdm_dpc_of_passive_isr_done_at_disconnect),
	KUNIT_CASE(wdm_dpc_may_free_itself),
	KUNIT_CASE(wdm_dpc_remove_races_disconnect),
	KUNIT_CASE(wdm_dpc_is_executing_only_in_routine),
	KUNIT_CASE(wdm_threaded_dpc_runs_in_rt_thread),
	KUNIT_CASE(wdm_flush_waits_for_threaded_dpc),
	KUNIT_CASE(wdm_dpc_high_importance_runs_first),
	KUNIT_CASE(wdm_dpc_queued_behind_others_run_with_them),
	KUNIT_CASE(wdm_dpc_runs_on_target_processor),
	KUNIT_CASE(wdm_dpc_target_processor_ex),
	KUNIT_CASE(wdm_dpc_watchdog_information),
	KUNIT_CASE(wdm_dpc_watchdog_reports_long_dpc),
	KUNIT_CASE(wdm_dpc_queued_in_sync_runs_at_release),
	KUNIT_CASE(wdm_dpc_flush_from_dpc_is_a_bug),
	{}
};

static struct kunit_suite wdm_dpc_suite = {
	.name = "wdm_dpc",
	.init = dpc_init,
	.exit = dpc_exit,
	.test_cases = wdm_dpc_cases,
};

kunit_test_suite(wdm_dpc_suite);
