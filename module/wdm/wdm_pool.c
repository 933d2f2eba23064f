// SPDX-License-Identifier: GPL-2.0
/*
 * Executive memory pools and interlocked lists. Pool memory is slab memory:
 * kmalloc with GFP_KERNEL where the caller may sleep (PASSIVE_LEVEL,
 * preemptible), GFP_ATOMIC elsewhere up to DISPATCH_LEVEL. Blocks below a
 * page are rounded up to a power of two, so that kmalloc aligns them
 * naturally: 16 bytes at least and never across a page boundary, the
 * alignment Windows documents; a block of a page or more is page-aligned.
 * The ExInterlocked list routines take the list's KSPIN_LOCK with local
 * interrupts off, so that they may be called at any IRQL.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "wdm_internal.h"

/* The smallest block: 16-byte aligned, and room to defer its free. */
#define WDM_POOL_MIN_BYTES	16

/* The modifiers a driver may OR into a POOL_TYPE. */
#define WDM_POOL_MODIFIERS	(POOL_RAISE_IF_ALLOCATION_FAILURE | POOL_COLD_ALLOCATION)

/* The required flags ExAllocatePool2() can meet. */
#define WDM_POOL_FLAGS_TYPE	(POOL_FLAG_NON_PAGED | POOL_FLAG_NON_PAGED_EXECUTE | \
				 POOL_FLAG_PAGED)
#define WDM_POOL_FLAGS_KNOWN	(WDM_POOL_FLAGS_TYPE | POOL_FLAG_UNINITIALIZED | \
				 POOL_FLAG_CACHE_ALIGNED | POOL_FLAG_RAISE_ON_FAILURE)
#define WDM_POOL_FLAGS_REQUIRED	0xffffffffULL

/* A block freed where the slab may not be entered (PREEMPT_RT, atomic). */
struct wdm_pool_deferred {
	struct rcu_head rcu;
};

static_assert(sizeof(struct wdm_pool_deferred) <= WDM_POOL_MIN_BYTES);

/*
 * Allocate @bytes of pool memory; @paged for paged pool, @align for a
 * block aligned at least on that (a power of two, at most a page).
 */
static PVOID wdm_pool_alloc(bool paged, SIZE_T bytes, SIZE_T align, bool zero,
			    const char *what, unsigned long caller)
{
	KIRQL irql = KeGetCurrentIrql();
	gfp_t gfp;

	if (irql > DISPATCH_LEVEL || (paged && irql == DISPATCH_LEVEL)) {
		wdm_report_bug(caller, "%s() of %s pool at IRQL %u", what,
			       paged ? "paged" : "nonpaged", irql);
		return NULL;
	}
	if (!bytes) {
		wdm_report_bug(caller, "%s() of 0 bytes", what);
		return NULL;
	}
	gfp = preemptible() ? GFP_KERNEL : GFP_ATOMIC;
	if (gfp == GFP_ATOMIC && IS_ENABLED(CONFIG_PREEMPT_RT)) {
		/* The slab's locks sleep on PREEMPT_RT: not with preemption off. */
		pr_warn_ratelimited("%s() at IRQL %u fails on PREEMPT_RT (%pS)\n",
				    what, irql, (void *)caller);
		return NULL;
	}
	if (bytes < PAGE_SIZE)
		bytes = roundup_pow_of_two(max3(bytes, align, (SIZE_T)WDM_POOL_MIN_BYTES));
	if (zero)
		gfp |= __GFP_ZERO;
	return kmalloc(bytes, gfp | __GFP_NOWARN);
}

/* Whether @type is one a driver may pass; *@paged tells which pool. */
static bool wdm_pool_type_valid(POOL_TYPE type, bool *paged)
{
	switch ((unsigned int)type & ~WDM_POOL_MODIFIERS) {
	case NonPagedPool:
	case NonPagedPoolNx:
		*paged = false;
		return true;
	case PagedPool:
		*paged = true;
		return true;
	}
	return false;
}

static PVOID wdm_pool_alloc_type(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
				 bool zero, const char *what, unsigned long caller)
{
	bool paged;

	if (!wdm_pool_type_valid(PoolType, &paged)) {
		wdm_report_bug(caller, "%s() with pool type %#x", what, PoolType);
		return NULL;
	}
	return wdm_pool_alloc(paged, NumberOfBytes, 0, zero, what, caller);
}

