// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: pools, executive interlocked lists, fast mutexes and
 * KeDelayExecutionThread, against Microsoft's documentation: nonpaged pool
 * up to DISPATCH_LEVEL and paged pool below it, ExAllocatePool2() zeroing
 * and its NULL cases, the alignment of blocks, what the ExInterlocked list
 * routines return and that their lock holds across two CPUs, a fast mutex
 * raising to APC_LEVEL and excluding the other CPU, and a 10 ms delay
 * lasting 10 ms at least.
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/processor.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "../module/wdm/wdm_internal.h"
#include "wdm_test.h"

/* A driver's pool tag, as Windows drivers write it ('tseT' reads "Test"). */
#define TAG	0x74736554

/* Entries (list cases) or rounds (mutex case) per CPU in the two-CPU cases */
#define ROUNDS	10000

static bool wdm_pool_all_zero(const u8 *p, size_t len)
{
	return !memchr_inv(p, 0, len);
}

/* Below a page: 16-byte aligned, not across a page; a page or more: page-aligned. */
static void wdm_pool_alloc_passive(struct kunit *test)
{
	unsigned long bugs = wdm_bugs_reported();
	PUCHAR small, big, tiny[4];
	unsigned int i;

	small = ExAllocatePoolWithTag(NonPagedPoolNx, 100, TAG);
	KUNIT_ASSERT_NOT_NULL(test, small);
	memset(small, 0xa5, 100);
	KUNIT_EXPECT_EQ(test, (unsigned long)small % 16, 0UL);
	KUNIT_EXPECT_LE(test, offset_in_page(small) + 100, PAGE_SIZE);
	big = ExAllocatePoolWithTag(PagedPool, PAGE_SIZE + 1, TAG);
	KUNIT_ASSERT_NOT_NULL(test, big);
	memset(big, 0x5a, PAGE_SIZE + 1);
	KUNIT_EXPECT_EQ(test, offset_in_page(big), 0UL);
	ExFreePoolWithTag(small, TAG);
	ExFreePool(big);
	/* The smallest blocks too: kmalloc's own 8-byte blocks would not do. */
	for (i = 0; i < ARRAY_SIZE(tiny); i++) {
		tiny[i] = ExAllocatePoolWithTag(NonPagedPool, 8, TAG);
		KUNIT_EXPECT_NOT_NULL(test, tiny[i]);
		KUNIT_EXPECT_EQ(test, (unsigned long)tiny[i] % 16, 0UL);
	}
	for (i = 0; i < ARRAY_SIZE(tiny); i++)
		if (tiny[i])
			ExFreePool(tiny[i]);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 0UL);
}

/* Nonpaged pool at DISPATCH_LEVEL; any pool at APC_LEVEL. */
static void wdm_pool_alloc_raised(struct kunit *test)
{
	unsigned long bugs = wdm_bugs_reported();
	PVOID nonpaged, pool2, paged;
	KIRQL old, irql;

	KeRaiseIrql(DISPATCH_LEVEL, &old);
	nonpaged = ExAllocatePoolWithTag(NonPagedPool, 64, TAG);
	pool2 = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, TAG);
	if (nonpaged)
		ExFreePoolWithTag(nonpaged, TAG);
	if (pool2)
		ExFreePoolWithTag(pool2, TAG);
	irql = KeGetCurrentIrql();
	KeLowerIrql(old);
	KUNIT_EXPECT_EQ(test, irql, DISPATCH_LEVEL);
	KUNIT_EXPECT_NOT_NULL(test, nonpaged);
	KUNIT_EXPECT_NOT_NULL(test, pool2);

	KeRaiseIrql(APC_LEVEL, &old);
	paged = ExAllocatePoolWithTag(PagedPool, 64, TAG);
	if (paged)
		ExFreePool(paged);
	KeLowerIrql(old);
	KUNIT_EXPECT_NOT_NULL(test, paged);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 0UL);
}

/* Paged pool at DISPATCH_LEVEL is a bug (Windows stops): one report each, NULL. */
static void wdm_pool_paged_at_dispatch(struct kunit *test)
{
	unsigned long bugs = wdm_bugs_reported();
	PVOID a, b;
	unsigned long first;
	KIRQL old;

	KeRaiseIrql(DISPATCH_LEVEL, &old);
	a = ExAllocatePoolWithTag(PagedPool, 64, TAG);
	first = wdm_bugs_reported() - bugs;
	b = ExAllocatePool2(POOL_FLAG_PAGED, 64, TAG);
	KeLowerIrql(old);
	KUNIT_EXPECT_NULL(test, a);
	KUNIT_EXPECT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, first, 1UL);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 2UL);
}

