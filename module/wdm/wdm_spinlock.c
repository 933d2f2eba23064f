// SPDX-License-Identifier: GPL-2.0
/*
 * Executive spin locks: a KSPIN_LOCK is a raw spinlock, so that it keeps
 * spinning on PREEMPT_RT; acquiring one raises the IRQL to DISPATCH_LEVEL
 * (bottom halves and preemption off), as on Windows.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/spinlock.h>

#include "wdm_internal.h"

/* The ...AtDpcLevel forms need DISPATCH_LEVEL or higher: report if not. */
static void wdm_spin_check_dpc_level(const char *what, unsigned long caller)
{
	KIRQL irql = KeGetCurrentIrql();

	if (unlikely(irql < DISPATCH_LEVEL))
		wdm_report_bug(caller, "%s() at IRQL %u, below DISPATCH_LEVEL", what, irql);
}

/**
 * KeAcquireSpinLockRaiseToDpc() - raise to DISPATCH_LEVEL and take a spin lock
 * @SpinLock: a lock set up with KeInitializeSpinLock()
 *
 * KeAcquireSpinLock(SpinLock, &OldIrql) is this routine. Called above
 * DISPATCH_LEVEL it is a driver bug (reported; the lock is still taken and
 * the IRQL stays).
 *
 * Context: IRQL <= DISPATCH_LEVEL.
 * Return: the IRQL before the call, for KeReleaseSpinLock().
 */
KIRQL KeAcquireSpinLockRaiseToDpc(PKSPIN_LOCK SpinLock)
	__acquires(&SpinLock->rlock)
{
	KIRQL old = KfRaiseIrql(DISPATCH_LEVEL);

	raw_spin_lock(&SpinLock->rlock);
	return old;
}
EXPORT_SYMBOL_GPL(KeAcquireSpinLockRaiseToDpc);

/**
 * KeReleaseSpinLock() - release a spin lock and lower the IRQL
 * @SpinLock: the lock
 * @NewIrql: what KeAcquireSpinLock() returned
 *
 * Context: the holder of @SpinLock, at DISPATCH_LEVEL.
 */
void KeReleaseSpinLock(PKSPIN_LOCK SpinLock, KIRQL NewIrql)
	__releases(&SpinLock->rlock)
{
	raw_spin_unlock(&SpinLock->rlock);
	KeLowerIrql(NewIrql);
}
EXPORT_SYMBOL_GPL(KeReleaseSpinLock);

/**
 * KeAcquireSpinLockAtDpcLevel() - take a spin lock at DISPATCH_LEVEL
 * @SpinLock: the lock
 *
 * Context: IRQL >= DISPATCH_LEVEL (a DPC, or under another spin lock);
 * below it is reported.
 */
void KeAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock)
	__acquires(&SpinLock->rlock)
{
	wdm_spin_check_dpc_level(__func__, _RET_IP_);
	raw_spin_lock(&SpinLock->rlock);
}
EXPORT_SYMBOL_GPL(KeAcquireSpinLockAtDpcLevel);

/**
 * KeReleaseSpinLockFromDpcLevel() - release a spin lock, staying at DISPATCH_LEVEL
 * @SpinLock: the lock
 *
 * Context: the holder of @SpinLock.
 */
void KeReleaseSpinLockFromDpcLevel(PKSPIN_LOCK SpinLock)
	__releases(&SpinLock->rlock)
{
	raw_spin_unlock(&SpinLock->rlock);
}
EXPORT_SYMBOL_GPL(KeReleaseSpinLockFromDpcLevel);

/**
 * KeTryToAcquireSpinLockAtDpcLevel() - take a spin lock if it is free
 * @SpinLock: the lock
 *
 * Context: IRQL >= DISPATCH_LEVEL.
 * Return: TRUE if the lock was taken, FALSE if it is held.
 */
BOOLEAN KeTryToAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock)
{
	wdm_spin_check_dpc_level(__func__, _RET_IP_);
	/*
	 * raw_spin_trylock() without its sparse annotation, which cannot
	 * describe a lock that stays held when the function returns TRUE.
	 */
	return _raw_spin_trylock(&SpinLock->rlock) ? TRUE : FALSE;
}
EXPORT_SYMBOL_GPL(KeTryToAcquireSpinLockAtDpcLevel);

