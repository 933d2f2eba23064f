// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: KeRaiseIrql and KeLowerIrql. Each level reads back exactly, with
 * the Linux state that stands for it; wrong-way raises and lowers are
 * reported and change nothing; DPCs wait for the level to drop below
 * DISPATCH_LEVEL; each CPU has its own level. The expectations are
 * Microsoft's, and what ReactOS's kmtests KeIrql.c asserts on Windows.
 */
#include <kunit/test.h>
#include <linux/bottom_half.h>
#include <linux/delay.h>
#include <linux/hardirq.h>
#include <linux/irqflags.h>
#include <linux/preempt.h>
#include <linux/smp.h>
#include <linux/spinlock.h>

#include "../module/wdm/wdm_internal.h"
#include "wdm_test.h"

/* What the current context looks like, to Windows and to Linux. */
struct irql_seen {
	KIRQL irql;
	bool preemptible;
	bool bh_off;
	bool irqs_off;
};

struct irql_ctx {
	KDPC dpc;
	int runs;
	PVOID arg1, arg2;
	int cpu;
	struct irql_seen entry;		/* the DPC's or ISR's, on entry */
	/* inside a DPC or ISR: KeRaiseIrql(HIGH_LEVEL) and back */
	KIRQL old, high, back;
	/* inside a DPC or ISR: after KeLowerIrql(PASSIVE_LEVEL) */
	KIRQL after_lower;
	/* two CPUs */
	bool raised, looked;
	bool wait_ok0, wait_ok1;
	KIRQL cpu0_passive, cpu0_raised, cpu1_raised, cpu1_lowered;
};

static void irql_look(struct irql_seen *s)
{
	s->irql = KeGetCurrentIrql();
	s->preemptible = preemptible();
	s->bh_off = in_softirq();
	s->irqs_off = irqs_disabled();
}

/* Expect @s to be @irql with the Linux state of that level. */
static void irql_expect(struct kunit *test, const struct irql_seen *s, KIRQL irql)
{
	KUNIT_EXPECT_EQ(test, s->irql, irql);
	KUNIT_EXPECT_EQ(test, s->preemptible, irql == PASSIVE_LEVEL);
	KUNIT_EXPECT_EQ(test, s->bh_off, irql >= DISPATCH_LEVEL);
	KUNIT_EXPECT_EQ(test, s->irqs_off, irql > DISPATCH_LEVEL);
}

/* The test thread is back where it started. */
static void irql_expect_passive(struct kunit *test)
{
	struct irql_seen s;

	irql_look(&s);
	irql_expect(test, &s, PASSIVE_LEVEL);
}

static KDEFERRED_ROUTINE irql_dpc;

_Use_decl_annotations_
static VOID irql_dpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1,
		     PVOID SystemArgument2)
{
	struct irql_ctx *c = DeferredContext;

	irql_look(&c->entry);
	c->arg1 = SystemArgument1;
	c->arg2 = SystemArgument2;
	c->cpu = raw_smp_processor_id();
	WRITE_ONCE(c->runs, c->runs + 1);
}

static KDEFERRED_ROUTINE irql_dpc_raises;

_Use_decl_annotations_
static VOID irql_dpc_raises(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1,
			    PVOID SystemArgument2)
{
	struct irql_ctx *c = DeferredContext;

	irql_look(&c->entry);
	KeRaiseIrql(HIGH_LEVEL, &c->old);
	c->high = KeGetCurrentIrql();
	KeLowerIrql(c->old);
	c->back = KeGetCurrentIrql();
	WRITE_ONCE(c->runs, c->runs + 1);
}

static KDEFERRED_ROUTINE irql_dpc_lowers;

_Use_decl_annotations_
static VOID irql_dpc_lowers(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1,
			    PVOID SystemArgument2)
{
	struct irql_ctx *c = DeferredContext;

	irql_look(&c->entry);
	KeLowerIrql(PASSIVE_LEVEL);
	c->after_lower = KeGetCurrentIrql();
	WRITE_ONCE(c->runs, c->runs + 1);
}

static int irql_init(struct kunit *test)
{
	struct irql_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	test->priv = c;
	KeInitializeDpc(&c->dpc, irql_dpc, c);
	return 0;
}

static void irql_exit(struct kunit *test)
{
	KeFlushQueuedDpcs();
}