/* 0 bytes, a reserved pool type and freeing NULL: one report each. */
static void wdm_pool_bad_calls(struct kunit *test)
{
	unsigned long bugs = wdm_bugs_reported();

	KUNIT_EXPECT_NULL(test, ExAllocatePoolWithTag(NonPagedPool, 0, TAG));
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 1UL);
	KUNIT_EXPECT_NULL(test, ExAllocatePoolWithTag(NonPagedPoolMustSucceed, 64, TAG));
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 2UL);
	ExFreePool(NULL);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 3UL);
}

/*
 * ExAllocatePool2() and ExAllocatePoolZero() zero the block. The block freed
 * just before, filled with 0xa5, is the one the slab hands out next on this
 * CPU, so a missing zeroing shows.
 */
static void wdm_pool_zeroed(struct kunit *test)
{
	PUCHAR p;

	p = ExAllocatePoolUninitialized(NonPagedPoolNx, 256, TAG);
	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, 0xa5, 256);
	ExFreePoolWithTag(p, TAG);
	p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 256, TAG);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, wdm_pool_all_zero(p, 256));
	memset(p, 0xa5, 256);
	ExFreePoolWithTag(p, TAG);
	p = ExAllocatePoolZero(NonPagedPoolNx, 256, TAG);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, wdm_pool_all_zero(p, 256));
	ExFreePoolWithTag(p, TAG);
}

/*
 * ExAllocatePool2() returns NULL for a Tag of 0 and for invalid flags (no
 * pool type, two, a required flag it cannot meet), without a report; an
 * unknown optional flag is ignored.
 */
static void wdm_pool2_flags(struct kunit *test)
{
	unsigned long bugs = wdm_bugs_reported();
	PVOID p;

	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, 0));
	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_UNINITIALIZED, 64, TAG));
	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_PAGED, 64, TAG));
	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_USE_QUOTA,
						64, TAG));
	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_NON_PAGED | 0x100000ULL, 64, TAG));
	p = ExAllocatePool2(POOL_FLAG_NON_PAGED | 0x10000000000ULL, 64, TAG);
	KUNIT_EXPECT_NOT_NULL(test, p);
	ExFreePoolWithTag(p, TAG);
	p = ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_CACHE_ALIGNED, 24, TAG);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, (unsigned long)p % L1_CACHE_BYTES, 0UL);
	ExFreePoolWithTag(p, TAG);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 0UL);
}

/* What each routine returns, and the order it leaves. */
static void wdm_exlist_order(struct kunit *test)
{
	LIST_ENTRY head, a, b, c;
	SINGLE_LIST_ENTRY shead, sa, sb;
	KSPIN_LOCK lock;

	KeInitializeSpinLock(&lock);
	InitializeListHead(&head);
	KUNIT_EXPECT_PTR_EQ(test, ExInterlockedInsertTailList(&head, &a, &lock), NULL);
	KUNIT_EXPECT_PTR_EQ(test, ExInterlockedInsertTailList(&head, &b, &lock), &a);
	KUNIT_EXPECT_PTR_EQ(test, ExInterlockedInsertHeadList(&head, &c, &lock), &a);
	/* c, a, b */
	KUNIT_EXPECT_PTR_EQ(test, ExInterlockedRemoveHeadList(&head, &lock), &c);
	KUNIT_EXPECT_PTR_EQ(test, ExInterlockedRemoveHeadList(&head, &lock), &a);
	KUNIT_EXPECT_PTR_EQ(test, ExInterlockedInsertHeadList(&head, &c, &lock), &b);
	KUNIT_EXPECT_PTR_EQ(test, ExInterlockedRemoveHeadList(&head, &lock), &c);
	KUNIT_EXPECT_PTR_EQ(test, ExInterlockedRemoveHeadList(&head, &lock), &b);
	KUNIT_EXPECT_PTR_EQ(test, ExInterlockedRemoveHeadList(&head, &lock), NULL);
	KUNIT_EXPECT_TRUE(test, IsListEmpty(&head));
	KUNIT_EXPECT_PTR_EQ(test, head.Blink, &head);

	shead.Next = NULL;
	KUNIT_EXPECT_PTR_EQ(test, ExInterlockedPushEntryList(&shead, &sa, &lock), NULL);
	KUNIT_EXPECT_PTR_EQ(test, ExInterlockedPushEntryList(&shead, &sb, &lock), &sa);
	KUNIT_EXPECT_PTR_EQ(test, ExInterlockedPopEntryList(&shead, &lock), &sb);
	KUNIT_EXPECT_PTR_EQ(test, ExInterlockedPopEntryList(&shead, &lock), &sa);
	KUNIT_EXPECT_PTR_EQ(test, ExInterlockedPopEntryList(&shead, &lock), NULL);
	KUNIT_EXPECT_FALSE(test, raw_spin_is_locked(&lock.rlock));
}

