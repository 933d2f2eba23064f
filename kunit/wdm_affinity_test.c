// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: IoGetAffinityInterrupt and IoReportInterruptActive/Inactive.
 * The affinity is the ProcessorEnableMask of the connect (its online
 * processors), or every processor of group 0 by default. An inactive ISR is
 * not called; what an exclusive IRQ or a message raised meanwhile is
 * delivered once when it is reported active again; on a shared line only
 * the inactive ISR is skipped; reports are idempotent, disconnect works in
 * either state, and a report naming no connection is one reported bug.
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/pci.h>
#include <hw/edu.h>
#include <hw/ivshmem.h>

#include "../module/wdm/wdm_internal.h"
#include "wdm_test.h"

#define IVSHMEM_VECTORS		8		/* tests/cases/kunit.sh */

struct aff_ctx {
	struct wdm_test_irqs irqs;
	DEVICE_OBJECT pdo;
	PKINTERRUPT intr, intr2;
	atomic_t calls;
	atomic_t per_msg[IVSHMEM_VECTORS];
	/* two devices on one line: bit 0 device A, bit 1 device B */
	unsigned long status;
	int calls_of[2];		/* ISR calls of device A, B */
	/* the PCI devices, for the line- and message-based cases */
	struct pci_dev *edu, *ivshmem;
	void __iomem *iv_regs;
	DEVICE_OBJECT edu_pdo, iv_pdo;
	PIO_INTERRUPT_MESSAGE_INFO table;
};

static KSERVICE_ROUTINE aff_isr;

_Use_decl_annotations_
static BOOLEAN aff_isr(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
	struct aff_ctx *c = ServiceContext;

	atomic_inc(&c->calls);
	return TRUE;
}

/* Device @dev (0: A, 1: B) on the shared line: claim its status bit. */
static BOOLEAN aff_claim(struct aff_ctx *c, unsigned int dev)
{
	c->calls_of[dev]++;
	if (!(c->status & BIT(dev)))
		return FALSE;
	c->status &= ~BIT(dev);
	return TRUE;
}

static KSERVICE_ROUTINE aff_a_isr;

_Use_decl_annotations_
static BOOLEAN aff_a_isr(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
	return aff_claim(ServiceContext, 0);
}

static KSERVICE_ROUTINE aff_b_isr;

_Use_decl_annotations_
static BOOLEAN aff_b_isr(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
	return aff_claim(ServiceContext, 1);
}

static KMESSAGE_SERVICE_ROUTINE aff_msg_isr;

_Use_decl_annotations_
static BOOLEAN aff_msg_isr(PKINTERRUPT Interrupt, PVOID ServiceContext, ULONG MessageID)
{
	struct aff_ctx *c = ServiceContext;

	if (MessageID < IVSHMEM_VECTORS)
		atomic_inc(&c->per_msg[MessageID]);
	atomic_inc(&c->calls);
	return TRUE;
}

static int aff_init(struct kunit *test)
{
	struct aff_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	test->priv = c;
	wdm_init_device_object(&c->pdo, NULL);
	return wdm_test_irqs_init(test, &c->irqs);
}

static void aff_exit(struct kunit *test)
{
	struct aff_ctx *c = test->priv;

	if (c->iv_regs)
		pci_iounmap(c->ivshmem, c->iv_regs);
	if (c->ivshmem) {
		pci_disable_device(c->ivshmem);
		pci_dev_put(c->ivshmem);
	}
	if (c->edu) {
		pci_disable_device(c->edu);
		pci_dev_put(c->edu);
	}
	wdm_test_irqs_exit(&c->irqs);
}

/* An enabled PCI device, put by aff_exit(); skips the case without it. */
static void aff_pci_get(struct kunit *test, struct pci_dev **slot,
			unsigned int vendor, unsigned int device)
{
	*slot = pci_get_device(vendor, device, NULL);
	if (!*slot)
		kunit_skip(test, "no PCI device %04x:%04x", vendor, device);
	if (pci_enable_device(*slot)) {
		pci_dev_put(*slot);
		*slot = NULL;
		KUNIT_ASSERT_TRUE_MSG(test, false, "cannot enable %04x:%04x", vendor, device);
	}
	pci_set_master(*slot);
}