static void wdm_irql_raise_to_high_level(struct kunit *test)
{
	unsigned long bugs = wdm_bugs_reported();
	struct irql_seen at;
	KIRQL old;

	KeRaiseIrql(HIGH_LEVEL, &old);
	irql_look(&at);
	KeLowerIrql(old);
	KUNIT_EXPECT_EQ(test, old, PASSIVE_LEVEL);
	irql_expect(test, &at, HIGH_LEVEL);
	irql_expect_passive(test);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 0UL);
}

/* A device level, as a translated interrupt resource gives it. */
static void wdm_irql_raise_to_device_level(struct kunit *test)
{
	struct irql_seen at;
	KIRQL old;

	KeRaiseIrql(5, &old);
	irql_look(&at);
	KeLowerIrql(old);
	KUNIT_EXPECT_EQ(test, old, PASSIVE_LEVEL);
	irql_expect(test, &at, 5);
	irql_expect_passive(test);
}

static void wdm_irql_raise_to_dpc_level(struct kunit *test)
{
	struct irql_seen at, again_at;
	KIRQL old, again;

	old = KeRaiseIrqlToDpcLevel();
	irql_look(&at);
	/* Already there: returns DISPATCH_LEVEL, changes nothing. */
	again = KeRaiseIrqlToDpcLevel();
	irql_look(&again_at);
	KeLowerIrql(PASSIVE_LEVEL);
	KUNIT_EXPECT_EQ(test, old, PASSIVE_LEVEL);
	irql_expect(test, &at, DISPATCH_LEVEL);
	KUNIT_EXPECT_EQ(test, again, DISPATCH_LEVEL);
	irql_expect(test, &again_at, DISPATCH_LEVEL);
	irql_expect_passive(test);
}

static void wdm_irql_raise_to_synch_level(struct kunit *test)
{
	struct irql_seen at;
	KIRQL old, again;

	old = KeRaiseIrqlToSynchLevel();
	irql_look(&at);
	again = KeRaiseIrqlToSynchLevel();
	KeLowerIrql(PASSIVE_LEVEL);
	KUNIT_EXPECT_EQ(test, old, PASSIVE_LEVEL);
	KUNIT_EXPECT_EQ(test, SYNCH_LEVEL, 12);
	irql_expect(test, &at, SYNCH_LEVEL);
	KUNIT_EXPECT_EQ(test, again, SYNCH_LEVEL);
	irql_expect_passive(test);
}

/*
 * APC_LEVEL turns preemption off only. Below DISPATCH_LEVEL a DPC is not
 * held back: queued here it has run when KeInsertQueueDpc() returns.
 */
static void wdm_irql_raise_to_apc_level(struct kunit *test)
{
	struct irql_ctx *c = test->priv;
	struct irql_seen at;
	BOOLEAN queued;
	int runs;
	KIRQL old;

	KeRaiseIrql(APC_LEVEL, &old);
	irql_look(&at);
	queued = KeInsertQueueDpc(&c->dpc, NULL, NULL);
	runs = READ_ONCE(c->runs);
	KeLowerIrql(old);
	KUNIT_EXPECT_EQ(test, old, PASSIVE_LEVEL);
	irql_expect(test, &at, APC_LEVEL);
	KUNIT_EXPECT_EQ(test, queued, (BOOLEAN)TRUE);
	KUNIT_EXPECT_EQ(test, runs, 1);
	irql_expect(test, &c->entry, DISPATCH_LEVEL);
	irql_expect_passive(test);
}

/* Up 2, 5, HIGH_LEVEL and down again: each step exact, each return the level before. */
static void wdm_irql_nested_raise_and_lower(struct kunit *test)
{
	struct irql_seen s[5];
	KIRQL old2, old5, old15;

	KeRaiseIrql(DISPATCH_LEVEL, &old2);
	irql_look(&s[0]);
	KeRaiseIrql(5, &old5);
	irql_look(&s[1]);
	KeRaiseIrql(HIGH_LEVEL, &old15);
	irql_look(&s[2]);
	KeLowerIrql(old15);
	irql_look(&s[3]);
	KeLowerIrql(old5);
	irql_look(&s[4]);
	KeLowerIrql(old2);
	KUNIT_EXPECT_EQ(test, old2, PASSIVE_LEVEL);
	KUNIT_EXPECT_EQ(test, old5, DISPATCH_LEVEL);
	KUNIT_EXPECT_EQ(test, old15, 5);
	irql_expect(test, &s[0], DISPATCH_LEVEL);
	irql_expect(test, &s[1], 5);
	irql_expect(test, &s[2], HIGH_LEVEL);
	irql_expect(test, &s[3], 5);
	irql_expect(test, &s[4], DISPATCH_LEVEL);
	irql_expect_passive(test);
}