/* Any IRQL: at HIGH_LEVEL the call works and the IRQL stays. */
static void wdm_exlist_high_level(struct kunit *test)
{
	LIST_ENTRY head, a;
	KSPIN_LOCK lock;
	PLIST_ENTRY got;
	KIRQL old, irql;

	KeInitializeSpinLock(&lock);
	InitializeListHead(&head);
	KeRaiseIrql(HIGH_LEVEL, &old);
	ExInterlockedInsertTailList(&head, &a, &lock);
	got = ExInterlockedRemoveHeadList(&head, &lock);
	irql = KeGetCurrentIrql();
	KeLowerIrql(old);
	KUNIT_EXPECT_PTR_EQ(test, got, &a);
	KUNIT_EXPECT_EQ(test, irql, HIGH_LEVEL);
}

/* Two CPUs insert ROUNDS entries each into one list at once. */
struct exlist_race {
	LIST_ENTRY head;
	KSPIN_LOCK lock;
	LIST_ENTRY entries[2][ROUNDS];
	atomic_t ready;
	bool alone;
};

static void exlist_start_together(struct exlist_race *r)
{
	atomic_inc(&r->ready);
	while (atomic_read(&r->ready) < 2 && !READ_ONCE(r->alone))
		cond_resched();
}

static void exlist_insert(struct exlist_race *r, int side)
{
	int i;

	exlist_start_together(r);
	for (i = 0; i < ROUNDS; i++) {
		if (i & 1)
			ExInterlockedInsertHeadList(&r->head, &r->entries[side][i], &r->lock);
		else
			ExInterlockedInsertTailList(&r->head, &r->entries[side][i], &r->lock);
	}
}

static void exlist_insert0(void *arg)
{
	exlist_insert(arg, 0);
}

static void exlist_insert1(void *arg)
{
	exlist_insert(arg, 1);
}

static void wdm_exlist_two_cpus(struct kunit *test)
{
	struct exlist_race *r = vzalloc(sizeof(*r));
	unsigned int forward = 0, broken = 0, removed = 0;
	PLIST_ENTRY e;

	KUNIT_ASSERT_NOT_NULL(test, r);
	KeInitializeSpinLock(&r->lock);
	InitializeListHead(&r->head);
	wdm_test_on_two_cpus(test, exlist_insert0, exlist_insert1, r, &r->alone);
	for (e = r->head.Flink; e != &r->head && forward <= 2 * ROUNDS; e = e->Flink) {
		if (e->Flink->Blink != e)
			broken++;
		forward++;
	}
	KUNIT_EXPECT_EQ(test, forward, 2 * ROUNDS);
	KUNIT_EXPECT_EQ(test, broken, 0);
	while (removed <= 2 * ROUNDS && ExInterlockedRemoveHeadList(&r->head, &r->lock))
		removed++;
	KUNIT_EXPECT_EQ(test, removed, 2 * ROUNDS);
	KUNIT_EXPECT_TRUE(test, IsListEmpty(&r->head));
	vfree(r);
}

