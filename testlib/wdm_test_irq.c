// SPDX-License-Identifier: GPL-2.0
/*
 * Real interrupts on demand: a private irq domain with a chip that accepts
 * affinity changes, whose interrupts are fired from hard-IRQ context through
 * the genirq core, and helpers to connect a shim ISR to them. Independent of
 * KUnit: compiled into wdm_kunit.ko and into the benchmark module
 * (bench/kmod/wdm_bench_irq.c).
 */
#include <linux/fs.h>
#include <linux/irq.h>
#include <linux/irq_work.h>
#include <linux/irqdomain.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>

#include "wdm_test_irq.h"

/* The last affinity asked of each test interrupt, by hwirq. */
static unsigned long wdm_test_affinity[WDM_TEST_MAX_IRQS];

static void wdm_test_chip_noop(struct irq_data *d)
{
}

static int wdm_test_chip_set_affinity(struct irq_data *d,
				      const struct cpumask *mask, bool force)
{
	if (irqd_to_hwirq(d) < WDM_TEST_MAX_IRQS)
		wdm_test_affinity[irqd_to_hwirq(d)] = cpumask_bits(mask)[0];
	irq_data_update_effective_affinity(d, mask);
	return IRQ_SET_MASK_OK;
}

static struct irq_chip wdm_test_chip = {
	.name = "wdm-test",
	.irq_mask = wdm_test_chip_noop,
	.irq_unmask = wdm_test_chip_noop,
	.irq_set_affinity = wdm_test_chip_set_affinity,
};

unsigned long wdm_test_chip_affinity(unsigned int virq)
{
	struct irq_data *d = irq_get_irq_data(virq);

	if (!d || irqd_to_hwirq(d) >= WDM_TEST_MAX_IRQS)
		return 0;
	return wdm_test_affinity[irqd_to_hwirq(d)];
}

/**
 * wdm_test_irqs_create() - a private irq domain with @nr interrupts
 * @ti: receives the domain and the Linux IRQ numbers of its interrupts
 * @nr: how many, 1..WDM_TEST_MAX_IRQS
 *
 * Each interrupt has the test chip and the simple flow handler, and can be
 * requested like any other IRQ.
 *
 * Context: process context; may sleep.
 * Return: 0, or a negative errno with nothing left behind.
 */
int wdm_test_irqs_create(struct wdm_test_irqs *ti, unsigned int nr)
{
	unsigned int i, virq;

	memset(ti, 0, sizeof(*ti));
	if (!nr || nr > WDM_TEST_MAX_IRQS)
		return -EINVAL;
	ti->domain = irq_domain_create_linear(NULL, nr, &irq_domain_simple_ops, NULL);
	if (!ti->domain)
		return -ENOMEM;
	ti->nr = nr;
	for (i = 0; i < nr; i++) {
		virq = irq_create_mapping(ti->domain, i);
		if (!virq) {
			wdm_test_irqs_exit(ti);
			return -ENOSPC;
		}
		irq_set_chip_and_handler(virq, &wdm_test_chip, handle_simple_irq);
		irq_clear_status_flags(virq, IRQ_NOREQUEST | IRQ_NOPROBE);
		/* Affinity changes reach the chip at once, not at the next IRQ. */
		irq_set_status_flags(virq, IRQ_MOVE_PCNTXT);
		ti->virq[i] = virq;
	}
	return 0;
}

void wdm_test_irqs_exit(struct wdm_test_irqs *ti)
{
	unsigned int i;

	for (i = 0; i < ti->nr; i++) {
		if (ti->virq[i]) {
			irq_set_nested_thread(ti->virq[i], false);
			irq_dispose_mapping(ti->virq[i]);
		}
		ti->virq[i] = 0;
	}
	if (ti->domain)
		irq_domain_remove(ti->domain);
	ti->domain = NULL;
}

struct wdm_test_fire_work {
	struct irq_work work;
	const unsigned int *virq;
	unsigned int nvirq;
	unsigned int count;
	u64 ns;
};

