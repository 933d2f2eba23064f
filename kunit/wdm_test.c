// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit-only fixtures: CPU-bound worker threads for the concurrency cases,
 * and the description of the wdm_kunit module. The interrupts the suites
 * fire come from wdm_test_irq.c.
 */
#include <linux/kthread.h>
#include <linux/module.h>

#include "wdm_test.h"

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

MODULE_DESCRIPTION("KUnit tests for the wdm.ko WDM interrupt shim");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