/*
 * Raising or lowering to the current level changes nothing, and is no bug,
 * at every band of levels: PASSIVE_LEVEL, APC_LEVEL, DISPATCH_LEVEL and
 * HIGH_LEVEL (a fast mutex taken inside another raises APC to APC).
 */
static void wdm_irql_same_level_changes_nothing(struct kunit *test)
{
	static const KIRQL levels[] = {
		PASSIVE_LEVEL, APC_LEVEL, DISPATCH_LEVEL, HIGH_LEVEL
	};
	unsigned long bugs = wdm_bugs_reported();
	unsigned int pc = preempt_count(), pc_first, pc_again, pc_lowered;
	struct irql_seen raised, lowered;
	KIRQL first, again;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(levels); i++) {
		KeRaiseIrql(levels[i], &first);
		pc_first = preempt_count();
		KeRaiseIrql(levels[i], &again);
		pc_again = preempt_count();
		irql_look(&raised);
		KeLowerIrql(again);
		pc_lowered = preempt_count();
		irql_look(&lowered);
		KeLowerIrql(first);
		KUNIT_EXPECT_EQ(test, first, PASSIVE_LEVEL);
		KUNIT_EXPECT_EQ(test, again, levels[i]);
		irql_expect(test, &raised, levels[i]);
		irql_expect(test, &lowered, levels[i]);
		/* The Linux state of the level, untouched by the same-level calls */
		KUNIT_EXPECT_EQ(test, pc_again, pc_first);
		KUNIT_EXPECT_EQ(test, pc_lowered, pc_first);
		irql_expect_passive(test);
		KUNIT_EXPECT_EQ(test, preempt_count(), pc);
	}
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 0UL);
}

/*
 * KeRaiseIrql(APC_LEVEL) at HIGH_LEVEL: IRQL_NOT_GREATER_OR_EQUAL on
 * Windows. Reported once; the level stays, and the value returned is the
 * current level, so that the KeLowerIrql() that follows changes nothing.
 */
static void wdm_irql_raise_to_lower_level_reported(struct kunit *test)
{
	unsigned long bugs = wdm_bugs_reported();
	struct irql_seen after;
	KIRQL old, bad_old;

	KeRaiseIrql(HIGH_LEVEL, &old);
	KeRaiseIrql(APC_LEVEL, &bad_old);
	irql_look(&after);
	KeLowerIrql(bad_old);
	KeLowerIrql(old);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 1UL);
	irql_expect(test, &after, HIGH_LEVEL);
	KUNIT_EXPECT_EQ(test, bad_old, HIGH_LEVEL);
	irql_expect_passive(test);
}

/* KeLowerIrql(HIGH_LEVEL) at APC_LEVEL: IRQL_NOT_LESS_OR_EQUAL. */
static void wdm_irql_lower_to_higher_level_reported(struct kunit *test)
{
	unsigned long bugs = wdm_bugs_reported();
	struct irql_seen after;
	KIRQL old;

	KeRaiseIrql(APC_LEVEL, &old);
	KeLowerIrql(HIGH_LEVEL);
	irql_look(&after);
	KeLowerIrql(old);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 1UL);
	irql_expect(test, &after, APC_LEVEL);
	irql_expect_passive(test);
}

/*
 * Queued at DISPATCH_LEVEL, a DPC waits: not even a short busy wait lets
 * it run. It runs once, on this CPU, as KeLowerIrql() drops below
 * DISPATCH_LEVEL, with the arguments of the first insert.
 */
static void wdm_irql_dpc_waits_below_dispatch_level(struct kunit *test)
{
	struct irql_ctx *c = test->priv;
	BOOLEAN first, second;
	int cpu, runs;
	KIRQL old;

	old = KeRaiseIrqlToDpcLevel();
	cpu = smp_processor_id();
	first = KeInsertQueueDpc(&c->dpc, &c->arg1, &c->arg2);
	second = KeInsertQueueDpc(&c->dpc, &c->runs, &c->cpu);
	mdelay(10);
	runs = READ_ONCE(c->runs);
	KeLowerIrql(old);
	KUNIT_EXPECT_EQ(test, first, (BOOLEAN)TRUE);
	KUNIT_EXPECT_EQ(test, second, (BOOLEAN)FALSE);
	KUNIT_EXPECT_EQ(test, runs, 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(c->runs), 1);
	KUNIT_EXPECT_PTR_EQ(test, c->arg1, (PVOID)&c->arg1);
	KUNIT_EXPECT_PTR_EQ(test, c->arg2, (PVOID)&c->arg2);
	KUNIT_EXPECT_EQ(test, c->cpu, cpu);
	irql_expect(test, &c->entry, DISPATCH_LEVEL);
	KeFlushQueuedDpcs();
	KUNIT_EXPECT_EQ(test, READ_ONCE(c->runs), 1);
	irql_expect_passive(test);
}