static void wdm_test_fire_fn(struct irq_work *work)
{
	struct wdm_test_fire_work *f = container_of(work, struct wdm_test_fire_work, work);
	unsigned int i, k = 0;
	u64 start = local_clock();

	for (i = 0; i < f->count; i++) {
		generic_handle_irq(f->virq[k]);
		if (++k == f->nvirq)
			k = 0;
	}
	f->ns = local_clock() - start;
}

/**
 * wdm_test_fire_many() - fire interrupts as a device would raise them
 * @virq: the Linux IRQ numbers to fire, in turn
 * @nvirq: how many there are (at least 1)
 * @count: interrupts to fire in all: virq[0], virq[1], ... round robin
 *
 * All @count interrupts are fired back to back from one hard-IRQ context
 * (an irq_work, a self-IPI on x86), each through the genirq core's flow
 * handler, as if the device had raised it: generic_handle_irq(). Where the
 * handlers are threaded (PREEMPT_RT, threadirqs) this wakes the threads and
 * returns before they run.
 *
 * Context: process context, with interrupts on; waits for the irq_work.
 * Return: nanoseconds (local_clock()) spent firing, timed inside the
 * hard-IRQ context.
 */
u64 wdm_test_fire_many(const unsigned int *virq, unsigned int nvirq,
		       unsigned int count)
{
	struct wdm_test_fire_work f = {
		.work = IRQ_WORK_INIT_HARD(wdm_test_fire_fn),
		.virq = virq,
		.nvirq = nvirq,
		.count = count,
	};

	irq_work_queue(&f.work);
	irq_work_sync(&f.work);
	return f.ns;
}

/* One interrupt, as a device would raise it; see wdm_test_fire_many(). */
void wdm_test_fire(unsigned int virq)
{
	wdm_test_fire_many(&virq, 1, 1);
}

void wdm_test_irq_set_nested(unsigned int virq, bool nested)
{
	irq_set_nested_thread(virq, nested);
}

void wdm_test_fire_nested(unsigned int virq)
{
	handle_nested_irq(virq);
}

int wdm_test_irq_unhandled(unsigned int virq)
{
	char path[40], buf[128], *p;
	struct file *f;
	loff_t pos = 0;
	unsigned int n;
	ssize_t len;

	snprintf(path, sizeof(path), "/proc/irq/%u/spurious", virq);
	f = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	len = kernel_read(f, buf, sizeof(buf) - 1, &pos);
	filp_close(f, NULL);
	if (len < 0)
		return len;
	buf[len] = '\0';
	p = strstr(buf, "unhandled ");
	if (!p || sscanf(p, "unhandled %u", &n) != 1)
		return -EINVAL;
	return n;
}

void wdm_test_fully_specified(IO_CONNECT_INTERRUPT_PARAMETERS *p,
			      PDEVICE_OBJECT pdo, unsigned int virq,
			      PKINTERRUPT *out, PKSERVICE_ROUTINE isr,
			      PVOID context)
{
	memset(p, 0, sizeof(*p));
	p->Version = CONNECT_FULLY_SPECIFIED;
	p->FullySpecified.PhysicalDeviceObject = pdo;
	p->FullySpecified.InterruptObject = out;
	p->FullySpecified.ServiceRoutine = isr;
	p->FullySpecified.ServiceContext = context;
	p->FullySpecified.Vector = virq;
	p->FullySpecified.Irql = WDM_DEVICE_IRQL;
	p->FullySpecified.SynchronizeIrql = WDM_DEVICE_IRQL;
	p->FullySpecified.InterruptMode = LevelSensitive;
	p->FullySpecified.ShareVector = TRUE;
	p->FullySpecified.ProcessorEnableMask = ~0UL;
}

NTSTATUS wdm_test_disconnect(ULONG version, PVOID object)
{
	IO_DISCONNECT_INTERRUPT_PARAMETERS d = {
		.Version = version,
		.ConnectionContext.Generic = object,
	};

	return IoDisconnectInterruptEx(&d);
}