/**
 * ExAllocatePoolWithTag() - allocate pool memory
 * @PoolType: NonPagedPool, NonPagedPoolNx or PagedPool, optionally ORed
 *	with POOL_RAISE_IF_ALLOCATION_FAILURE or POOL_COLD_ALLOCATION (both
 *	accepted and ignored: there are no exceptions here, and no cold pages)
 * @NumberOfBytes: the size, not 0
 * @Tag: the pool tag; not recorded
 *
 * The memory is not initialised. A block of less than a page is 16-byte
 * aligned and within one page; a block of a page or more is page-aligned.
 * Free it with ExFreePool() or ExFreePoolWithTag().
 *
 * A call above DISPATCH_LEVEL, PagedPool at DISPATCH_LEVEL, another pool
 * type (the must-succeed, cache-aligned and session types Microsoft reserves
 * for the system) and 0 bytes (which Driver Verifier flags) are driver bugs:
 * reported, and the call returns NULL.
 *
 * Context: IRQL <= DISPATCH_LEVEL; PagedPool below DISPATCH_LEVEL. Where
 * the caller cannot sleep it allocates with GFP_ATOMIC; on PREEMPT_RT,
 * where the slab cannot be entered with preemption off, it fails there.
 * Return: the block, or NULL if memory is short or the call was refused.
 */
PVOID ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
	return wdm_pool_alloc_type(PoolType, NumberOfBytes, false, __func__, _RET_IP_);
}
EXPORT_SYMBOL_GPL(ExAllocatePoolWithTag);

/**
 * ExAllocatePool() - allocate pool memory with the tag 'None'
 * @PoolType: as for ExAllocatePoolWithTag()
 * @NumberOfBytes: as for ExAllocatePoolWithTag()
 *
 * Context: as for ExAllocatePoolWithTag().
 * Return: as for ExAllocatePoolWithTag().
 */
PVOID ExAllocatePool(POOL_TYPE PoolType, SIZE_T NumberOfBytes)
{
	return wdm_pool_alloc_type(PoolType, NumberOfBytes, false, __func__, _RET_IP_);
}
EXPORT_SYMBOL_GPL(ExAllocatePool);

/**
 * ExAllocatePoolZero() - allocate zeroed pool memory
 * @PoolType: as for ExAllocatePoolWithTag()
 * @NumberOfBytes: as for ExAllocatePoolWithTag()
 * @Tag: as for ExAllocatePoolWithTag()
 *
 * ExAllocatePoolWithTag(), with every byte of the block 0.
 *
 * Context: as for ExAllocatePoolWithTag().
 * Return: as for ExAllocatePoolWithTag().
 */
PVOID ExAllocatePoolZero(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
	return wdm_pool_alloc_type(PoolType, NumberOfBytes, true, __func__, _RET_IP_);
}
EXPORT_SYMBOL_GPL(ExAllocatePoolZero);

/**
 * ExAllocatePoolUninitialized() - allocate pool memory, not initialised
 * @PoolType: as for ExAllocatePoolWithTag()
 * @NumberOfBytes: as for ExAllocatePoolWithTag()
 * @Tag: as for ExAllocatePoolWithTag()
 *
 * The same as ExAllocatePoolWithTag(), which Microsoft defines it as.
 *
 * Context: as for ExAllocatePoolWithTag().
 * Return: as for ExAllocatePoolWithTag().
 */
PVOID ExAllocatePoolUninitialized(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
	return wdm_pool_alloc_type(PoolType, NumberOfBytes, false, __func__, _RET_IP_);
}
EXPORT_SYMBOL_GPL(ExAllocatePoolUninitialized);

