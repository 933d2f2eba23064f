/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixtures shared by the wdm KUnit suites: real interrupts through genirq
 * from a private irq domain (wdm_test_irq.h), helpers to run work on a
 * given CPU, and bounded waits for what another CPU does.
 */
#ifndef _WDM_TEST_H
#define _WDM_TEST_H

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/sched.h>
#include <wdm.h>

#include "../testlib/wdm_test_irq.h"

/* Interrupts in each suite's domain. */
#define WDM_TEST_NR_IRQS	4

static inline int wdm_test_irqs_init(struct kunit *test, struct wdm_test_irqs *ti)
{
	return wdm_test_irqs_create(ti, WDM_TEST_NR_IRQS);
}

/* Work on a CPU of its own, in a kthread bound to it. */
struct wdm_test_worker {
	struct task_struct *task;
	struct completion done;
	void (*fn)(void *arg);
	void *arg;
};

int wdm_test_worker_start(struct wdm_test_worker *w, unsigned int cpu,
			  void (*fn)(void *arg), void *arg);
void wdm_test_worker_wait(struct wdm_test_worker *w);

void wdm_test_on_two_cpus(struct kunit *test, void (*fn0)(void *arg),
			  void (*fn1)(void *arg), void *arg, bool *release);

bool wdm_test_spin_until(const bool *flag);
bool wdm_test_wait_until(const bool *flag);
bool wdm_test_waiters_reach(PVOID object, unsigned int n);

/* A KeWaitForMultipleObjects() call run by a worker on a given CPU. */
struct wdm_test_waiter {
	struct wdm_test_worker worker;
	PVOID objects[THREAD_WAIT_OBJECTS];
	ULONG count;
	WAIT_TYPE type;
	LARGE_INTEGER timeout;
	NTSTATUS status;
	bool done;
};

void wdm_test_waiter_start(struct kunit *test, struct wdm_test_waiter *w, unsigned int cpu,
			   PVOID const *objects, ULONG count, WAIT_TYPE type, LONGLONG timeout);

#endif /* _WDM_TEST_H */
