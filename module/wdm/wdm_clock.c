// SPDX-License-Identifier: GPL-2.0
/*
 * Clocks: the system time (CLOCK_REALTIME from 1601), the interrupt time,
 * the tick count and the performance counter (CLOCK_BOOTTIME), in Windows'
 * 100 ns units; a tick is a jiffy. And the shim's own clocks for its hot
 * paths (wdm_internal.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/clocksource.h>
#include <linux/export.h>
#include <linux/jiffies.h>
#include <linux/jump_label.h>
#include <linux/ktime.h>
#include <linux/math64.h>

#ifdef CONFIG_X86_TSC
#include <asm/tsc.h>
#endif

#include "wdm_compat.h"
#include "wdm_internal.h"

static LONGLONG wdm_timespec_to_system_time(const struct timespec64 *ts)
{
	return WDM_EPOCH_1601 + ts->tv_sec * WDM_UNITS_PER_SEC +
	       ts->tv_nsec / WDM_NSEC_PER_UNIT;
}

/**
 * KeQuerySystemTime() - the system time as of the last clock tick
 * @CurrentTime: receives the time in 100 ns units since 1601-01-01 UTC
 *
 * Context: any but NMI.
 */
void KeQuerySystemTime(PLARGE_INTEGER CurrentTime)
{
	struct timespec64 ts;

	ktime_get_coarse_real_ts64(&ts);
	CurrentTime->QuadPart = wdm_timespec_to_system_time(&ts);
}
EXPORT_SYMBOL_GPL(KeQuerySystemTime);

/**
 * KeQuerySystemTimePrecise() - the system time, read from the clocksource
 * @CurrentTime: receives the time in 100 ns units since 1601-01-01 UTC
 *
 * Context: any but NMI.
 */
void KeQuerySystemTimePrecise(PLARGE_INTEGER CurrentTime)
{
	struct timespec64 ts;

	ktime_get_real_ts64(&ts);
	CurrentTime->QuadPart = wdm_timespec_to_system_time(&ts);
}
EXPORT_SYMBOL_GPL(KeQuerySystemTimePrecise);

/**
 * KeQueryInterruptTime() - the time since boot as of the last clock tick
 *
 * Counts suspended time too (CLOCK_BOOTTIME), as Windows' interrupt time
 * counts sleep and hibernation.
 *
 * Context: any but NMI.
 * Return: the interrupt time in 100 ns units.
 */
ULONGLONG KeQueryInterruptTime(void)
{
	return div_u64(ktime_get_coarse_boottime_ns(), WDM_NSEC_PER_UNIT);
}
EXPORT_SYMBOL_GPL(KeQueryInterruptTime);

/**
 * KeQueryInterruptTimePrecise() - the time since boot, read from the clocksource
 * @QpcTimeStamp: receives the performance counter value the time was
 *	computed from
 *
 * The performance counter runs at 10 MHz from the same clock, so
 * *@QpcTimeStamp and the return value are the same number.
 *
 * Context: any but NMI.
 * Return: the interrupt time in 100 ns units.
 */
ULONG64 KeQueryInterruptTimePrecise(PULONG64 QpcTimeStamp)
{
	ULONG64 now = div_u64(ktime_get_boottime_ns(), WDM_NSEC_PER_UNIT);

	*QpcTimeStamp = now;
	return now;
}
EXPORT_SYMBOL_GPL(KeQueryInterruptTimePrecise);

/**
 * KeQueryTickCount() - the clock ticks since boot
 * @CurrentCount: receives the count
 *
 * A tick is a jiffy long. The count is the coarse CLOCK_BOOTTIME, which
 * moves at each tick, in jiffies: so the count times
 * KeQueryTimeIncrement() is KeQueryInterruptTime() rounded down to a tick,
 * as in Windows. jiffies would not do: they start seconds after
 * CLOCK_BOOTTIME's zero, and stop in suspend.
 *
 * Context: any but NMI.
 */
