// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the Interlocked routines return what Microsoft documents (the new
 * value for Increment, Decrement and Add; the original one for Exchange,
 * ExchangeAdd, CompareExchange and the logical Or, And, Xor; the old bit for
 * the bit tests), store only what they should, and stay atomic when two CPUs hammer
 * the same variable.
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/processor.h>
#include <linux/sched.h>

#include "wdm_test.h"

/* Iterations per CPU in the two-CPU cases */
#define ROUNDS	100000

static void wdm_interlocked_increment_decrement(struct kunit *test)
{
	LONG v = 5;

	KUNIT_EXPECT_EQ(test, InterlockedIncrement(&v), 6);
	KUNIT_EXPECT_EQ(test, v, 6);
	KUNIT_EXPECT_EQ(test, InterlockedDecrement(&v), 5);
	KUNIT_EXPECT_EQ(test, InterlockedDecrement(&v), 4);
	KUNIT_EXPECT_EQ(test, v, 4);

	/* two's complement: the largest LONG wraps to the smallest */
	v = 0x7fffffff;
	KUNIT_EXPECT_EQ(test, (ULONG)InterlockedIncrement(&v), 0x80000000U);
	v = 0;
	KUNIT_EXPECT_EQ(test, InterlockedDecrement(&v), -1);
}

static void wdm_interlocked_exchange(struct kunit *test)
{
	LONG v = 1;

	KUNIT_EXPECT_EQ(test, InterlockedExchange(&v, 7), 1);
	KUNIT_EXPECT_EQ(test, v, 7);
	KUNIT_EXPECT_EQ(test, InterlockedExchange(&v, -3), 7);
	KUNIT_EXPECT_EQ(test, v, -3);
}

/* ExchangeAdd returns the value before, Add the value after. */
static void wdm_interlocked_exchange_add_and_add(struct kunit *test)
{
	LONG v = 10;

	KUNIT_EXPECT_EQ(test, InterlockedExchangeAdd(&v, 5), 10);
	KUNIT_EXPECT_EQ(test, v, 15);
	KUNIT_EXPECT_EQ(test, InterlockedAdd(&v, 5), 20);
	KUNIT_EXPECT_EQ(test, v, 20);
	KUNIT_EXPECT_EQ(test, InterlockedExchangeAdd(&v, -20), 20);
	KUNIT_EXPECT_EQ(test, v, 0);
	KUNIT_EXPECT_EQ(test, InterlockedAdd(&v, -2), -2);
}

/* Returns the initial value; stores ExChange only when it equals Comperand. */
static void wdm_interlocked_compare_exchange(struct kunit *test)
{
	LONG v = 3;

	KUNIT_EXPECT_EQ(test, InterlockedCompareExchange(&v, 9, 4), 3);
	KUNIT_EXPECT_EQ(test, v, 3);
	KUNIT_EXPECT_EQ(test, InterlockedCompareExchange(&v, 9, 3), 3);
	KUNIT_EXPECT_EQ(test, v, 9);
	KUNIT_EXPECT_EQ(test, InterlockedCompareExchange(&v, 1, 9), 9);
	KUNIT_EXPECT_EQ(test, v, 1);
}

/* InterlockedOr, InterlockedAnd, InterlockedXor: the original value. */
static void wdm_interlocked_or_and_xor(struct kunit *test)
{
	LONG v = 0x0f;

	KUNIT_EXPECT_EQ(test, InterlockedOr(&v, 0xf0), 0x0f);
	KUNIT_EXPECT_EQ(test, v, 0xff);
	KUNIT_EXPECT_EQ(test, InterlockedAnd(&v, 0x3c), 0xff);
	KUNIT_EXPECT_EQ(test, v, 0x3c);
	KUNIT_EXPECT_EQ(test, InterlockedXor(&v, 0xff), 0x3c);
	KUNIT_EXPECT_EQ(test, v, 0xc3);
}

static void wdm_interlocked_bit_test(struct kunit *test)
{
	LONG bits[2] = { 0, 0 };
	LONG v = 0;

	KUNIT_EXPECT_EQ(test, InterlockedBitTestAndSet(&v, 31), 0);
	KUNIT_EXPECT_EQ(test, (ULONG)v, 0x80000000U);
	KUNIT_EXPECT_EQ(test, InterlockedBitTestAndSet(&v, 31), 1);
	KUNIT_EXPECT_EQ(test, (ULONG)v, 0x80000000U);
	KUNIT_EXPECT_EQ(test, InterlockedBitTestAndSet(&v, 0), 0);
	KUNIT_EXPECT_EQ(test, (ULONG)v, 0x80000001U);
	KUNIT_EXPECT_EQ(test, InterlockedBitTestAndReset(&v, 31), 1);
	KUNIT_EXPECT_EQ(test, v, 1);
	KUNIT_EXPECT_EQ(test, InterlockedBitTestAndReset(&v, 31), 0);
	KUNIT_EXPECT_EQ(test, v, 1);

	/* a bit string, as lock bts addresses it: bit 33 is bit 1 of the next LONG */
	KUNIT_EXPECT_EQ(test, InterlockedBitTestAndSet(bits, 33), 0);
	KUNIT_EXPECT_EQ(test, bits[0], 0);
	KUNIT_EXPECT_EQ(test, bits[1], 2);
	KUNIT_EXPECT_EQ(test, InterlockedBitTestAndReset(bits, 33), 1);
	KUNIT_EXPECT_EQ(test, bits[1], 0);
}

