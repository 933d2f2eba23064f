// SPDX-License-Identifier: GPL-2.0
/*
 * IRQL: each CPU's record of the level the shim put it at, and the Linux
 * state that stands for each level. PASSIVE_LEVEL is process context;
 * APC_LEVEL is preemption off; DISPATCH_LEVEL is bottom halves and
 * preemption off; a device level or HIGH_LEVEL is local interrupts off
 * too. The record holds the exact number (5 after KeRaiseIrql(5)), with the
 * preemption count it was written at: a context that changed the count
 * since (an interrupt, a softirq, a lock) does not see it, and falls back to
 * what its Linux state says.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bottom_half.h>
#include <linux/export.h>
#include <linux/hardirq.h>
#include <linux/minmax.h>
#include <linux/percpu.h>
#include <linux/preempt.h>

#include "wdm_internal.h"

DEFINE_PER_CPU(u64, wdm_irql_state);

/* The Linux state of a level: 0 none, 1 preemption off, 2 + bottom halves, 3 + interrupts. */
static int wdm_irql_band(KIRQL irql)
{
	return min_t(int, irql, 3);
}

/* What the current Linux context alone says, with @rec the record beneath. */
static KIRQL wdm_irql_derived(KIRQL rec)
{
	if (in_hardirq() || irqs_disabled())
		return rec > DISPATCH_LEVEL ? rec : WDM_DEVICE_IRQL;
	if (in_softirq() || preempt_count())
		return DISPATCH_LEVEL;
	return PASSIVE_LEVEL;
}

/**
 * KeGetCurrentIrql() - the IRQL of the current processor
 *
 * The level the shim put this CPU at: by KeRaiseIrql() and KeLowerIrql(),
 * inside an ISR, KeSynchronizeExecution() or under an interrupt spin lock
 * (that interrupt's SynchronizeIrql), in a DPC (DISPATCH_LEVEL). Elsewhere,
 * what the Linux context stands for: NMI HIGH_LEVEL, hard IRQ or interrupts
 * off WDM_DEVICE_IRQL, softirq or preemption off DISPATCH_LEVEL, else
 * PASSIVE_LEVEL.
 *
 * Context: any.
 * Return: the current IRQL.
 */
KIRQL KeGetCurrentIrql(void)
{
	u64 s;

	if (in_nmi())
		return HIGH_LEVEL;
	s = this_cpu_read(wdm_irql_state);
	if (wdm_irql_valid(s))
		return wdm_irql_level(s);
	return wdm_irql_derived(wdm_irql_level(s));
}
EXPORT_SYMBOL_GPL(KeGetCurrentIrql);

/*
 * Bottom halves go off before preemption and on after it: on PREEMPT_RT
 * local_bh_disable() takes the CPU's softirq lock only when preemptible.
 * From APC_LEVEL (preemption off) to DISPATCH_LEVEL preemption is on for a
 * moment, so this CPU's record is cleared first: the task may move.
 */
/*
 * The lowest level the current context may lower to when the record does
 * not count (a lock was taken since it was written): in an ISR or a DPC,
 * the level it runs at (at most DISPATCH_LEVEL); elsewhere PASSIVE_LEVEL.
 */
static KIRQL wdm_irql_entry_floor(KIRQL cur)
{
	if (in_hardirq() || wdm_dpc_running_here())
		return min_t(KIRQL, cur, DISPATCH_LEVEL);
	return PASSIVE_LEVEL;
}

static void wdm_irql_up(int from, int to)
{
	if (from == to)
		return;
	if (from == 1 && to >= 2) {
		this_cpu_write(wdm_irql_state, 0);
		preempt_enable();
	}
	if (from < 2 && to >= 2)
		local_bh_disable();
	if (from < 2 && to >= 1)
		preempt_disable();
	if (from < 3 && to >= 3)
		local_irq_disable();
}

static void wdm_irql_down(int from, int to)
{
	if (from == to)
		return;
	if (from >= 3 && to < 3)
		local_irq_enable();
	if (from >= 1 && to < 2)
		preempt_enable();
	/* DPCs queued meanwhile run here, as the level drops below DISPATCH_LEVEL. */
	if (from >= 2 && to < 2) {
		wdm_dpc_drain_local();
		local_bh_enable();
	}
	if (from >= 2 && to == 1)
		preempt_disable();
}