/**
 * ExAllocatePool2() - allocate pool memory, zeroed unless asked otherwise
 * @Flags: exactly one of POOL_FLAG_NON_PAGED, POOL_FLAG_NON_PAGED_EXECUTE
 *	and POOL_FLAG_PAGED, with POOL_FLAG_UNINITIALIZED,
 *	POOL_FLAG_CACHE_ALIGNED (aligned on a cache line) or
 *	POOL_FLAG_RAISE_ON_FAILURE (no exceptions here: NULL as without it);
 *	optional flags (the high 32 bits) are ignored
 * @NumberOfBytes: the size, not 0
 * @Tag: the pool tag, not 0; not recorded
 *
 * Alignment as for ExAllocatePoolWithTag(). As Microsoft documents, a Tag
 * of 0, no pool type or more than one, and a required flag this shim does
 * not know or cannot meet (POOL_FLAG_USE_QUOTA: there is no process quota;
 * POOL_FLAG_SESSION; the reserved ones) make the call return NULL. An IRQL
 * the pool type does not allow and 0 bytes are driver bugs, as for
 * ExAllocatePoolWithTag().
 *
 * Context: as for ExAllocatePoolWithTag().
 * Return: the block, or NULL.
 */
PVOID ExAllocatePool2(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag)
{
	POOL_FLAGS required = Flags & WDM_POOL_FLAGS_REQUIRED;
	POOL_FLAGS type = Flags & WDM_POOL_FLAGS_TYPE;

	if (!Tag || (required & ~WDM_POOL_FLAGS_KNOWN) || hweight64(type) != 1)
		return NULL;
	return wdm_pool_alloc(type == POOL_FLAG_PAGED, NumberOfBytes,
			      Flags & POOL_FLAG_CACHE_ALIGNED ? L1_CACHE_BYTES : 0,
			      !(Flags & POOL_FLAG_UNINITIALIZED), __func__, _RET_IP_);
}
EXPORT_SYMBOL_GPL(ExAllocatePool2);

static void wdm_pool_free(PVOID P, const char *what, unsigned long caller)
{
	KIRQL irql = KeGetCurrentIrql();

	if (!P || irql > DISPATCH_LEVEL) {
		wdm_report_bug(caller, "%s(%p) at IRQL %u", what, P, irql);
		return;
	}
	if (unlikely(READ_ONCE(wdm_verify)))
		wdm_dpc_check_free(P, ksize(P));
	if (IS_ENABLED(CONFIG_PREEMPT_RT) && !preemptible())
		kfree_rcu((struct wdm_pool_deferred *)P, rcu);
	else
		kfree(P);
}

/**
 * ExFreePool() - free pool memory
 * @P: a block from one of the ExAllocatePool routines
 *
 * NULL, or a call above DISPATCH_LEVEL, is a driver bug (Windows stops with
 * BAD_POOL_CALLER or IRQL_NOT_LESS_OR_EQUAL): reported, and nothing is
 * freed. All pool memory is resident, so a paged block may be freed at
 * DISPATCH_LEVEL here. On PREEMPT_RT a block freed with preemption off is
 * freed after an RCU grace period. With verify=1, a DPC still queued in the
 * block is reported (TIMER_OR_DPC_INVALID) and taken off its queue.
 *
 * Context: IRQL <= DISPATCH_LEVEL.
 */
void ExFreePool(PVOID P)
{
	wdm_pool_free(P, __func__, _RET_IP_);
}
EXPORT_SYMBOL_GPL(ExFreePool);

/**
 * ExFreePoolWithTag() - free pool memory allocated with a tag
 * @P: a block from one of the ExAllocatePool routines
 * @Tag: the tag it was allocated with; not checked (tags are not recorded)
 *
 * As ExFreePool().
 *
 * Context: IRQL <= DISPATCH_LEVEL.
 */
void ExFreePoolWithTag(PVOID P, ULONG Tag)
{
	wdm_pool_free(P, __func__, _RET_IP_);
}
EXPORT_SYMBOL_GPL(ExFreePoolWithTag);

/*
 * Executive interlocked lists
 */

/**
 * ExInterlockedInsertHeadList() - insert at the head of a list, atomically
 * @ListHead: the list
 * @ListEntry: the entry to insert
 * @Lock: the list's spin lock, used by the ExInterlocked routines only
 *
 * InsertHeadList() under @Lock, taken with local interrupts off.
 *
 * Context: any.
 * Return: the first entry before the insertion, or NULL if the list was
 * empty.
 */
