/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixtures shared by the wdm KUnit suites: real interrupts through genirq
 * from a private irq domain, and helpers to run work on a given CPU.
 */
#ifndef _WDM_TEST_H
#define _WDM_TEST_H

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/sched.h>
#include <wdm.h>

#define WDM_TEST_NR_IRQS	4

/* A private irq domain whose interrupts the tests fire by hand. */
struct wdm_test_irqs {
	struct irq_domain *domain;
	unsigned int virq[WDM_TEST_NR_IRQS];
};

int wdm_test_irqs_init(struct kunit *test, struct wdm_test_irqs *ti);
void wdm_test_irqs_exit(struct wdm_test_irqs *ti);
void wdm_test_fire(unsigned int virq);
/* The affinity genirq last asked the test chip for, as a CPU bit mask. */
unsigned long wdm_test_chip_affinity(unsigned int virq);
/* genirq's own count of unhandled interrupts (/proc/irq/N/spurious). */
int wdm_test_irq_unhandled(unsigned int virq);

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

/* A connect with every field a test does not care about set to work. */
void wdm_test_fully_specified(IO_CONNECT_INTERRUPT_PARAMETERS *p,
			      PDEVICE_OBJECT pdo, unsigned int virq,
			      PKINTERRUPT *out, PKSERVICE_ROUTINE isr,
			      PVOID context);
NTSTATUS wdm_test_disconnect(ULONG version, PVOID object);

#endif /* _WDM_TEST_H */
