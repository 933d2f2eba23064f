// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit-only fixtures: CPU-bound worker threads for the concurrency cases,
 * bounded waits for what the other CPU does, and the description of the
 * wdm_kunit module. The interrupts the suites fire come from wdm_test_irq.c.
 */
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/string.h>

#include "../module/wdm/wdm_internal.h"
#include "wdm_test.h"

/* How long the waits below give the other side, in milliseconds. */
#define WDM_TEST_WAIT_MS	5000

static int wdm_test_worker_fn(void *data)
{
	struct wdm_test_worker *w = data;

	w->fn(w->arg);
	complete(&w->done);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

int wdm_test_worker_start(struct wdm_test_worker *w, unsigned int cpu,
			  void (*fn)(void *arg), void *arg)
{
	w->fn = fn;
	w->arg = arg;
	init_completion(&w->done);
	w->task = kthread_create_on_cpu(wdm_test_worker_fn, w, cpu, "wdm-test/%u");
	if (IS_ERR(w->task))
		return PTR_ERR(w->task);
	wake_up_process(w->task);
	return 0;
}

void wdm_test_worker_wait(struct wdm_test_worker *w)
{
	wait_for_completion(&w->done);
	kthread_stop(w->task);
}

/**
 * wdm_test_on_two_cpus() - run two functions on CPUs 0 and 1 at once
 * @test: the case, failed if there is no worker on CPU 1
 * @fn0: run on CPU 0
 * @fn1: run on CPU 1
 * @arg: passed to both
 * @release: if not NULL, set when CPU 1 gets no worker, so that @fn0 does
 *	not wait for @fn1 in vain
 *
 * Returns when both have returned.
 */
void wdm_test_on_two_cpus(struct kunit *test, void (*fn0)(void *arg),
			  void (*fn1)(void *arg), void *arg, bool *release)
{
	struct wdm_test_worker w0, w1;

	KUNIT_ASSERT_TRUE(test, cpu_online(0) && cpu_online(1));
	KUNIT_ASSERT_EQ(test, wdm_test_worker_start(&w0, 0, fn0, arg), 0);
	if (wdm_test_worker_start(&w1, 1, fn1, arg)) {
		if (release)
			WRITE_ONCE(*release, true);
		wdm_test_worker_wait(&w0);
		KUNIT_FAIL(test, "no worker on CPU 1");
		return;
	}
	wdm_test_worker_wait(&w0);
	wdm_test_worker_wait(&w1);
}

/**
 * wdm_test_spin_until() - busy-wait until a flag is set
 * @flag: set by the other side
 *
 * For code that may not sleep: DPCs, raised IRQLs, interrupts off. Timed
 * with ktime_get(), which goes on where jiffies stop (interrupts off on the
 * CPU that counts them).
 *
 * Return: true if *@flag was seen set, false after five seconds.
 */
bool wdm_test_spin_until(const bool *flag)
{
	ktime_t end = ktime_add_ms(ktime_get(), WDM_TEST_WAIT_MS);

	while (!READ_ONCE(*flag)) {
		if (ktime_after(ktime_get(), end))
			return false;
		cpu_relax();
	}
	return true;
}

/**
 * wdm_test_wait_until() - sleep until a flag is set
 * @flag: set by the other side
 *
 * At PASSIVE_LEVEL, in steps of 1-2 ms.
 *
 * Return: true if *@flag was seen set, false after five seconds or more.
 */
bool wdm_test_wait_until(const bool *flag)
{
	int i;

	for (i = 0; i < WDM_TEST_WAIT_MS && !READ_ONCE(*flag); i++)
		usleep_range(1000, 2000);
	return READ_ONCE(*flag);
}

/**
 * wdm_test_waiters_reach() - sleep until enough waits hang on an object
 * @object: a dispatcher object
 * @n: how many waits
 *
 * Return: true once @n or more waits block on @object, false after five
 * seconds or more.
 */
bool wdm_test_waiters_reach(PVOID object, unsigned int n)
{
	int i;

	for (i = 0; i < WDM_TEST_WAIT_MS; i++) {
		if (wdm_object_waiters(object) >= n)
			return true;
		usleep_range(1000, 2000);
	}
	return false;
}

static void wdm_test_waiter_fn(void *arg)
{
	struct wdm_test_waiter *w = arg;

	w->status = KeWaitForMultipleObjects(w->count, w->objects, w->type,
					     Executive, KernelMode, FALSE,
					     &w->timeout, NULL);
	WRITE_ONCE(w->done, true);
}

/**
 * wdm_test_waiter_start() - start a KeWaitForMultipleObjects() on a CPU
 * @test: the case, aborted if the worker does not start
 * @w: the waiter; its status is STATUS_PENDING until the wait returns
 * @cpu: where the wait runs
 * @objects: what it waits on (copied)
 * @count: how many, at most THREAD_WAIT_OBJECTS
 * @type: WaitAny or WaitAll
 * @timeout: in 100 ns units, negative for a relative one
 *
 * wdm_test_worker_wait(&@w->worker) waits for the wait to return.
 */
void wdm_test_waiter_start(struct kunit *test, struct wdm_test_waiter *w, unsigned int cpu,
			   PVOID const *objects, ULONG count, WAIT_TYPE type, LONGLONG timeout)
{
	KUNIT_ASSERT_LE(test, count, THREAD_WAIT_OBJECTS);
	memcpy(w->objects, objects, count * sizeof(*objects));
	w->count = count;
	w->type = type;
	w->timeout.QuadPart = timeout;
	w->status = STATUS_PENDING;
	w->done = false;
	KUNIT_ASSERT_EQ(test, wdm_test_worker_start(&w->worker, cpu, wdm_test_waiter_fn, w), 0);
}

MODULE_DESCRIPTION("KUnit tests for the wdm.ko WDM interrupt shim");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