/* -10 * 1000 * 10: 10 ms, relative. It lasts that long at least. */
static void wdm_delay_relative(struct kunit *test)
{
	LARGE_INTEGER interval = { .QuadPart = -10 * 1000 * 10 };
	ktime_t start = ktime_get_boottime();
	NTSTATUS status;
	KIRQL old, irql;

	status = KeDelayExecutionThread(KernelMode, FALSE, &interval);
	KUNIT_EXPECT_EQ(test, status, STATUS_SUCCESS);
	KUNIT_EXPECT_GE(test, ktime_ms_delta(ktime_get_boottime(), start), 10LL);

	/* At APC_LEVEL too, which the call comes back to. */
	start = ktime_get_boottime();
	KeRaiseIrql(APC_LEVEL, &old);
	status = KeDelayExecutionThread(KernelMode, FALSE, &interval);
	irql = KeGetCurrentIrql();
	KeLowerIrql(old);
	KUNIT_EXPECT_EQ(test, irql, APC_LEVEL);
	KUNIT_EXPECT_TRUE(test, preemptible());
	KUNIT_EXPECT_EQ(test, status, STATUS_SUCCESS);
	KUNIT_EXPECT_GE(test, ktime_ms_delta(ktime_get_boottime(), start), 10LL);
}

/* A positive interval is a system time: the call returns once it has passed. */
static void wdm_delay_absolute(struct kunit *test)
{
	LARGE_INTEGER due, now;

	KeQuerySystemTimePrecise(&due);
	due.QuadPart += 20 * 1000 * 10;
	KUNIT_EXPECT_EQ(test, KeDelayExecutionThread(KernelMode, FALSE, &due), STATUS_SUCCESS);
	KeQuerySystemTimePrecise(&now);
	KUNIT_EXPECT_GE(test, now.QuadPart, due.QuadPart);
}

/* Above APC_LEVEL a delay is a bug (Windows stops): reported, refused at once. */
static void wdm_delay_at_dispatch(struct kunit *test)
{
	LARGE_INTEGER interval = { .QuadPart = -10 * 1000 * 1000 * 10LL };
	unsigned long bugs = wdm_bugs_reported();
	NTSTATUS status;
	KIRQL old;

	KeRaiseIrql(DISPATCH_LEVEL, &old);
	status = KeDelayExecutionThread(KernelMode, FALSE, &interval);
	KeLowerIrql(old);
	KUNIT_EXPECT_EQ(test, status, STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 1UL);
	interval.QuadPart = 0;
	KUNIT_EXPECT_EQ(test, KeDelayExecutionThread(KernelMode, FALSE, &interval),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 1UL);
}

/*
 * Acquiring raises to APC_LEVEL; releasing restores the level of the call,
 * APC_LEVEL for a mutex acquired under another. The levels are read at the
 * time and checked at PASSIVE_LEVEL.
 */
static void wdm_fast_mutex_irql(struct kunit *test)
{
	unsigned long bugs = wdm_bugs_reported();
	BOOLEAN owned_try, nested_try, free_try;
	FAST_MUTEX m1, m2;
	KIRQL irql[7];

	ExInitializeFastMutex(&m1);
	ExInitializeFastMutex(&m2);
	ExAcquireFastMutex(&m1);
	irql[0] = KeGetCurrentIrql();
	owned_try = ExTryToAcquireFastMutex(&m1);
	ExAcquireFastMutex(&m2);
	irql[1] = KeGetCurrentIrql();
	ExReleaseFastMutex(&m2);
	irql[2] = KeGetCurrentIrql();
	nested_try = ExTryToAcquireFastMutex(&m2);
	irql[3] = KeGetCurrentIrql();
	ExReleaseFastMutex(&m2);
	irql[4] = KeGetCurrentIrql();
	ExReleaseFastMutex(&m1);
	irql[5] = KeGetCurrentIrql();
	free_try = ExTryToAcquireFastMutex(&m1);
	irql[6] = KeGetCurrentIrql();
	if (free_try)
		ExReleaseFastMutex(&m1);

	KUNIT_EXPECT_EQ(test, irql[0], APC_LEVEL);
	KUNIT_EXPECT_FALSE(test, owned_try);
	KUNIT_EXPECT_EQ(test, irql[1], APC_LEVEL);
	KUNIT_EXPECT_EQ(test, irql[2], APC_LEVEL);
	KUNIT_EXPECT_TRUE(test, nested_try);
	KUNIT_EXPECT_EQ(test, irql[3], APC_LEVEL);
	KUNIT_EXPECT_EQ(test, irql[4], APC_LEVEL);
	KUNIT_EXPECT_EQ(test, irql[5], PASSIVE_LEVEL);
	KUNIT_EXPECT_TRUE(test, free_try);
	KUNIT_EXPECT_EQ(test, irql[6], APC_LEVEL);
	KUNIT_EXPECT_EQ(test, KeGetCurrentIrql(), PASSIVE_LEVEL);
	KUNIT_EXPECT_TRUE(test, preemptible());
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 0UL);
}