/* Queued at HIGH_LEVEL: still waiting at DISPATCH_LEVEL, run below it. */
static void wdm_irql_dpc_waits_from_high_level(struct kunit *test)
{
	struct irql_ctx *c = test->priv;
	BOOLEAN first, second;
	int at_high, at_dispatch, cpu;
	KIRQL old;

	KeRaiseIrql(HIGH_LEVEL, &old);
	cpu = smp_processor_id();
	first = KeInsertQueueDpc(&c->dpc, &c->arg1, &c->arg2);
	second = KeInsertQueueDpc(&c->dpc, &c->runs, &c->cpu);
	at_high = READ_ONCE(c->runs);
	KeLowerIrql(DISPATCH_LEVEL);
	mdelay(10);
	at_dispatch = READ_ONCE(c->runs);
	KeLowerIrql(old);
	KUNIT_EXPECT_EQ(test, first, (BOOLEAN)TRUE);
	KUNIT_EXPECT_EQ(test, second, (BOOLEAN)FALSE);
	KUNIT_EXPECT_EQ(test, at_high, 0);
	KUNIT_EXPECT_EQ(test, at_dispatch, 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(c->runs), 1);
	KUNIT_EXPECT_PTR_EQ(test, c->arg1, (PVOID)&c->arg1);
	KUNIT_EXPECT_PTR_EQ(test, c->arg2, (PVOID)&c->arg2);
	KUNIT_EXPECT_EQ(test, c->cpu, cpu);
	KeFlushQueuedDpcs();
	KUNIT_EXPECT_EQ(test, READ_ONCE(c->runs), 1);
	irql_expect_passive(test);
}

static void wdm_irql_dpc_removed_at_dispatch_level(struct kunit *test)
{
	struct irql_ctx *c = test->priv;
	BOOLEAN queued, removed, again;
	KIRQL old;

	old = KeRaiseIrqlToDpcLevel();
	queued = KeInsertQueueDpc(&c->dpc, NULL, NULL);
	removed = KeRemoveQueueDpc(&c->dpc);
	again = KeRemoveQueueDpc(&c->dpc);
	KeLowerIrql(old);
	KeFlushQueuedDpcs();
	KUNIT_EXPECT_EQ(test, queued, (BOOLEAN)TRUE);
	KUNIT_EXPECT_EQ(test, removed, (BOOLEAN)TRUE);
	KUNIT_EXPECT_EQ(test, again, (BOOLEAN)FALSE);
	KUNIT_EXPECT_EQ(test, READ_ONCE(c->runs), 0);
}

/* Insert, remove, insert again at HIGH_LEVEL: one run, with the new arguments. */
static void wdm_irql_dpc_insert_and_remove_at_high_level(struct kunit *test)
{
	struct irql_ctx *c = test->priv;
	BOOLEAN queued, removed, requeued;
	KIRQL old;

	KeRaiseIrql(HIGH_LEVEL, &old);
	queued = KeInsertQueueDpc(&c->dpc, &c->runs, &c->cpu);
	removed = KeRemoveQueueDpc(&c->dpc);
	requeued = KeInsertQueueDpc(&c->dpc, &c->arg1, &c->arg2);
	KeLowerIrql(old);
	KeFlushQueuedDpcs();
	KUNIT_EXPECT_EQ(test, queued, (BOOLEAN)TRUE);
	KUNIT_EXPECT_EQ(test, removed, (BOOLEAN)TRUE);
	KUNIT_EXPECT_EQ(test, requeued, (BOOLEAN)TRUE);
	KUNIT_EXPECT_EQ(test, READ_ONCE(c->runs), 1);
	KUNIT_EXPECT_PTR_EQ(test, c->arg1, (PVOID)&c->arg1);
	KUNIT_EXPECT_PTR_EQ(test, c->arg2, (PVOID)&c->arg2);
}

