/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixtures shared by the wdm KUnit suites: real interrupts through genirq
 * from a private irq domain (wdm_test_irq.h), and helpers to run work on a
 * given CPU.
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

#endif /* _WDM_TEST_H */