/**
 * KfRaiseIrql() - raise the current processor's IRQL
 * @NewIrql: the level, not below the current one
 *
 * KeRaiseIrql(NewIrql, &OldIrql) is this routine. Raising to a lower level
 * is a driver bug (Windows stops with IRQL_NOT_GREATER_OR_EQUAL): it is
 * reported and the level stays.
 *
 * Context: any.
 * Return: the IRQL before the call, for KeLowerIrql().
 */
KIRQL KfRaiseIrql(KIRQL NewIrql)
{
	u64 s = this_cpu_read(wdm_irql_state);
	KIRQL old = KeGetCurrentIrql();
	KIRQL floor = wdm_irql_valid(s) ? wdm_irql_floor(s) : wdm_irql_entry_floor(old);

	if (NewIrql < old || NewIrql > HIGH_LEVEL) {
		wdm_report_bug(_RET_IP_, "KeRaiseIrql(%u) at IRQL %u", NewIrql, old);
		return old;
	}
	if (NewIrql == PASSIVE_LEVEL)
		return old;
	wdm_irql_up(wdm_irql_band(old), wdm_irql_band(NewIrql));
	this_cpu_write(wdm_irql_state, wdm_irql_pack(NewIrql, floor));
	return old;
}
EXPORT_SYMBOL_GPL(KfRaiseIrql);

/**
 * KeLowerIrql() - lower the current processor's IRQL
 * @NewIrql: what KeRaiseIrql() returned
 *
 * Lowering to a higher level (Windows: IRQL_NOT_LESS_OR_EQUAL), or below
 * the level a DPC or ISR was entered at, is a driver bug: it is reported,
 * and the level stays (or drops only to the entry level). DPCs queued while
 * the level was DISPATCH_LEVEL or higher run as it drops below it.
 *
 * Context: after KeRaiseIrql() on the same processor.
 */
void KeLowerIrql(KIRQL NewIrql)
{
	u64 s = this_cpu_read(wdm_irql_state);
	KIRQL cur, floor;

	if (wdm_irql_valid(s)) {
		cur = wdm_irql_level(s);
		floor = wdm_irql_floor(s);
	} else {
		cur = KeGetCurrentIrql();
		floor = wdm_irql_entry_floor(cur);
	}
	if (NewIrql > cur) {
		wdm_report_bug(_RET_IP_, "%s(%u) at IRQL %u", __func__, NewIrql, cur);
		return;
	}
	if (NewIrql < floor) {
		wdm_report_bug(_RET_IP_, "%s(%u) below the entry IRQL %u", __func__,
			       NewIrql, floor);
		NewIrql = floor;
	}
	if (NewIrql == PASSIVE_LEVEL) {
		/* Before preemption is back on: this CPU's record. */
		this_cpu_write(wdm_irql_state, wdm_irql_pack_pc(PASSIVE_LEVEL, floor, 0));
		wdm_irql_down(wdm_irql_band(cur), 0);
		return;
	}
	wdm_irql_down(wdm_irql_band(cur), wdm_irql_band(NewIrql));
	this_cpu_write(wdm_irql_state, wdm_irql_pack(NewIrql, floor));
}
EXPORT_SYMBOL_GPL(KeLowerIrql);

/**
 * KeRaiseIrqlToDpcLevel() - raise the IRQL to DISPATCH_LEVEL
 *
 * Context: IRQL <= DISPATCH_LEVEL.
 * Return: the IRQL before the call, for KeLowerIrql().
 */
KIRQL KeRaiseIrqlToDpcLevel(void)
{
	return KfRaiseIrql(DISPATCH_LEVEL);
}
EXPORT_SYMBOL_GPL(KeRaiseIrqlToDpcLevel);

/**
 * KeRaiseIrqlToSynchLevel() - raise the IRQL to SYNCH_LEVEL
 *
 * Context: IRQL <= SYNCH_LEVEL.
 * Return: the IRQL before the call, for KeLowerIrql().
 */
KIRQL KeRaiseIrqlToSynchLevel(void)
{
	return KfRaiseIrql(SYNCH_LEVEL);
}
EXPORT_SYMBOL_GPL(KeRaiseIrqlToSynchLevel);