/* A fully specified connect of test interrupt 0 to aff_isr. */
static void aff_params(struct aff_ctx *c, IO_CONNECT_INTERRUPT_PARAMETERS *p, BOOLEAN share)
{
	wdm_test_fully_specified(p, &c->pdo, c->irqs.virq[0], &c->intr, aff_isr, c);
	p->FullySpecified.ShareVector = share;
}

static void report(ULONG version, PVOID context, bool active)
{
	IO_REPORT_INTERRUPT_ACTIVE_STATE_PARAMETERS r = {
		.Version = version,
		.ConnectionContext.Generic = context,
	};

	if (active)
		IoReportInterruptActive(&r);
	else
		IoReportInterruptInactive(&r);
}

/* Wait (up to 5 s) until the ISRs have been called @n times in all. */
static bool wait_calls(struct aff_ctx *c, int n)
{
	int i;

	for (i = 0; i < 5000 && atomic_read(&c->calls) < n; i++)
		usleep_range(1000, 2000);
	return atomic_read(&c->calls) == n;
}

/*
 * IoGetAffinityInterrupt
 */

static void expect_affinity(struct kunit *test, PKINTERRUPT intr, USHORT group, KAFFINITY mask)
{
	GROUP_AFFINITY ga;

	memset(&ga, 0xa5, sizeof(ga));
	KUNIT_ASSERT_EQ(test, IoGetAffinityInterrupt(intr, &ga), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, ga.Group, group);
	KUNIT_EXPECT_EQ(test, ga.Mask, mask);
	KUNIT_EXPECT_EQ(test, ga.Reserved[0], 0);
	KUNIT_EXPECT_EQ(test, ga.Reserved[1], 0);
	KUNIT_EXPECT_EQ(test, ga.Reserved[2], 0);
}

/*
 * The processors the ISR receives interrupts on: those of the
 * ProcessorEnableMask, in its group. With every bit set, the two the
 * guest has.
 */
static void wdm_affinity_is_processor_enable_mask(struct kunit *test)
{
	struct aff_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;

	KUNIT_ASSERT_EQ(test, num_online_cpus(), 2U);
	aff_params(c, &p, TRUE);
	p.FullySpecified.ProcessorEnableMask = BIT(1);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	expect_affinity(test, c->intr, 0, 0x2);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
			STATUS_SUCCESS);

	p.Version = CONNECT_FULLY_SPECIFIED_GROUP;
	p.FullySpecified.Group = 0;
	p.FullySpecified.ProcessorEnableMask = BIT(0);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	expect_affinity(test, c->intr, 0, 0x1);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED_GROUP, c->intr),
			STATUS_SUCCESS);

	/* IoConnectInterrupt() with KeQueryActiveProcessors(), as drivers call it. */
	KUNIT_ASSERT_EQ(test, IoConnectInterrupt(&c->intr, aff_isr, c, NULL, c->irqs.virq[0],
						 WDM_DEVICE_IRQL, WDM_DEVICE_IRQL, Latched,
						 FALSE, KeQueryActiveProcessors(), FALSE),
			STATUS_SUCCESS);
	expect_affinity(test, c->intr, 0, 0x3);
	IoDisconnectInterrupt(c->intr);

	/* Bits for processors the machine does not have are not reported. */
	p.Version = CONNECT_FULLY_SPECIFIED;
	p.FullySpecified.ProcessorEnableMask = ~0UL;
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	expect_affinity(test, c->intr, 0, 0x3);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
			STATUS_SUCCESS);
}

static KSERVICE_ROUTINE aff_line_isr;

_Use_decl_annotations_
static BOOLEAN aff_line_isr(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
	return FALSE;
}

/*
 * Without a mask (line- and message-based), "by default" every processor
 * of group 0: the edu's line and each of ivshmem's eight MSI-X messages.
 */
