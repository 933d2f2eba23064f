// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit fixtures: a private irq domain with a chip that accepts affinity
 * changes, firing its interrupts through the genirq core, and CPU-bound
 * worker threads for the concurrency cases.
 */
#include <linux/fs.h>
#include <linux/irq.h>
#include <linux/irq_work.h>
#include <linux/irqdomain.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "wdm_test.h"

/* The last affinity asked of each test interrupt, by hwirq. */
static unsigned long wdm_test_affinity[WDM_TEST_NR_IRQS];

static void wdm_test_chip_noop(struct irq_data *d)
{
}

static int wdm_test_chip_set_affinity(struct irq_data *d,
				      const struct cpumask *mask, bool force)
{
	if (irqd_to_hwirq(d) < WDM_TEST_NR_IRQS)
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

	if (!d || irqd_to_hwirq(d) >= WDM_TEST_NR_IRQS)
		return 0;
	return wdm_test_affinity[irqd_to_hwirq(d)];
}

int wdm_test_irqs_init(struct kunit *test, struct wdm_test_irqs *ti)
{
	unsigned int i, virq;

	ti->domain = irq_domain_create_linear(NULL, WDM_TEST_NR_IRQS,
					      &irq_domain_simple_ops, NULL);
	if (!ti->domain)
		return -ENOMEM;
	for (i = 0; i < WDM_TEST_NR_IRQS; i++) {
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

	for (i = 0; i < WDM_TEST_NR_IRQS; i++) {
		if (ti->virq[i])
			irq_dispose_mapping(ti->virq[i]);
		ti->virq[i] = 0;
	}
	if (ti->domain)
		irq_domain_remove(ti->domain);
	ti->domain = NULL;
}

struct wdm_test_fire_work {
	struct irq_work work;
	unsigned int virq;
};

static void wdm_test_fire_fn(struct irq_work *work)
{
	struct wdm_test_fire_work *f = container_of(work, struct wdm_test_fire_work, work);

	generic_handle_irq(f->virq);
}

/*
 * One interrupt, as a device would raise it: from hard-IRQ context (an
 * irq_work, a self-IPI on x86), through the genirq core's flow handler.
 */
void wdm_test_fire(unsigned int virq)
{
	struct wdm_test_fire_work f = {
		.work = IRQ_WORK_INIT_HARD(wdm_test_fire_fn),
		.virq = virq,
	};

	irq_work_queue(&f.work);
	irq_work_sync(&f.work);
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

MODULE_DESCRIPTION("KUnit tests for the wdm.ko WDM interrupt shim");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
