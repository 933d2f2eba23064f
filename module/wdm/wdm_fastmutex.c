// SPDX-License-Identifier: GPL-2.0
/*
 * Fast mutexes: a Linux mutex, with the IRQL of the owner raised to
 * APC_LEVEL (preemption off) while it holds it, as on Windows. The wait for
 * the mutex is at PASSIVE_LEVEL, as KeWaitForSingleObject() waits at
 * APC_LEVEL: Linux cannot sleep with preemption off.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/mutex.h>
#include <linux/sched.h>

#include "wdm_internal.h"

/* Whether @irql allows taking a fast mutex; reported if not. */
static bool wdm_fast_mutex_may_take(KIRQL irql, const char *what, unsigned long caller)
{
	if (irql > APC_LEVEL) {
		wdm_report_bug(caller, "%s() at IRQL %u, above APC_LEVEL", what, irql);
		return false;
	}
	return true;
}

static void wdm_fast_mutex_owned(PFAST_MUTEX m, KIRQL irql)
{
	WRITE_ONCE(m->Owner, current);
	m->OldIrql = irql;
}

/**
 * ExAcquireFastMutex() - acquire a fast mutex, waiting for it if need be
 * @FastMutex: a mutex set up with ExInitializeFastMutex()
 *
 * Returns at APC_LEVEL, the owner of @FastMutex; ExReleaseFastMutex()
 * restores the IRQL of the call. A call above APC_LEVEL, and one by the
 * owner (a fast mutex is not recursive: Windows deadlocks), are driver
 * bugs: reported, and the mutex is not taken.
 *
 * Context: IRQL <= APC_LEVEL; may sleep.
 */
void ExAcquireFastMutex(PFAST_MUTEX FastMutex)
{
	KIRQL irql = KeGetCurrentIrql();

	if (!wdm_fast_mutex_may_take(irql, __func__, _RET_IP_))
		return;
	if (READ_ONCE(FastMutex->Owner) == current) {
		wdm_report_bug(_RET_IP_, "%s() by its owner", __func__);
		return;
	}
	if (irql == APC_LEVEL)
		KeLowerIrql(PASSIVE_LEVEL);
	mutex_lock(&FastMutex->Lock);
	KfRaiseIrql(APC_LEVEL);
	wdm_fast_mutex_owned(FastMutex, irql);
}
EXPORT_SYMBOL_GPL(ExAcquireFastMutex);

/**
 * ExTryToAcquireFastMutex() - acquire a fast mutex if it is free
 * @FastMutex: a mutex set up with ExInitializeFastMutex()
 *
 * On success the caller is at APC_LEVEL, as after ExAcquireFastMutex(). A
 * call above APC_LEVEL is a driver bug: reported, and it fails.
 *
 * Context: IRQL <= APC_LEVEL.
 * Return: TRUE if the caller now owns @FastMutex, FALSE if another thread
 * (or the caller itself) does.
 */
BOOLEAN ExTryToAcquireFastMutex(PFAST_MUTEX FastMutex)
{
	KIRQL irql = KeGetCurrentIrql();

	if (!wdm_fast_mutex_may_take(irql, __func__, _RET_IP_))
		return FALSE;
	if (READ_ONCE(FastMutex->Owner) == current || !mutex_trylock(&FastMutex->Lock))
		return FALSE;
	KfRaiseIrql(APC_LEVEL);
	wdm_fast_mutex_owned(FastMutex, irql);
	return TRUE;
}
EXPORT_SYMBOL_GPL(ExTryToAcquireFastMutex);

/**
 * ExReleaseFastMutex() - release a fast mutex
 * @FastMutex: a mutex the caller acquired
 *
 * Restores the IRQL of the acquiring call. A release by a thread that does
 * not own @FastMutex is a driver bug: reported, and nothing changes. One at
 * an IRQL other than APC_LEVEL is reported too; the mutex is released.
 *
 * Context: the owner of @FastMutex, at APC_LEVEL.
 */
void ExReleaseFastMutex(PFAST_MUTEX FastMutex)
{
	KIRQL irql = KeGetCurrentIrql();
	KIRQL old;

	if (READ_ONCE(FastMutex->Owner) != current) {
		wdm_report_bug(_RET_IP_, "%s() by a thread that does not own it", __func__);
		return;
	}
	if (irql != APC_LEVEL)
		wdm_report_bug(_RET_IP_, "%s() at IRQL %u, not APC_LEVEL", __func__, irql);
	old = FastMutex->OldIrql;
	WRITE_ONCE(FastMutex->Owner, NULL);
	mutex_unlock(&FastMutex->Lock);
	if (old < irql)
		KeLowerIrql(old);
}
EXPORT_SYMBOL_GPL(ExReleaseFastMutex);