static void wdm_affinity_default_is_group_0(struct kunit *test)
{
	struct aff_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	PKINTERRUPT line = NULL;
	ULONG i;

	KUNIT_ASSERT_EQ(test, num_online_cpus(), 2U);
	aff_pci_get(test, &c->edu, EDU_VENDOR_ID, EDU_DEVICE_ID);
	wdm_init_device_object(&c->edu_pdo, c->edu);
	memset(&p, 0, sizeof(p));
	p.Version = CONNECT_LINE_BASED;
	p.LineBased.PhysicalDeviceObject = &c->edu_pdo;
	p.LineBased.InterruptObject = &line;
	p.LineBased.ServiceRoutine = aff_line_isr;
	p.LineBased.SynchronizeIrql = PASSIVE_LEVEL;
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	expect_affinity(test, line, 0, 0x3);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_LINE_BASED, line), STATUS_SUCCESS);

	aff_pci_get(test, &c->ivshmem, IVSHMEM_VENDOR_ID, IVSHMEM_DEVICE_ID);
	wdm_init_device_object(&c->iv_pdo, c->ivshmem);
	memset(&p, 0, sizeof(p));
	p.Version = CONNECT_MESSAGE_BASED;
	p.MessageBased.PhysicalDeviceObject = &c->iv_pdo;
	p.MessageBased.ConnectionContext.InterruptMessageTable = &c->table;
	p.MessageBased.MessageServiceRoutine = aff_msg_isr;
	p.MessageBased.ServiceContext = c;
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, c->table->MessageCount, (ULONG)IVSHMEM_VECTORS);
	for (i = 0; i < c->table->MessageCount; i++)
		expect_affinity(test, c->table->MessageInfo[i].InterruptObject, 0, 0x3);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_MESSAGE_BASED, c->table),
			STATUS_SUCCESS);
}

/* Microsoft's one error: not a valid interrupt object. */
static void wdm_affinity_bad_input(struct kunit *test)
{
	struct aff_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	GROUP_AFFINITY ga = { .Mask = 0x55, .Group = 7 };
	u32 *not_an_object = kunit_kzalloc(test, 256, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, not_an_object);
	KUNIT_EXPECT_EQ(test, IoGetAffinityInterrupt(NULL, &ga), STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, IoGetAffinityInterrupt((PKINTERRUPT)not_an_object, &ga),
			STATUS_INVALID_PARAMETER);
	/* Nothing was written. */
	KUNIT_EXPECT_EQ(test, ga.Mask, 0x55UL);
	KUNIT_EXPECT_EQ(test, ga.Group, 7);

	aff_params(c, &p, TRUE);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, IoGetAffinityInterrupt(c->intr, NULL), STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
			STATUS_SUCCESS);
}

/*
 * IoReportInterruptActive / IoReportInterruptInactive
 */

/*
 * An exclusive line: while inactive the ISR is not called, and genirq
 * keeps the interrupt (it does not count it as unhandled); reported
 * active, it is delivered exactly once.
 */
static void wdm_inactive_holds_interrupt_until_active(struct kunit *test)
{
	struct aff_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	unsigned long bugs = wdm_bugs_reported();

	aff_params(c, &p, FALSE);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	/* Active from the connect on. */
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 1);

	report(CONNECT_FULLY_SPECIFIED, c->intr, false);
	wdm_test_fire(c->irqs.virq[0]);
	msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 1);
	KUNIT_EXPECT_EQ(test, wdm_test_irq_unhandled(c->irqs.virq[0]), 0);

	report(CONNECT_FULLY_SPECIFIED, c->intr, true);
	KUNIT_EXPECT_TRUE(test, wait_calls(c, 2));
	msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 2);
	/* And the line works as before. */
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 3);
	KUNIT_EXPECT_EQ(test, wdm_test_irq_unhandled(c->irqs.virq[0]), 0);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 0UL);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
			STATUS_SUCCESS);
}

/*
 * A repeated report "has no effect, but is not treated as an error": two
 * inactive reports (one at DISPATCH_LEVEL, which Microsoft allows), then
 * one active report is enough; active reports while active change nothing.
 */
static void wdm_inactive_twice_active_once(struct kunit *test)
{
	struct aff_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	unsigned long bugs = wdm_bugs_reported();
	KIRQL old;

	aff_params(c, &p, FALSE);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	report(CONNECT_FULLY_SPECIFIED, c->intr, true);
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 1);

	report(CONNECT_FULLY_SPECIFIED, c->intr, false);
	KeRaiseIrql(DISPATCH_LEVEL, &old);
	report(CONNECT_FULLY_SPECIFIED, c->intr, false);
	KeLowerIrql(old);
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 1);

	report(CONNECT_FULLY_SPECIFIED, c->intr, true);
	KUNIT_EXPECT_TRUE(test, wait_calls(c, 2));
	KeRaiseIrql(DISPATCH_LEVEL, &old);
	report(CONNECT_FULLY_SPECIFIED, c->intr, true);
	KeLowerIrql(old);
	report(CONNECT_FULLY_SPECIFIED, c->intr, true);
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 3);
	/* A second pair works the same: the disable depth went back to 0. */
	report(CONNECT_FULLY_SPECIFIED, c->intr, false);
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 3);
	report(CONNECT_FULLY_SPECIFIED, c->intr, true);
	KUNIT_EXPECT_TRUE(test, wait_calls(c, 4));
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 0UL);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
			STATUS_SUCCESS);
}