/* Above APC_LEVEL, and a release by a non-owner: one report each, no change. */
static void wdm_fast_mutex_bugs(struct kunit *test)
{
	unsigned long bugs = wdm_bugs_reported();
	KIRQL old, irql;
	FAST_MUTEX m;

	ExInitializeFastMutex(&m);
	ExReleaseFastMutex(&m);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 1UL);
	KeRaiseIrql(DISPATCH_LEVEL, &old);
	ExAcquireFastMutex(&m);
	irql = KeGetCurrentIrql();
	KeLowerIrql(old);
	KUNIT_EXPECT_EQ(test, irql, DISPATCH_LEVEL);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 2UL);
	KUNIT_EXPECT_TRUE(test, ExTryToAcquireFastMutex(&m));
	ExReleaseFastMutex(&m);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 2UL);
}

/* Two CPUs each run ROUNDS plain read-modify-writes under one fast mutex. */
struct mutex_race {
	FAST_MUTEX m;
	int plain;			/* touched only under m */
	atomic_t not_apc;		/* holders that were not at APC_LEVEL */
	atomic_t ready;
	bool alone;
};

static void mutex_hammer(void *arg)
{
	struct mutex_race *r = arg;
	int i, v;

	atomic_inc(&r->ready);
	while (atomic_read(&r->ready) < 2 && !READ_ONCE(r->alone))
		cond_resched();
	for (i = 0; i < ROUNDS; i++) {
		ExAcquireFastMutex(&r->m);
		if (KeGetCurrentIrql() != APC_LEVEL)
			atomic_inc(&r->not_apc);
		v = READ_ONCE(r->plain);
		cpu_relax();
		WRITE_ONCE(r->plain, v + 1);
		ExReleaseFastMutex(&r->m);
	}
}

static void wdm_fast_mutex_two_cpus(struct kunit *test)
{
	struct mutex_race *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	ExInitializeFastMutex(&r->m);
	wdm_test_on_two_cpus(test, mutex_hammer, mutex_hammer, r, &r->alone);
	KUNIT_EXPECT_EQ(test, r->plain, 2 * ROUNDS);
	KUNIT_EXPECT_EQ(test, atomic_read(&r->not_apc), 0);
}

/* Windows' macro: the operands are taken as 32-bit signed values. */
static void wdm_int32x32to64(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, Int32x32To64(-10000, 5), -50000LL);
	KUNIT_EXPECT_EQ(test, Int32x32To64(0x7fffffff, 0x7fffffff), 0x3fffffff00000001LL);
	KUNIT_EXPECT_EQ(test, Int32x32To64(0xffffffffU, 2), -2LL);
}

static struct kunit_case wdm_pool_cases[] = {
	KUNIT_CASE(wdm_pool_alloc_passive),
	KUNIT_CASE(wdm_pool_alloc_raised),
	KUNIT_CASE(wdm_pool_paged_at_dispatch),
	KUNIT_CASE(wdm_pool_bad_calls),
	KUNIT_CASE(wdm_pool_zeroed),
	KUNIT_CASE(wdm_pool2_flags),
	KUNIT_CASE(wdm_exlist_order),
	KUNIT_CASE(wdm_exlist_high_level),
	KUNIT_CASE(wdm_exlist_two_cpus),
	KUNIT_CASE(wdm_delay_relative),
	KUNIT_CASE(wdm_delay_absolute),
	KUNIT_CASE(wdm_delay_at_dispatch),
	KUNIT_CASE(wdm_fast_mutex_irql),
	KUNIT_CASE(wdm_fast_mutex_bugs),
	KUNIT_CASE(wdm_fast_mutex_two_cpus),
	KUNIT_CASE(wdm_int32x32to64),
	{}
};

static struct kunit_suite wdm_pool_suite = {
	.name = "wdm_pool",
	.test_cases = wdm_pool_cases,
};

kunit_test_suite(wdm_pool_suite);