/* A DPC runs at DISPATCH_LEVEL and may raise from there and come back. */
static void wdm_irql_dpc_raises_and_lowers(struct kunit *test)
{
	struct irql_ctx *c = test->priv;
	unsigned long bugs = wdm_bugs_reported();

	KeInitializeDpc(&c->dpc, irql_dpc_raises, c);
	KUNIT_EXPECT_EQ(test, KeInsertQueueDpc(&c->dpc, NULL, NULL), (BOOLEAN)TRUE);
	KUNIT_EXPECT_EQ(test, READ_ONCE(c->runs), 1);
	irql_expect(test, &c->entry, DISPATCH_LEVEL);
	KUNIT_EXPECT_EQ(test, c->old, DISPATCH_LEVEL);
	KUNIT_EXPECT_EQ(test, c->high, HIGH_LEVEL);
	KUNIT_EXPECT_EQ(test, c->back, DISPATCH_LEVEL);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 0UL);
	irql_expect_passive(test);
}

/* A DPC may not lower below DISPATCH_LEVEL: reported, and it stays there. */
static void wdm_irql_dpc_lowering_to_passive_reported(struct kunit *test)
{
	struct irql_ctx *c = test->priv;
	unsigned long bugs = wdm_bugs_reported();

	KeInitializeDpc(&c->dpc, irql_dpc_lowers, c);
	KUNIT_EXPECT_EQ(test, KeInsertQueueDpc(&c->dpc, NULL, NULL), (BOOLEAN)TRUE);
	KUNIT_EXPECT_EQ(test, READ_ONCE(c->runs), 1);
	irql_expect(test, &c->entry, DISPATCH_LEVEL);
	KUNIT_EXPECT_EQ(test, c->after_lower, DISPATCH_LEVEL);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 1UL);
	irql_expect_passive(test);
}

/* CPU 1: at HIGH_LEVEL while CPU 0 looks at its own level. */
static void irql_cpu1_fn(void *arg)
{
	struct irql_ctx *c = arg;
	KIRQL old;

	KeRaiseIrql(HIGH_LEVEL, &old);
	WRITE_ONCE(c->raised, true);
	c->wait_ok1 = wdm_test_spin_until(&c->looked);
	c->cpu1_raised = KeGetCurrentIrql();
	KeLowerIrql(old);
	c->cpu1_lowered = KeGetCurrentIrql();
}

/* CPU 0: PASSIVE_LEVEL beside it, then a level of its own. */
static void irql_cpu0_fn(void *arg)
{
	struct irql_ctx *c = arg;
	KIRQL old;

	c->wait_ok0 = wdm_test_wait_until(&c->raised);
	c->cpu0_passive = KeGetCurrentIrql();
	KeRaiseIrql(5, &old);
	c->cpu0_raised = KeGetCurrentIrql();
	KeLowerIrql(old);
	WRITE_ONCE(c->looked, true);
}

/*
 * Each CPU has its own level: CPU 1 at HIGH_LEVEL leaves CPU 0 at
 * PASSIVE_LEVEL, and CPU 0 raised to 5 in the meantime leaves CPU 1 at
 * HIGH_LEVEL.
 */
static void wdm_irql_is_per_cpu(struct kunit *test)
{
	struct irql_ctx *c = test->priv;

	wdm_test_on_two_cpus(test, irql_cpu0_fn, irql_cpu1_fn, c, &c->raised);
	KUNIT_EXPECT_TRUE(test, c->wait_ok0);
	KUNIT_EXPECT_TRUE(test, c->wait_ok1);
	KUNIT_EXPECT_EQ(test, c->cpu0_passive, PASSIVE_LEVEL);
	KUNIT_EXPECT_EQ(test, c->cpu0_raised, 5);
	KUNIT_EXPECT_EQ(test, c->cpu1_raised, HIGH_LEVEL);
	KUNIT_EXPECT_EQ(test, c->cpu1_lowered, PASSIVE_LEVEL);
}

/* A Linux lock taken after the raise does not change the level. */
static void wdm_irql_linux_lock_keeps_level(struct kunit *test)
{
	static DEFINE_RAW_SPINLOCK(linux_lock);
	KIRQL old, at_dispatch, at_five;

	old = KeRaiseIrqlToDpcLevel();
	raw_spin_lock(&linux_lock);
	at_dispatch = KeGetCurrentIrql();
	raw_spin_unlock(&linux_lock);
	KeLowerIrql(old);
	KeRaiseIrql(5, &old);
	raw_spin_lock(&linux_lock);
	at_five = KeGetCurrentIrql();
	raw_spin_unlock(&linux_lock);
	KeLowerIrql(old);
	KUNIT_EXPECT_EQ(test, at_dispatch, DISPATCH_LEVEL);
	KUNIT_EXPECT_EQ(test, at_five, 5);
	irql_expect_passive(test);
}