/*
 * A shared line stays enabled: the other device's ISR is still called,
 * the inactive one is skipped, and nothing is replayed to it later (on
 * Windows its device's interrupt is simply not acknowledged).
 */
static void wdm_inactive_on_shared_line_skips_only_that_isr(struct kunit *test)
{
	struct aff_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;

	wdm_test_fully_specified(&p, &c->pdo, c->irqs.virq[0], &c->intr, aff_a_isr, c);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	wdm_test_fully_specified(&p, &c->pdo, c->irqs.virq[0], &c->intr2, aff_b_isr, c);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);

	report(CONNECT_FULLY_SPECIFIED, c->intr, false);
	c->status = BIT(1);
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, c->calls_of[0], 0);
	KUNIT_EXPECT_EQ(test, c->calls_of[1], 1);
	KUNIT_EXPECT_EQ(test, c->status, 0UL);

	report(CONNECT_FULLY_SPECIFIED, c->intr, true);
	msleep(20);
	KUNIT_EXPECT_EQ(test, c->calls_of[0], 0);
	c->status = BIT(0);
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, c->calls_of[0], 1);
	KUNIT_EXPECT_EQ(test, c->calls_of[1], 2);
	KUNIT_EXPECT_EQ(test, c->status, 0UL);
	KUNIT_EXPECT_EQ(test, wdm_test_irq_unhandled(c->irqs.virq[0]), 0);

	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr2),
			STATUS_SUCCESS);
}

/*
 * "IoDisconnectInterruptEx regardless of whether the ISR is currently
 * active or inactive": the line is left as a fresh one, so the next
 * connect is active and its ISR called once per interrupt.
 */
static void wdm_disconnect_while_inactive(struct kunit *test)
{
	struct aff_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;

	aff_params(c, &p, FALSE);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	report(CONNECT_FULLY_SPECIFIED, c->intr, false);
	report(CONNECT_FULLY_SPECIFIED, c->intr, false);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
			STATUS_SUCCESS);

	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 1);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
			STATUS_SUCCESS);

	/* The same on a shared line, which was never disabled. */
	aff_params(c, &p, TRUE);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	report(CONNECT_FULLY_SPECIFIED, c->intr, false);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
			STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 2);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
			STATUS_SUCCESS);
}

/*
 * A passive-level ISR on a nested line (behind I2C or SPI) is skipped
 * while inactive; the line is not disabled, so nothing is held.
 */
static void wdm_inactive_passive_isr_not_called(struct kunit *test)
{
	struct aff_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;

	wdm_test_irq_set_nested(c->irqs.virq[0], true);
	aff_params(c, &p, FALSE);
	p.FullySpecified.Irql = PASSIVE_LEVEL;
	p.FullySpecified.SynchronizeIrql = PASSIVE_LEVEL;
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	wdm_test_fire_nested(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 1);

	report(CONNECT_FULLY_SPECIFIED, c->intr, false);
	wdm_test_fire_nested(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 1);
	report(CONNECT_FULLY_SPECIFIED, c->intr, true);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 1);
	wdm_test_fire_nested(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 2);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
			STATUS_SUCCESS);
}

static void ring_self(struct aff_ctx *c, unsigned int vector)
{
	u32 self = ioread32(c->iv_regs + IVSHMEM_REG_IV_POSITION);

	iowrite32(IVSHMEM_DOORBELL(self, vector), c->iv_regs + IVSHMEM_REG_DOORBELL);
}

/*
 * CONNECT_MESSAGE_BASED: the report names the message table and covers
 * every message. Two messages rung while inactive reach the ISR once each,
 * with their MessageIDs, when the table is reported active.
 */