static void wdm_interlocked_64(struct kunit *test)
{
	LONG64 v = 0x100000000LL;

	KUNIT_EXPECT_EQ(test, InterlockedIncrement64(&v), 0x100000001LL);
	KUNIT_EXPECT_EQ(test, InterlockedDecrement64(&v), 0x100000000LL);
	KUNIT_EXPECT_EQ(test, InterlockedDecrement64(&v), 0xffffffffLL);
	KUNIT_EXPECT_EQ(test, InterlockedExchange64(&v, 0x500000000LL), 0xffffffffLL);
	KUNIT_EXPECT_EQ(test, v, 0x500000000LL);
	KUNIT_EXPECT_EQ(test, InterlockedExchangeAdd64(&v, 0x100000000LL), 0x500000000LL);
	KUNIT_EXPECT_EQ(test, InterlockedAdd64(&v, 0x100000000LL), 0x700000000LL);
	KUNIT_EXPECT_EQ(test, InterlockedCompareExchange64(&v, 1, 0x700000001LL), 0x700000000LL);
	KUNIT_EXPECT_EQ(test, v, 0x700000000LL);
	KUNIT_EXPECT_EQ(test, InterlockedCompareExchange64(&v, 1, 0x700000000LL), 0x700000000LL);
	KUNIT_EXPECT_EQ(test, v, 1);
	KUNIT_EXPECT_EQ(test, InterlockedOr64(&v, 0xf00000000LL), 1);
	KUNIT_EXPECT_EQ(test, v, 0xf00000001LL);
	KUNIT_EXPECT_EQ(test, InterlockedAnd64(&v, 0x300000001LL), 0xf00000001LL);
	KUNIT_EXPECT_EQ(test, v, 0x300000001LL);
	KUNIT_EXPECT_EQ(test, InterlockedXor64(&v, 0x100000001LL), 0x300000001LL);
	KUNIT_EXPECT_EQ(test, v, 0x200000000LL);

	v = 0;
	KUNIT_EXPECT_EQ(test, InterlockedBitTestAndSet64(&v, 63), 0);
	KUNIT_EXPECT_EQ(test, (ULONG64)v, 0x8000000000000000ULL);
	KUNIT_EXPECT_EQ(test, InterlockedBitTestAndSet64(&v, 63), 1);
	KUNIT_EXPECT_EQ(test, InterlockedBitTestAndReset64(&v, 63), 1);
	KUNIT_EXPECT_EQ(test, v, 0);
	KUNIT_EXPECT_EQ(test, InterlockedBitTestAndReset64(&v, 63), 0);
}

static void wdm_interlocked_pointers(struct kunit *test)
{
	int a, b, c;
	PVOID p = &a;

	KUNIT_EXPECT_PTR_EQ(test, InterlockedExchangePointer(&p, &b), (PVOID)&a);
	KUNIT_EXPECT_PTR_EQ(test, p, (PVOID)&b);
	KUNIT_EXPECT_PTR_EQ(test, InterlockedCompareExchangePointer(&p, &c, &a), (PVOID)&b);
	KUNIT_EXPECT_PTR_EQ(test, p, (PVOID)&b);
	KUNIT_EXPECT_PTR_EQ(test, InterlockedCompareExchangePointer(&p, &c, &b), (PVOID)&b);
	KUNIT_EXPECT_PTR_EQ(test, p, (PVOID)&c);
	KUNIT_EXPECT_PTR_EQ(test, InterlockedCompareExchangePointer(&p, NULL, &c), (PVOID)&c);
	KUNIT_EXPECT_NULL(test, p);
}