static KSERVICE_ROUTINE irql_isr;

/* Raise from the ISR's level and back, then try to lower below it. */
_Use_decl_annotations_
static BOOLEAN irql_isr(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
	struct irql_ctx *c = ServiceContext;

	irql_look(&c->entry);
	KeRaiseIrql(HIGH_LEVEL, &c->old);
	c->high = KeGetCurrentIrql();
	KeLowerIrql(c->old);
	c->back = KeGetCurrentIrql();
	KeLowerIrql(PASSIVE_LEVEL);
	c->after_lower = KeGetCurrentIrql();
	c->runs++;
	return TRUE;
}

/*
 * A fully specified connection at Irql 7 with SynchronizeIrql 8 (a lock
 * shared with a higher interrupt): the ISR runs at 8, may raise from there
 * and come back, and may not lower below it (reported once).
 */
static void wdm_irql_isr_raises_from_synchronize_irql(struct kunit *test)
{
	struct irql_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	struct wdm_test_irqs irqs;
	PKINTERRUPT intr = NULL;
	DEVICE_OBJECT pdo;
	unsigned long bugs;

	KUNIT_ASSERT_EQ(test, wdm_test_irqs_init(test, &irqs), 0);
	wdm_init_device_object(&pdo, NULL);
	wdm_test_fully_specified(&p, &pdo, irqs.virq[0], &intr, irql_isr, c);
	p.FullySpecified.Irql = 7;
	p.FullySpecified.SynchronizeIrql = 8;
	if (IoConnectInterruptEx(&p) != STATUS_SUCCESS) {
		wdm_test_irqs_exit(&irqs);
		KUNIT_FAIL(test, "IoConnectInterruptEx failed");
		return;
	}
	bugs = wdm_bugs_reported();
	wdm_test_fire(irqs.virq[0]);
	bugs = wdm_bugs_reported() - bugs;
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, intr),
			STATUS_SUCCESS);
	wdm_test_irqs_exit(&irqs);
	KUNIT_EXPECT_EQ(test, c->runs, 1);
	KUNIT_EXPECT_EQ(test, c->entry.irql, 8);
	KUNIT_EXPECT_TRUE(test, c->entry.irqs_off);
	KUNIT_EXPECT_EQ(test, c->old, 8);
	KUNIT_EXPECT_EQ(test, c->high, HIGH_LEVEL);
	KUNIT_EXPECT_EQ(test, c->back, 8);
	KUNIT_EXPECT_EQ(test, c->after_lower, 8);
	KUNIT_EXPECT_EQ(test, bugs, 1UL);
	irql_expect_passive(test);
}

static struct kunit_case wdm_irql_cases[] = {
	KUNIT_CASE(wdm_irql_raise_to_high_level),
	KUNIT_CASE(wdm_irql_raise_to_device_level),
	KUNIT_CASE(wdm_irql_raise_to_dpc_level),
	KUNIT_CASE(wdm_irql_raise_to_synch_level),
	KUNIT_CASE(wdm_irql_raise_to_apc_level),
	KUNIT_CASE(wdm_irql_nested_raise_and_lower),
	KUNIT_CASE(wdm_irql_same_level_changes_nothing),
	KUNIT_CASE(wdm_irql_raise_to_lower_level_reported),
	KUNIT_CASE(wdm_irql_lower_to_higher_level_reported),
	KUNIT_CASE(wdm_irql_dpc_waits_below_dispatch_level),
	KUNIT_CASE(wdm_irql_dpc_waits_from_high_level),
	KUNIT_CASE(wdm_irql_dpc_removed_at_dispatch_level),
	KUNIT_CASE(wdm_irql_dpc_insert_and_remove_at_high_level),
	KUNIT_CASE(wdm_irql_dpc_raises_and_lowers),
	KUNIT_CASE(wdm_irql_dpc_lowering_to_passive_reported),
	KUNIT_CASE(wdm_irql_is_per_cpu),
	KUNIT_CASE(wdm_irql_linux_lock_keeps_level),
	KUNIT_CASE(wdm_irql_isr_raises_from_synchronize_irql),
	{}
};

static struct kunit_suite wdm_irql_suite = {
	.name = "wdm_irql",
	.init = irql_init,
	.exit = irql_exit,
	.test_cases = wdm_irql_cases,
};

kunit_test_suite(wdm_irql_suite);