static void wdm_inactive_message_table_holds_messages(struct kunit *test)
{
	struct aff_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;

	aff_pci_get(test, &c->ivshmem, IVSHMEM_VENDOR_ID, IVSHMEM_DEVICE_ID);
	wdm_init_device_object(&c->iv_pdo, c->ivshmem);
	c->iv_regs = pci_iomap(c->ivshmem, 0, 0);
	KUNIT_ASSERT_NOT_NULL(test, c->iv_regs);
	memset(&p, 0, sizeof(p));
	p.Version = CONNECT_MESSAGE_BASED;
	p.MessageBased.PhysicalDeviceObject = &c->iv_pdo;
	p.MessageBased.ConnectionContext.InterruptMessageTable = &c->table;
	p.MessageBased.MessageServiceRoutine = aff_msg_isr;
	p.MessageBased.ServiceContext = c;
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, c->table->MessageCount, (ULONG)IVSHMEM_VECTORS);

	report(CONNECT_MESSAGE_BASED, c->table, false);
	ring_self(c, 0);
	ring_self(c, 5);
	msleep(50);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 0);

	report(CONNECT_MESSAGE_BASED, c->table, true);
	KUNIT_EXPECT_TRUE(test, wait_calls(c, 2));
	msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->per_msg[0]), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->per_msg[5]), 1);

	/* Disconnected while inactive, with a message held. */
	report(CONNECT_MESSAGE_BASED, c->table, false);
	ring_self(c, 3);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_MESSAGE_BASED, c->table),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->per_msg[3]), 0);
}

/*
 * Windows returns nothing and checks little: a Version or context that
 * names no connection is one reported driver bug each, and the connection
 * keeps its state. So is a call above DISPATCH_LEVEL.
 */
static void wdm_report_bad_input_is_a_bug(struct kunit *test)
{
	struct aff_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	unsigned long bugs = wdm_bugs_reported();
	u32 *not_an_object = kunit_kzalloc(test, 256, GFP_KERNEL);
	KIRQL old;

	KUNIT_ASSERT_NOT_NULL(test, not_an_object);
	aff_params(c, &p, FALSE);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);

	IoReportInterruptInactive(NULL);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 1UL);
	report(CONNECT_FULLY_SPECIFIED, NULL, false);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 2UL);
	report(0, c->intr, false);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 3UL);
	report(CONNECT_CURRENT_VERSION + 1, c->intr, false);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 4UL);
	/* Connected CONNECT_FULLY_SPECIFIED, reported as another Version. */
	report(CONNECT_LINE_BASED, c->intr, false);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 5UL);
	report(CONNECT_MESSAGE_BASED, c->intr, false);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 6UL);
	report(CONNECT_FULLY_SPECIFIED, not_an_object, false);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 7UL);
	KeRaiseIrql(WDM_DEVICE_IRQL, &old);
	report(CONNECT_FULLY_SPECIFIED, c->intr, false);
	KeLowerIrql(old);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 8UL);
	/* None of them made it inactive. */
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 1);

	/* Nor active again: a bad active report leaves it inactive. */
	report(CONNECT_FULLY_SPECIFIED, c->intr, false);
	IoReportInterruptActive(NULL);
	report(CONNECT_LINE_BASED, c->intr, true);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 10UL);
	wdm_test_fire(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 1);
	report(CONNECT_FULLY_SPECIFIED, c->intr, true);
	KUNIT_EXPECT_TRUE(test, wait_calls(c, 2));
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr),
			STATUS_SUCCESS);
}

static struct kunit_case wdm_affinity_cases[] = {
	KUNIT_CASE(wdm_affinity_is_processor_enable_mask),
	KUNIT_CASE(wdm_affinity_default_is_group_0),
	KUNIT_CASE(wdm_affinity_bad_input),
	KUNIT_CASE(wdm_inactive_holds_interrupt_until_active),
	KUNIT_CASE(wdm_inactive_twice_active_once),
	KUNIT_CASE(wdm_inactive_on_shared_line_skips_only_that_isr),
	KUNIT_CASE(wdm_disconnect_while_inactive),
	KUNIT_CASE(wdm_inactive_passive_isr_not_called),
	KUNIT_CASE(wdm_inactive_message_table_holds_messages),
	KUNIT_CASE(wdm_report_bad_input_is_a_bug),
	{}
};

static struct kunit_suite wdm_affinity_suite = {
	.name = "wdm_affinity",
	.init = aff_init,
	.exit = aff_exit,
	.test_cases = wdm_affinity_cases,
};

kunit_test_suite(wdm_affinity_suite);
