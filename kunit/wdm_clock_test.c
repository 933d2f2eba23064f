// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the clocks. The system time is CLOCK_REALTIME counted in 100 ns
 * units from 1601; the interrupt time and the performance counter count
 * from boot and move with the time that passes; the tick count times the
 * time increment is the interrupt time rounded down to a tick; KeStallExecutionProcessor()
 * stalls at least as long as asked.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>

#include "../module/wdm/wdm_internal.h"
#include "wdm_test.h"

/* 1970-01-01 and 2024-01-01 00:00 UTC as Windows system times (FILETIME) */
#define UNIX_EPOCH_AS_SYSTEM_TIME	116444736000000000LL
#define YEAR_2024_AS_SYSTEM_TIME	133485408000000000LL

static LONGLONG to_system_time(const struct timespec64 *ts)
{
	return UNIX_EPOCH_AS_SYSTEM_TIME + ts->tv_sec * 10000000LL + ts->tv_nsec / 100;
}

/* KeQuerySystemTimePrecise() lies between two reads of CLOCK_REALTIME. */
static void wdm_clock_system_time_precise_is_realtime(struct kunit *test)
{
	struct timespec64 before, after;
	LARGE_INTEGER now;

	ktime_get_real_ts64(&before);
	KeQuerySystemTimePrecise(&now);
	ktime_get_real_ts64(&after);
	KUNIT_EXPECT_GE(test, now.QuadPart, to_system_time(&before));
	KUNIT_EXPECT_LE(test, now.QuadPart, to_system_time(&after));
	/* The guest's clock is the host's: some time after 2024. */
	KUNIT_EXPECT_GT(test, now.QuadPart, YEAR_2024_AS_SYSTEM_TIME);
}

/*
 * KeQuerySystemTime() is the time of the last tick: between two coarse
 * reads of CLOCK_REALTIME, and never ahead of the precise time.
 */
static void wdm_clock_system_time_is_last_tick(struct kunit *test)
{
	struct timespec64 before, after;
	LARGE_INTEGER now, precise;

	ktime_get_coarse_real_ts64(&before);
	KeQuerySystemTime(&now);
	ktime_get_coarse_real_ts64(&after);
	KeQuerySystemTimePrecise(&precise);
	KUNIT_EXPECT_GE(test, now.QuadPart, to_system_time(&before));
	KUNIT_EXPECT_LE(test, now.QuadPart, to_system_time(&after));
	KUNIT_EXPECT_LE(test, now.QuadPart, precise.QuadPart);
	KUNIT_EXPECT_GT(test, now.QuadPart, YEAR_2024_AS_SYSTEM_TIME);
}

/*
 * The interrupt time moves by at least a 5 ms sleep and never goes back;
 * the value of the last tick is never ahead of the precise one.
 */
static void wdm_clock_interrupt_time_advances(struct kunit *test)
{
	ULONG64 p0, p1, qpc;
	ULONGLONG c0, c1;

	c0 = KeQueryInterruptTime();
	p0 = KeQueryInterruptTimePrecise(&qpc);
	usleep_range(5000, 6000);
	p1 = KeQueryInterruptTimePrecise(&qpc);
	c1 = KeQueryInterruptTime();
	KUNIT_EXPECT_GE(test, p1 - p0, 5 * 10000ULL);
	KUNIT_EXPECT_LE(test, c0, p0);
	KUNIT_EXPECT_GE(test, c1, c0);
	/* The 10 MHz performance counter is the interrupt time. */
	KUNIT_EXPECT_EQ(test, qpc, p1);
}

/* Since boot: CLOCK_BOOTTIME in 100 ns units. */
static void wdm_clock_interrupt_time_is_since_boot(struct kunit *test)
{
	u64 before, after;
	ULONG64 now, qpc;

	before = ktime_get_boottime_ns() / 100;
	now = KeQueryInterruptTimePrecise(&qpc);
	after = ktime_get_boottime_ns() / 100;
	KUNIT_EXPECT_GE(test, now, before);
	KUNIT_EXPECT_LE(test, now, after);
}

/* A tick is a jiffy: 4 ms (40000 units) with HZ=250. */
static void wdm_clock_time_increment_is_a_jiffy(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, (u64)KeQueryTimeIncrement() * 100, (u64)NSEC_PER_SEC / HZ);
}

/*
 * KeQueryTickCount() * KeQueryTimeIncrement() is the interrupt time rounded
 * down to a tick: within one increment below a read taken before, never
 * above one taken after. Over a 20 ms sleep the count moves on by the
 * jiffies the sleep spans, less the one that may still be being accounted.
 */