/* The _Acquire, _Release and _NoFence forms return what the plain ones do. */
static void wdm_interlocked_fence_suffixes(struct kunit *test)
{
	LONG64 w = 2;
	LONG v = 2;
	PVOID p = NULL;

	KUNIT_EXPECT_EQ(test, InterlockedIncrementAcquire(&v), 3);
	KUNIT_EXPECT_EQ(test, InterlockedDecrementRelease(&v), 2);
	KUNIT_EXPECT_EQ(test, InterlockedExchangeAddNoFence(&v, 3), 2);
	KUNIT_EXPECT_EQ(test, InterlockedCompareExchangeAcquire(&v, 0, 5), 5);
	KUNIT_EXPECT_EQ(test, InterlockedOrRelease(&v, 6), 0);
	KUNIT_EXPECT_EQ(test, InterlockedAndNoFence(&v, 2), 6);
	KUNIT_EXPECT_EQ(test, InterlockedBitTestAndSetAcquire(&v, 1), 1);
	KUNIT_EXPECT_EQ(test, InterlockedIncrementNoFence64(&w), 3);
	KUNIT_EXPECT_EQ(test, InterlockedCompareExchangeRelease64(&w, 9, 3), 3);
	KUNIT_EXPECT_EQ(test, InterlockedOr64Acquire(&w, 0x10), 9);
	KUNIT_EXPECT_EQ(test, w, 0x19);
	KUNIT_EXPECT_PTR_EQ(test, InterlockedCompareExchangePointerAcquire(&p, &w, NULL), NULL);
	KUNIT_EXPECT_PTR_EQ(test, p, (PVOID)&w);
}

/* Two CPUs: both start together, each runs ROUNDS iterations of one step. */
struct hammer {
	LONG counter;
	LONG64 counter64;
	LONG lock;			/* 0 free, 1 held: a compare-exchange lock */
	int plain;			/* touched only under lock */
	atomic_t ready;
	bool alone;			/* no worker on CPU 1: do not wait for it */
};

/* Both spin here until the other arrives, so the two loops overlap. */
static void hammer_start_together(struct hammer *h)
{
	atomic_inc(&h->ready);
	while (atomic_read(&h->ready) < 2 && !READ_ONCE(h->alone))
		cond_resched();
}

static void hammer_increment(void *arg)
{
	struct hammer *h = arg;
	int i;

	hammer_start_together(h);
	for (i = 0; i < ROUNDS; i++)
		InterlockedIncrement(&h->counter);
}

static void hammer_increment64(void *arg)
{
	struct hammer *h = arg;
	int i;

	hammer_start_together(h);
	for (i = 0; i < ROUNDS; i++)
		InterlockedIncrement64(&h->counter64);
}

static void hammer_cas_lock(void *arg)
{
	struct hammer *h = arg;
	int i;

	hammer_start_together(h);
	for (i = 0; i < ROUNDS; i++) {
		while (InterlockedCompareExchange(&h->lock, 1, 0) != 0)
			cpu_relax();
		/* a plain read-modify-write: only the lock makes it exact */
		WRITE_ONCE(h->plain, READ_ONCE(h->plain) + 1);
		InterlockedExchange(&h->lock, 0);
	}
}

static void wdm_interlocked_increment_two_cpus(struct kunit *test)
{
	struct hammer *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, h);
	wdm_test_on_two_cpus(test, hammer_increment, hammer_increment, h, &h->alone);
	KUNIT_EXPECT_EQ(test, h->counter, 2 * ROUNDS);
}

static void wdm_interlocked_increment64_two_cpus(struct kunit *test)
{
	struct hammer *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, h);
	h->counter64 = 0x100000000LL;
	wdm_test_on_two_cpus(test, hammer_increment64, hammer_increment64, h, &h->alone);
	KUNIT_EXPECT_EQ(test, h->counter64, 0x100000000LL + 2 * ROUNDS);
}

static void wdm_interlocked_compare_exchange_lock_two_cpus(struct kunit *test)
{
	struct hammer *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, h);
	wdm_test_on_two_cpus(test, hammer_cas_lock, hammer_cas_lock, h, &h->alone);
	KUNIT_EXPECT_EQ(test, h->plain, 2 * ROUNDS);
	KUNIT_EXPECT_EQ(test, h->lock, 0);
}

static struct kunit_case wdm_interlocked_cases[] = {
	KUNIT_CASE(wdm_interlocked_increment_decrement),
	KUNIT_CASE(wdm_interlocked_exchange),
	KUNIT_CASE(wdm_interlocked_exchange_add_and_add),
	KUNIT_CASE(wdm_interlocked_compare_exchange),
	KUNIT_CASE(wdm_interlocked_or_and_xor),
	KUNIT_CASE(wdm_interlocked_bit_test),
	KUNIT_CASE(wdm_interlocked_64),
	KUNIT_CASE(wdm_interlocked_pointers),
	KUNIT_CASE(wdm_interlocked_fence_suffixes),
	KUNIT_CASE(wdm_interlocked_increment_two_cpus),
	KUNIT_CASE(wdm_interlocked_increment64_two_cpus),
	KUNIT_CASE(wdm_interlocked_compare_exchange_lock_two_cpus),
	{}
};

static struct kunit_suite wdm_interlocked_suite = {
	.name = "wdm_interlocked",
	.test_cases = wdm_interlocked_cases,
};

kunit_test_suite(wdm_interlocked_suite);
