/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Real interrupts on demand, for the KUnit suites and the benchmarks: a
 * private irq domain whose interrupts are fired from hard-IRQ context through
 * the genirq core, and helpers to connect a shim ISR to one of them. Nothing
 * here depends on KUnit; kunit/wdm_test.h adds the KUnit wrappers.
 */
#ifndef _WDM_TEST_IRQ_H
#define _WDM_TEST_IRQ_H

#include <linux/types.h>
#include <wdm.h>

/* Most interrupts one domain can have. */
#define WDM_TEST_MAX_IRQS	64

/* A private irq domain whose interrupts are fired by hand. */
struct wdm_test_irqs {
	struct irq_domain *domain;
	unsigned int nr;
	unsigned int virq[WDM_TEST_MAX_IRQS];
};

int wdm_test_irqs_create(struct wdm_test_irqs *ti, unsigned int nr);
void wdm_test_irqs_exit(struct wdm_test_irqs *ti);
u64 wdm_test_fire_many(const unsigned int *virq, unsigned int nvirq,
		       unsigned int count);
void wdm_test_fire(unsigned int virq);
/*
 * Make a test interrupt nest into another thread, as one behind an I2C GPIO
 * expander does (before it is requested), and fire it the way such a
 * parent's thread does: handle_nested_irq(), in process context.
 */
void wdm_test_irq_set_nested(unsigned int virq, bool nested);
void wdm_test_fire_nested(unsigned int virq);
/* The affinity genirq last asked the test chip for, as a CPU bit mask. */
unsigned long wdm_test_chip_affinity(unsigned int virq);
/* genirq's own count of unhandled interrupts (/proc/irq/N/spurious). */
int wdm_test_irq_unhandled(unsigned int virq);

/* A connect with every field a caller does not care about set to work. */
void wdm_test_fully_specified(IO_CONNECT_INTERRUPT_PARAMETERS *p,
			      PDEVICE_OBJECT pdo, unsigned int virq,
			      PKINTERRUPT *out, PKSERVICE_ROUTINE isr,
			      PVOID context);
NTSTATUS wdm_test_disconnect(ULONG version, PVOID object);

#endif /* _WDM_TEST_IRQ_H */