static void wdm_clock_tick_count_tracks_interrupt_time(struct kunit *test)
{
	LONGLONG inc = KeQueryTimeIncrement();
	LARGE_INTEGER t0, t1;
	LONGLONG i0, i1;

	i0 = KeQueryInterruptTime();
	KeQueryTickCount(&t0);
	i1 = KeQueryInterruptTime();
	KUNIT_EXPECT_GT(test, t0.QuadPart * inc, i0 - inc);
	KUNIT_EXPECT_LE(test, t0.QuadPart * inc, i1);
	msleep(20);
	i0 = KeQueryInterruptTime();
	KeQueryTickCount(&t1);
	i1 = KeQueryInterruptTime();
	KUNIT_EXPECT_GT(test, t1.QuadPart * inc, i0 - inc);
	KUNIT_EXPECT_LE(test, t1.QuadPart * inc, i1);
	KUNIT_EXPECT_GE(test, t1.QuadPart - t0.QuadPart, (LONGLONG)msecs_to_jiffies(20) - 1);
}

/* 10 MHz, and a 1000 us stall moves the counter by at least 1 ms. */
static void wdm_clock_performance_counter_over_a_stall(struct kunit *test)
{
	LARGE_INTEGER c0, c1, freq, freq2;

	c0 = KeQueryPerformanceCounter(&freq);
	KeStallExecutionProcessor(1000);
	c1 = KeQueryPerformanceCounter(NULL);
	KUNIT_EXPECT_EQ(test, freq.QuadPart, 10000000LL);
	KUNIT_EXPECT_GE(test, c1.QuadPart - c0.QuadPart, freq.QuadPart / 1000);
	KeQueryPerformanceCounter(&freq2);
	KUNIT_EXPECT_EQ(test, freq2.QuadPart, freq.QuadPart);
}

/* A stall at DISPATCH_LEVEL works as well, and KeStallExecutionProcessor(0) returns. */
static void wdm_clock_stall_at_dispatch(struct kunit *test)
{
	LARGE_INTEGER c0, c1;

	local_bh_disable();
	preempt_disable();
	KUNIT_EXPECT_EQ(test, KeGetCurrentIrql(), DISPATCH_LEVEL);
	c0 = KeQueryPerformanceCounter(NULL);
	KeStallExecutionProcessor(0);
	KeStallExecutionProcessor(50);
	c1 = KeQueryPerformanceCounter(NULL);
	preempt_enable();
	local_bh_enable();
	KUNIT_EXPECT_GE(test, c1.QuadPart - c0.QuadPart, 500LL);
}

/*
 * @n ns measured by one of the shim's clocks across mdelay(2), inside @k ns
 * of ktime_get_ns(): at least the 2 ms the delay waits for (less 0.5%: its
 * rounding), and no more than @k (plus 1%: the TSC's rate as first
 * calibrated against the refined one).
 */
static void expect_mdelay2(struct kunit *test, u64 n, u64 k)
{
	KUNIT_EXPECT_GE(test, n, 1990ULL * NSEC_PER_USEC);
	KUNIT_EXPECT_LE(test, n, k + k / 100);
}

/* The clock of DPCs and the DPC watchdog (the TSC where it allows). */
static void wdm_clock_own_clock_keeps_time(struct kunit *test)
{
	u64 k0, k1, n0, n1;

	preempt_disable();
	k0 = ktime_get_ns();
	n0 = wdm_now_ns();
	mdelay(2);
	n1 = wdm_now_ns();
	k1 = ktime_get_ns();
	preempt_enable();
	expect_mdelay2(test, n1 - n0, k1 - k0);
}

#ifdef WDM_STATS
/* The clock of an ISR's duration (two reads on one CPU). */
static void wdm_clock_isr_clock_keeps_time(struct kunit *test)
{
	unsigned long flags;
	u64 k0, k1, c0, c1;

	local_irq_save(flags);
	k0 = ktime_get_ns();
	c0 = wdm_isr_clock();
	mdelay(2);
	c1 = wdm_isr_clock();
	k1 = ktime_get_ns();
	local_irq_restore(flags);
	expect_mdelay2(test, wdm_isr_ns(c0, c1), k1 - k0);
}
#endif

static struct kunit_case wdm_clock_cases[] = {
	KUNIT_CASE(wdm_clock_system_time_precise_is_realtime),
	KUNIT_CASE(wdm_clock_system_time_is_last_tick),
	KUNIT_CASE(wdm_clock_interrupt_time_advances),
	KUNIT_CASE(wdm_clock_interrupt_time_is_since_boot),
	KUNIT_CASE(wdm_clock_time_increment_is_a_jiffy),
	KUNIT_CASE(wdm_clock_tick_count_tracks_interrupt_time),
	KUNIT_CASE(wdm_clock_performance_counter_over_a_stall),
	KUNIT_CASE(wdm_clock_stall_at_dispatch),
	KUNIT_CASE(wdm_clock_own_clock_keeps_time),
#ifdef WDM_STATS
	KUNIT_CASE(wdm_clock_isr_clock_keeps_time),
#endif
	{}
};

static struct kunit_suite wdm_clock_suite = {
	.name = "wdm_clock",
	.test_cases = wdm_clock_cases,
};

kunit_test_suite(wdm_clock_suite);