/**
 * KeAcquireInStackQueuedSpinLock() - raise to DISPATCH_LEVEL and take a queued spin lock
 * @SpinLock: the lock
 * @LockHandle: the caller's handle, on its stack, for the release
 *
 * A queued spin lock on Windows grants the lock in request order; the raw
 * spinlock underneath is a ticket or queued lock on every architecture
 * Linux supports, which grants it in order too.
 *
 * Context: IRQL <= DISPATCH_LEVEL.
 */
void KeAcquireInStackQueuedSpinLock(PKSPIN_LOCK SpinLock, PKLOCK_QUEUE_HANDLE LockHandle)
	__acquires(&SpinLock->rlock)
{
	LockHandle->OldIrql = KfRaiseIrql(DISPATCH_LEVEL);
	raw_spin_lock(&SpinLock->rlock);
	LockHandle->LockQueue.Lock = SpinLock;
	LockHandle->LockQueue.Next = NULL;
}
EXPORT_SYMBOL_GPL(KeAcquireInStackQueuedSpinLock);

/**
 * KeReleaseInStackQueuedSpinLock() - release a queued spin lock and lower the IRQL
 * @LockHandle: the handle given to KeAcquireInStackQueuedSpinLock()
 *
 * Context: the holder of the lock.
 */
void KeReleaseInStackQueuedSpinLock(PKLOCK_QUEUE_HANDLE LockHandle)
	__releases(&LockHandle->LockQueue.Lock->rlock)
{
	raw_spin_unlock(&LockHandle->LockQueue.Lock->rlock);
	KeLowerIrql(LockHandle->OldIrql);
}
EXPORT_SYMBOL_GPL(KeReleaseInStackQueuedSpinLock);

/**
 * KeAcquireInStackQueuedSpinLockAtDpcLevel() - take a queued spin lock at DISPATCH_LEVEL
 * @SpinLock: the lock
 * @LockHandle: the caller's handle
 *
 * Context: IRQL >= DISPATCH_LEVEL.
 */
void KeAcquireInStackQueuedSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock,
					      PKLOCK_QUEUE_HANDLE LockHandle)
	__acquires(&SpinLock->rlock)
{
	wdm_spin_check_dpc_level(__func__, _RET_IP_);
	raw_spin_lock(&SpinLock->rlock);
	LockHandle->OldIrql = DISPATCH_LEVEL;
	LockHandle->LockQueue.Lock = SpinLock;
	LockHandle->LockQueue.Next = NULL;
}
EXPORT_SYMBOL_GPL(KeAcquireInStackQueuedSpinLockAtDpcLevel);

/**
 * KeReleaseInStackQueuedSpinLockFromDpcLevel() - release a queued spin lock at DISPATCH_LEVEL
 * @LockHandle: the handle given to KeAcquireInStackQueuedSpinLockAtDpcLevel()
 *
 * Context: the holder of the lock.
 */
void KeReleaseInStackQueuedSpinLockFromDpcLevel(PKLOCK_QUEUE_HANDLE LockHandle)
	__releases(&LockHandle->LockQueue.Lock->rlock)
{
	raw_spin_unlock(&LockHandle->LockQueue.Lock->rlock);
}
EXPORT_SYMBOL_GPL(KeReleaseInStackQueuedSpinLockFromDpcLevel);

/**
 * KeTestSpinLock() - is a spin lock free?
 * @SpinLock: the lock
 *
 * A hint for a polling loop: the answer may change at once.
 *
 * Context: IRQL >= DISPATCH_LEVEL on Windows; any here.
 * Return: TRUE if the lock is free, FALSE if it is held.
 */
BOOLEAN KeTestSpinLock(PKSPIN_LOCK SpinLock)
{
	return raw_spin_is_locked(&SpinLock->rlock) ? FALSE : TRUE;
}
EXPORT_SYMBOL_GPL(KeTestSpinLock);