void KeQueryTickCount(PLARGE_INTEGER CurrentCount)
{
	CurrentCount->QuadPart = div_u64(ktime_get_coarse_boottime_ns(), TICK_NSEC);
}
EXPORT_SYMBOL_GPL(KeQueryTickCount);

/**
 * KeQueryTimeIncrement() - the length of a clock tick
 *
 * Context: any.
 * Return: the length of a jiffy in 100 ns units (40000 with HZ=250).
 */
ULONG KeQueryTimeIncrement(void)
{
	return TICK_NSEC / WDM_NSEC_PER_UNIT;
}
EXPORT_SYMBOL_GPL(KeQueryTimeIncrement);

/**
 * KeQueryPerformanceCounter() - a fine-grained monotonic counter
 * @PerformanceFrequency: if not NULL, receives the counts per second
 *
 * The counter is CLOCK_BOOTTIME in 100 ns units, 10 MHz, the frequency
 * that current Windows reports on most machines.
 *
 * Context: any but NMI.
 * Return: the counter.
 */
LARGE_INTEGER KeQueryPerformanceCounter(PLARGE_INTEGER PerformanceFrequency)
{
	LARGE_INTEGER count;

	count.QuadPart = div_u64(ktime_get_boottime_ns(), WDM_NSEC_PER_UNIT);
	if (PerformanceFrequency)
		PerformanceFrequency->QuadPart = WDM_UNITS_PER_SEC;
	return count;
}
EXPORT_SYMBOL_GPL(KeQueryPerformanceCounter);

/**
 * KeStallExecutionProcessor() - busy-wait
 * @MicroSeconds: how long, at least
 *
 * The processor spins on the clock the performance counter reads, so a
 * stall of n us moves that counter by at least n * 10 counts. Windows asks
 * for stalls of at most 50 us; longer ones are done all the same.
 *
 * Context: any but NMI.
 */
void KeStallExecutionProcessor(ULONG MicroSeconds)
{
	u64 start = ktime_get_boottime_ns();
	u64 len = (u64)MicroSeconds * NSEC_PER_USEC;

	while (ktime_get_boottime_ns() - start < len)
		cpu_relax();
}
EXPORT_SYMBOL_GPL(KeStallExecutionProcessor);

DEFINE_STATIC_KEY_FALSE(wdm_cycles_known);
EXPORT_SYMBOL_IF_KUNIT(wdm_cycles_known);
DEFINE_STATIC_KEY_FALSE(wdm_cycles_synced);
EXPORT_SYMBOL_IF_KUNIT(wdm_cycles_synced);
u32 wdm_cycles_mult __read_mostly;
EXPORT_SYMBOL_IF_KUNIT(wdm_cycles_mult);
u32 wdm_cycles_shift __read_mostly;
EXPORT_SYMBOL_IF_KUNIT(wdm_cycles_shift);

/*
 * wdm_clock_init() - read the cycle counter where its rate is known: on x86
 * the TSC, whose rate tsc_khz gives (what native_sched_clock() converts
 * with, once calibrated). Across CPUs only if the kernel has not marked it
 * unstable, and its rate is constant: so the CPU says, or the CPU is a
 * virtual one, whose TSC does not follow a frequency the guest sets (QEMU's
 * CPU models do not all say so). A TSC marked unstable later (by the
 * clocksource watchdog) is not followed, and a DPC's latency measured across
 * CPUs may then be off by their skew.
 *
 * Context: module init, before anything is connected or queued.
 */
void wdm_clock_init(void)
{
#ifdef CONFIG_X86_TSC
	if (!boot_cpu_has(X86_FEATURE_TSC) || !tsc_khz)
		return;
	clocks_calc_mult_shift(&wdm_cycles_mult, &wdm_cycles_shift, tsc_khz,
			       NSEC_PER_MSEC, 10);
	static_branch_enable(&wdm_cycles_known);
	if ((boot_cpu_has(X86_FEATURE_CONSTANT_TSC) || boot_cpu_has(X86_FEATURE_HYPERVISOR)) &&
	    !check_tsc_unstable())
		static_branch_enable(&wdm_cycles_synced);
#endif
}