PLIST_ENTRY ExInterlockedInsertHeadList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry,
					PKSPIN_LOCK Lock)
{
	PLIST_ENTRY first;
	unsigned long flags;

	raw_spin_lock_irqsave(&Lock->rlock, flags);
	first = ListHead->Flink;
	InsertHeadList(ListHead, ListEntry);
	raw_spin_unlock_irqrestore(&Lock->rlock, flags);
	return first == ListHead ? NULL : first;
}
EXPORT_SYMBOL_GPL(ExInterlockedInsertHeadList);

/**
 * ExInterlockedInsertTailList() - insert at the tail of a list, atomically
 * @ListHead: the list
 * @ListEntry: the entry to insert
 * @Lock: the list's spin lock, used by the ExInterlocked routines only
 *
 * InsertTailList() under @Lock, taken with local interrupts off.
 *
 * Context: any.
 * Return: the last entry before the insertion, or NULL if the list was
 * empty.
 */
PLIST_ENTRY ExInterlockedInsertTailList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry,
					PKSPIN_LOCK Lock)
{
	PLIST_ENTRY last;
	unsigned long flags;

	raw_spin_lock_irqsave(&Lock->rlock, flags);
	last = ListHead->Blink;
	InsertTailList(ListHead, ListEntry);
	raw_spin_unlock_irqrestore(&Lock->rlock, flags);
	return last == ListHead ? NULL : last;
}
EXPORT_SYMBOL_GPL(ExInterlockedInsertTailList);

/**
 * ExInterlockedRemoveHeadList() - remove the head of a list, atomically
 * @ListHead: the list
 * @Lock: the list's spin lock, used by the ExInterlocked routines only
 *
 * RemoveHeadList() under @Lock, taken with local interrupts off; an empty
 * list is left as it is.
 *
 * Context: any.
 * Return: the entry removed, or NULL if the list was empty.
 */
PLIST_ENTRY ExInterlockedRemoveHeadList(PLIST_ENTRY ListHead, PKSPIN_LOCK Lock)
{
	PLIST_ENTRY entry = NULL;
	unsigned long flags;

	raw_spin_lock_irqsave(&Lock->rlock, flags);
	if (!IsListEmpty(ListHead))
		entry = RemoveHeadList(ListHead);
	raw_spin_unlock_irqrestore(&Lock->rlock, flags);
	return entry;
}
EXPORT_SYMBOL_GPL(ExInterlockedRemoveHeadList);

/**
 * ExInterlockedPushEntryList() - push onto a singly linked list, atomically
 * @ListHead: the list
 * @ListEntry: the entry to push
 * @Lock: the list's spin lock, used by the ExInterlocked routines only
 *
 * PushEntryList() under @Lock, taken with local interrupts off.
 *
 * Context: any.
 * Return: the first entry before the push, or NULL if the list was empty.
 */
PSINGLE_LIST_ENTRY ExInterlockedPushEntryList(PSINGLE_LIST_ENTRY ListHead,
					      PSINGLE_LIST_ENTRY ListEntry,
					      PKSPIN_LOCK Lock)
{
	PSINGLE_LIST_ENTRY first;
	unsigned long flags;

	raw_spin_lock_irqsave(&Lock->rlock, flags);
	first = ListHead->Next;
	PushEntryList(ListHead, ListEntry);
	raw_spin_unlock_irqrestore(&Lock->rlock, flags);
	return first;
}
EXPORT_SYMBOL_GPL(ExInterlockedPushEntryList);

/**
 * ExInterlockedPopEntryList() - pop from a singly linked list, atomically
 * @ListHead: the list
 * @Lock: the list's spin lock, used by the ExInterlocked routines only
 *
 * PopEntryList() under @Lock, taken with local interrupts off.
 *
 * Context: any.
 * Return: the entry removed, or NULL if the list was empty.
 */
PSINGLE_LIST_ENTRY ExInterlockedPopEntryList(PSINGLE_LIST_ENTRY ListHead,
					     PKSPIN_LOCK Lock)
{
	PSINGLE_LIST_ENTRY entry;
	unsigned long flags;

	raw_spin_lock_irqsave(&Lock->rlock, flags);
	entry = PopEntryList(ListHead);
	raw_spin_unlock_irqrestore(&Lock->rlock, flags);
	return entry;
}
EXPORT_SYMBOL_GPL(ExInterlockedPopEntryList);
