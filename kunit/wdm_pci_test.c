// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: connections that need a real PCI device, run in the QEMU guest
 * that carries an edu device (INTx, MSI) and an ivshmem-doorbell (MSI-X,
 * eight vectors, served by the project's device process). Message-based
 * connects fill IO_INTERRUPT_MESSAGE_INFO from the real MSI descriptors,
 * MessageID tells the vectors apart, no messages fall back to the line.
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/hardirq.h>
#include <linux/io.h>
#include <linux/irq.h>
#include <linux/msi.h>
#include <linux/pci.h>
#include <hw/edu.h>
#include <hw/ivshmem.h>

#include "../module/wdm/wdm_internal.h"
#include "wdm_test.h"

#define IVSHMEM_VECTORS		8

struct pci_ctx {
	struct pci_dev *edu, *ivshmem;
	void __iomem *edu_regs, *iv_regs;
	DEVICE_OBJECT edu_pdo, iv_pdo;
	PIO_INTERRUPT_MESSAGE_INFO table;
	PKINTERRUPT line;
	atomic_t calls;
	atomic_t per_msg[IVSHMEM_VECTORS];
	bool hardirq, slept;
	KIRQL irql;
};

static struct pci_ctx *pci_ctx_of(struct kunit *test)
{
	return test->priv;
}

static struct pci_dev *pci_ctx_get(struct kunit *test, unsigned int vendor,
				   unsigned int device, void __iomem **regs)
{
	struct pci_dev *pdev = pci_get_device(vendor, device, NULL);

	if (!pdev)
		return NULL;
	if (pci_enable_device(pdev)) {
		pci_dev_put(pdev);
		return NULL;
	}
	pci_set_master(pdev);
	*regs = pci_iomap(pdev, 0, 0);
	return pdev;
}

static void pci_ctx_put(struct pci_dev *pdev, void __iomem *regs)
{
	if (!pdev)
		return;
	if (regs)
		pci_iounmap(pdev, regs);
	pci_disable_device(pdev);
	pci_dev_put(pdev);
}

static int pci_init(struct kunit *test)
{
	struct pci_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	test->priv = c;
	c->edu = pci_ctx_get(test, EDU_VENDOR_ID, EDU_DEVICE_ID, &c->edu_regs);
	c->ivshmem = pci_ctx_get(test, IVSHMEM_VENDOR_ID, IVSHMEM_DEVICE_ID, &c->iv_regs);
	wdm_init_device_object(&c->edu_pdo, c->edu);
	wdm_init_device_object(&c->iv_pdo, c->ivshmem);
	return 0;
}

static void pci_exit(struct kunit *test)
{
	struct pci_ctx *c = pci_ctx_of(test);

	pci_ctx_put(c->edu, c->edu_regs);
	pci_ctx_put(c->ivshmem, c->iv_regs);
}

/*
 * Without the devices there is nothing to test: skip. tests/kunit-run.sh
 * boots a guest that has both and counts a skip there as a failure.
 */
static void need_devices(struct kunit *test)
{
	struct pci_ctx *c = pci_ctx_of(test);

	if (!c->edu || !c->edu_regs)
		kunit_skip(test, "no edu device (1234:11e8)");
	if (!c->ivshmem || !c->iv_regs)
		kunit_skip(test, "no ivshmem-doorbell (1af4:1110)");
}

static bool wait_calls(struct pci_ctx *c, int n)
{
	int i;

	for (i = 0; i < 5000 && atomic_read(&c->calls) < n; i++)
		usleep_range(1000, 2000);
	return atomic_read(&c->calls) == n;
}

static KMESSAGE_SERVICE_ROUTINE iv_isr;

_Use_decl_annotations_
static BOOLEAN iv_isr(struct _KINTERRUPT *Interrupt, PVOID ServiceContext,
		      ULONG MessageID)
{
	struct pci_ctx *c = ServiceContext;

	if (MessageID < IVSHMEM_VECTORS)
		atomic_inc(&c->per_msg[MessageID]);
	c->hardirq = in_hardirq();
	c->irql = KeGetCurrentIrql();
	atomic_inc(&c->calls);
	return TRUE;
}

static KMESSAGE_SERVICE_ROUTINE iv_passive_isr;

_Use_decl_annotations_
static BOOLEAN iv_passive_isr(struct _KINTERRUPT *Interrupt, PVOID ServiceContext,
			      ULONG MessageID)
{
	struct pci_ctx *c = ServiceContext;

	usleep_range(1000, 2000);
	c->slept = true;
	return iv_isr(Interrupt, ServiceContext, MessageID);
}

/* edu: read the status, acknowledge it; 0 means not ours. */
static bool edu_service(struct pci_ctx *c)
{
	u32 status = ioread32(c->edu_regs + EDU_REG_IRQ_STATUS);

	if (!status)
		return false;
	iowrite32(status, c->edu_regs + EDU_REG_IRQ_ACK);
	atomic_inc(&c->calls);
	return true;
}

static KMESSAGE_SERVICE_ROUTINE edu_msg_isr;

_Use_decl_annotations_
static BOOLEAN edu_msg_isr(struct _KINTERRUPT *Interrupt, PVOID ServiceContext,
			   ULONG MessageID)
{
	struct pci_ctx *c = ServiceContext;

	if (MessageID < IVSHMEM_VECTORS)
		atomic_inc(&c->per_msg[MessageID]);
	return edu_service(c);
}

static KSERVICE_ROUTINE edu_line_isr;

_Use_decl_annotations_
static BOOLEAN edu_line_isr(struct _KINTERRUPT *Interrupt, PVOID ServiceContext)
{
	struct pci_ctx *c = ServiceContext;

	c->hardirq = in_hardirq();
	c->irql = KeGetCurrentIrql();
	return edu_service(c);
}

static void msg_params(IO_CONNECT_INTERRUPT_PARAMETERS *p, ULONG version,
		       PDEVICE_OBJECT pdo, PIO_INTERRUPT_MESSAGE_INFO *table,
		       PKMESSAGE_SERVICE_ROUTINE isr, PVOID context)
{
	memset(p, 0, sizeof(*p));
	p->Version = version;
	p->MessageBased.PhysicalDeviceObject = pdo;
	p->MessageBased.ConnectionContext.InterruptMessageTable = table;
	p->MessageBased.MessageServiceRoutine = isr;
	p->MessageBased.ServiceContext = context;
}

/* The edu's line, as Microsoft's sample connects one: SynchronizeIrql 0. */
static void line_params(IO_CONNECT_INTERRUPT_PARAMETERS *p, struct pci_ctx *c,
			PDEVICE_OBJECT pdo)
{
	memset(p, 0, sizeof(*p));
	p->Version = CONNECT_LINE_BASED;
	p->LineBased.PhysicalDeviceObject = pdo;
	p->LineBased.InterruptObject = &c->line;
	p->LineBased.ServiceRoutine = edu_line_isr;
	p->LineBased.ServiceContext = c;
	p->LineBased.SynchronizeIrql = PASSIVE_LEVEL;
}

static void ring_self(struct pci_ctx *c, unsigned int vector)
{
	u32 self = ioread32(c->iv_regs + IVSHMEM_REG_IV_POSITION);

	iowrite32(IVSHMEM_DOORBELL(self, vector), c->iv_regs + IVSHMEM_REG_DOORBELL);
}

static void wdm_msix_table_from_descriptors(struct kunit *test)
{
	struct pci_ctx *c = pci_ctx_of(test);
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	IO_INTERRUPT_MESSAGE_INFO_ENTRY *e;
	struct msi_desc *desc;
	unsigned int i;

	need_devices(test);
	msg_params(&p, CONNECT_MESSAGE_BASED, &c->iv_pdo, &c->table, iv_isr, c);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, p.Version, (ULONG)CONNECT_MESSAGE_BASED);
	KUNIT_EXPECT_TRUE(test, c->ivshmem->msix_enabled);
	KUNIT_ASSERT_EQ(test, c->table->MessageCount, (ULONG)IVSHMEM_VECTORS);
	KUNIT_EXPECT_EQ(test, c->table->UnifiedIrql, (KIRQL)WDM_DEVICE_IRQL);
	for (i = 0; i < IVSHMEM_VECTORS; i++) {
		e = &c->table->MessageInfo[i];
		desc = irq_get_msi_desc(pci_irq_vector(c->ivshmem, i));
		KUNIT_ASSERT_NOT_NULL(test, desc);
		KUNIT_EXPECT_EQ(test, e->Vector, (ULONG)pci_irq_vector(c->ivshmem, i));
		KUNIT_EXPECT_EQ(test, e->MessageData, desc->msg.data);
		KUNIT_EXPECT_EQ(test, e->MessageAddress.LowPart, desc->msg.address_lo);
		KUNIT_EXPECT_EQ(test, (u32)e->MessageAddress.HighPart, desc->msg.address_hi);
		/* x86: every MSI goes to the local APIC window. */
		KUNIT_EXPECT_EQ(test, e->MessageAddress.LowPart >> 20, 0xfeeU);
		KUNIT_EXPECT_EQ(test, e->Mode, Latched);
		KUNIT_EXPECT_EQ(test, e->Irql, (KIRQL)WDM_DEVICE_IRQL);
		KUNIT_EXPECT_NE(test, e->TargetProcessorSet, 0UL);
		KUNIT_EXPECT_EQ(test, e->TargetProcessorSet & ~cpumask_bits(cpu_online_mask)[0],
				0UL);
		KUNIT_ASSERT_TRUE(test, wdm_interrupt_valid(e->InterruptObject));
		/* No SpinLock given: each message has a lock of its own. */
		KUNIT_EXPECT_PTR_EQ(test, e->InterruptObject->lock,
				    &e->InterruptObject->own_lock);
		KUNIT_EXPECT_EQ(test, e->InterruptObject->message_id, (ULONG)i);
	}
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_MESSAGE_BASED, c->table),
			STATUS_SUCCESS);
	KUNIT_EXPECT_FALSE(test, c->ivshmem->msix_enabled);
	/* A second disconnect is refused without reading the freed table. */
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_MESSAGE_BASED, c->table),
			STATUS_INVALID_PARAMETER);
}

static void wdm_message_id_tells_vectors_apart(struct kunit *test)
{
	struct pci_ctx *c = pci_ctx_of(test);
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	unsigned int k;

	need_devices(test);
	msg_params(&p, CONNECT_MESSAGE_BASED, &c->iv_pdo, &c->table, iv_isr, c);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	for (k = 0; k < IVSHMEM_VECTORS; k++) {
		ring_self(c, k);
		KUNIT_EXPECT_TRUE(test, wait_calls(c, k + 1));
		KUNIT_EXPECT_EQ(test, atomic_read(&c->per_msg[k]), 1);
	}
	KUNIT_EXPECT_TRUE(test, c->hardirq);
	KUNIT_EXPECT_EQ(test, c->irql, (KIRQL)WDM_DEVICE_IRQL);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_MESSAGE_BASED, c->table),
			STATUS_SUCCESS);
	/* Disconnected: a doorbell reaches nobody. */
	ring_self(c, 0);
	msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), IVSHMEM_VECTORS);
}

/*
 * Message 0's interrupt spin lock is held on one CPU while message 1 is
 * raised on the other, the CPU it is delivered to. Without a SpinLock each
 * message has its own lock and its ISR runs at once; with one, it waits for
 * the lock until the holder lets go, after looking for it for 1 s.
 */
struct msg_hold {
	struct pci_ctx *c;
	PKINTERRUPT held_intr;
	bool held, rung;	/* rung: no more waiting for the ring */
	int calls_while_held;
};

static void msg_hold_lock(void *arg)
{
	struct msg_hold *h = arg;
	ktime_t end;
	KIRQL old;

	old = KeAcquireInterruptSpinLock(h->held_intr);
	WRITE_ONCE(h->held, true);
	if (wdm_test_spin_until(&h->rung)) {
		end = ktime_add_ms(ktime_get(), 1000);
		while (!atomic_read(&h->c->calls) && ktime_before(ktime_get(), end))
			cpu_relax();
	}
	h->calls_while_held = atomic_read(&h->c->calls);
	KeReleaseInterruptSpinLock(h->held_intr, old);
}

static void msg_raise_beside(void *arg)
{
	struct msg_hold *h = arg;

	if (wdm_test_spin_until(&h->held))
		ring_self(h->c, 1);
	WRITE_ONCE(h->rung, true);
}

static void run_messages_beside(struct kunit *test, PKSPIN_LOCK lock)
{
	struct pci_ctx *c = pci_ctx_of(test);
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	struct msg_hold h = { .c = c };
	struct irq_data *d;
	unsigned int target;
	ULONG i;

	need_devices(test);
	if (!cpu_online(1))
		kunit_skip(test, "needs CPUs 0 and 1");
	msg_params(&p, CONNECT_MESSAGE_BASED, &c->iv_pdo, &c->table, iv_isr, c);
	p.MessageBased.SpinLock = lock;
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	for (i = 0; i < c->table->MessageCount; i++)
		KUNIT_EXPECT_PTR_EQ(test, c->table->MessageInfo[i].InterruptObject->lock,
				    lock ? &lock->rlock :
				    &c->table->MessageInfo[i].InterruptObject->own_lock);
	/*
	 * The lock is held on the CPU message 1 is not delivered to (x86
	 * delivers a message to one CPU of its affinity).
	 */
	d = irq_get_irq_data(pci_irq_vector(c->ivshmem, 1));
	KUNIT_ASSERT_NOT_NULL(test, d);
	target = cpumask_first(irq_data_get_effective_affinity_mask(d));
	KUNIT_ASSERT_LE(test, target, 1U);
	h.held_intr = c->table->MessageInfo[0].InterruptObject;
	if (target == 1)
		wdm_test_on_two_cpus(test, msg_hold_lock, msg_raise_beside, &h, &h.rung);
	else
		wdm_test_on_two_cpus(test, msg_raise_beside, msg_hold_lock, &h, &h.rung);
	KUNIT_EXPECT_EQ(test, h.calls_while_held, lock ? 0 : 1);
	/* Released, the interrupt that waited is delivered: exactly one call. */
	KUNIT_EXPECT_TRUE(test, wait_calls(c, 1));
	KUNIT_EXPECT_EQ(test, atomic_read(&c->per_msg[1]), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->per_msg[0]), 0);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_MESSAGE_BASED, c->table),
			STATUS_SUCCESS);
}

static void wdm_messages_have_own_locks(struct kunit *test)
{
	run_messages_beside(test, NULL);
}

static void wdm_message_spinlock_serializes_all(struct kunit *test)
{
	KSPIN_LOCK lock;

	KeInitializeSpinLock(&lock);
	run_messages_beside(test, &lock);
}

static void wdm_message_limit_is_honoured(struct kunit *test)
{
	struct pci_ctx *c = pci_ctx_of(test);
	IO_CONNECT_INTERRUPT_PARAMETERS p;

	need_devices(test);
	c->iv_pdo.MessageNumberLimit = 2;
	msg_params(&p, CONNECT_MESSAGE_BASED, &c->iv_pdo, &c->table, iv_isr, c);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, c->table->MessageCount, 2U);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_MESSAGE_BASED, c->table),
			STATUS_SUCCESS);
}

static void wdm_msi_when_no_msix(struct kunit *test)
{
	struct pci_ctx *c = pci_ctx_of(test);
	IO_CONNECT_INTERRUPT_PARAMETERS p;

	need_devices(test);
	msg_params(&p, CONNECT_MESSAGE_BASED, &c->edu_pdo, &c->table, edu_msg_isr, c);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	KUNIT_EXPECT_TRUE(test, c->edu->msi_enabled);
	KUNIT_EXPECT_FALSE(test, c->edu->msix_enabled);
	KUNIT_ASSERT_EQ(test, c->table->MessageCount, 1U);
	iowrite32(0x5, c->edu_regs + EDU_REG_IRQ_RAISE);
	KUNIT_EXPECT_TRUE(test, wait_calls(c, 1));
	KUNIT_EXPECT_EQ(test, atomic_read(&c->per_msg[0]), 1);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_MESSAGE_BASED, c->table),
			STATUS_SUCCESS);
	KUNIT_EXPECT_FALSE(test, c->edu->msi_enabled);
}

static void wdm_no_messages_falls_back_to_line(struct kunit *test)
{
	struct pci_ctx *c = pci_ctx_of(test);
	IO_CONNECT_INTERRUPT_PARAMETERS p;

	need_devices(test);
	c->edu_pdo.MessageTypes = 0;
	msg_params(&p, CONNECT_MESSAGE_BASED, &c->edu_pdo, &c->table, edu_msg_isr, c);
	p.MessageBased.FallBackServiceRoutine = edu_line_isr;
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, p.Version, (ULONG)CONNECT_LINE_BASED);
	c->line = (PKINTERRUPT)c->table;
	KUNIT_ASSERT_TRUE(test, wdm_interrupt_valid(c->line));
	KUNIT_EXPECT_EQ(test, c->line->irq, c->edu->irq);
	KUNIT_EXPECT_FALSE(test, c->edu->msi_enabled);
	iowrite32(0x1, c->edu_regs + EDU_REG_IRQ_RAISE);
	KUNIT_EXPECT_TRUE(test, wait_calls(c, 1));
	/* The message ISR was never called. */
	KUNIT_EXPECT_EQ(test, atomic_read(&c->per_msg[0]), 0);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_LINE_BASED, c->line),
			STATUS_SUCCESS);
}

static void wdm_no_messages_no_fallback_refused(struct kunit *test)
{
	struct pci_ctx *c = pci_ctx_of(test);
	IO_CONNECT_INTERRUPT_PARAMETERS p;

	need_devices(test);
	c->edu_pdo.MessageTypes = 0;
	msg_params(&p, CONNECT_MESSAGE_BASED, &c->edu_pdo, &c->table, edu_msg_isr, c);
	KUNIT_EXPECT_EQ(test, IoConnectInterruptEx(&p), STATUS_INVALID_DEVICE_REQUEST);
	KUNIT_EXPECT_EQ(test, p.Version, (ULONG)CONNECT_MESSAGE_BASED);
	KUNIT_EXPECT_NULL(test, c->table);
	/* edu has no MSI-X either. */
	c->edu_pdo.MessageTypes = WDM_MESSAGE_MSIX;
	KUNIT_EXPECT_EQ(test, IoConnectInterruptEx(&p), STATUS_INVALID_DEVICE_REQUEST);
	KUNIT_EXPECT_FALSE(test, c->edu->msi_enabled);
}

/*
 * SynchronizeIrql of a message-based connection is a minimum: below the
 * messages' IRQL it changes nothing; a higher one becomes the UnifiedIrql
 * the ISR runs at.
 */
static void wdm_message_sync_irql_is_a_minimum(struct kunit *test)
{
	struct pci_ctx *c = pci_ctx_of(test);
	IO_CONNECT_INTERRUPT_PARAMETERS p;

	need_devices(test);
	msg_params(&p, CONNECT_MESSAGE_BASED, &c->iv_pdo, &c->table, iv_isr, c);
	p.MessageBased.SynchronizeIrql = DISPATCH_LEVEL;
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, c->table->UnifiedIrql, (KIRQL)WDM_DEVICE_IRQL);
	ring_self(c, 1);
	KUNIT_EXPECT_TRUE(test, wait_calls(c, 1));
	KUNIT_EXPECT_EQ(test, c->irql, (KIRQL)WDM_DEVICE_IRQL);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_MESSAGE_BASED, c->table),
			STATUS_SUCCESS);

	msg_params(&p, CONNECT_MESSAGE_BASED, &c->iv_pdo, &c->table, iv_isr, c);
	p.MessageBased.SynchronizeIrql = CLOCK_LEVEL;
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, c->table->UnifiedIrql, (KIRQL)CLOCK_LEVEL);
	ring_self(c, 2);
	KUNIT_EXPECT_TRUE(test, wait_calls(c, 2));
	KUNIT_EXPECT_EQ(test, c->irql, (KIRQL)CLOCK_LEVEL);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_MESSAGE_BASED, c->table),
			STATUS_SUCCESS);
}

static void wdm_message_based_rejects_bad_input(struct kunit *test)
{
	struct pci_ctx *c = pci_ctx_of(test);
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	KSPIN_LOCK lock;

	need_devices(test);
	KeInitializeSpinLock(&lock);
	msg_params(&p, CONNECT_MESSAGE_BASED, &c->iv_pdo, NULL, iv_isr, c);
	KUNIT_EXPECT_EQ(test, IoConnectInterruptEx(&p), STATUS_INVALID_PARAMETER);
	msg_params(&p, CONNECT_MESSAGE_BASED, &c->iv_pdo, &c->table, NULL, c);
	KUNIT_EXPECT_EQ(test, IoConnectInterruptEx(&p), STATUS_INVALID_PARAMETER);
	msg_params(&p, CONNECT_MESSAGE_BASED, NULL, &c->table, iv_isr, c);
	KUNIT_EXPECT_EQ(test, IoConnectInterruptEx(&p), STATUS_INVALID_PARAMETER);
	msg_params(&p, CONNECT_MESSAGE_BASED, &c->iv_pdo, &c->table, iv_isr, c);
	p.MessageBased.SynchronizeIrql = HIGH_LEVEL + 1;
	KUNIT_EXPECT_EQ(test, IoConnectInterruptEx(&p), STATUS_INVALID_PARAMETER);
	msg_params(&p, CONNECT_MESSAGE_BASED_PASSIVE, &c->iv_pdo, &c->table, iv_isr, c);
	p.MessageBased.SpinLock = &lock;
	KUNIT_EXPECT_EQ(test, IoConnectInterruptEx(&p), STATUS_INVALID_PARAMETER);
	msg_params(&p, CONNECT_MESSAGE_BASED_PASSIVE, &c->iv_pdo, &c->table, iv_isr, c);
	p.MessageBased.SynchronizeIrql = WDM_DEVICE_IRQL;
	KUNIT_EXPECT_EQ(test, IoConnectInterruptEx(&p), STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_NULL(test, c->table);
	KUNIT_EXPECT_FALSE(test, c->ivshmem->msix_enabled);
}

static void wdm_messages_in_use_refused(struct kunit *test)
{
	struct pci_ctx *c = pci_ctx_of(test);
	PIO_INTERRUPT_MESSAGE_INFO second = NULL;
	IO_CONNECT_INTERRUPT_PARAMETERS p;

	need_devices(test);
	msg_params(&p, CONNECT_MESSAGE_BASED, &c->iv_pdo, &c->table, iv_isr, c);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	msg_params(&p, CONNECT_MESSAGE_BASED, &c->iv_pdo, &second, iv_isr, c);
	KUNIT_EXPECT_EQ(test, IoConnectInterruptEx(&p), STATUS_INVALID_DEVICE_STATE);
	KUNIT_EXPECT_NULL(test, second);
	/* The wrong Version does not disconnect it. */
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_MESSAGE_BASED_PASSIVE, c->table),
			STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_TRUE(test, c->ivshmem->msix_enabled);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_MESSAGE_BASED, c->table),
			STATUS_SUCCESS);
}

static void wdm_passive_messages_run_in_thread(struct kunit *test)
{
	struct pci_ctx *c = pci_ctx_of(test);
	IO_CONNECT_INTERRUPT_PARAMETERS p;

	need_devices(test);
	msg_params(&p, CONNECT_MESSAGE_BASED_PASSIVE, &c->iv_pdo, &c->table,
		   iv_passive_isr, c);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, c->table->UnifiedIrql, (KIRQL)PASSIVE_LEVEL);
	KUNIT_EXPECT_EQ(test, c->table->MessageInfo[3].Irql, (KIRQL)PASSIVE_LEVEL);
	ring_self(c, 3);
	KUNIT_EXPECT_TRUE(test, wait_calls(c, 1));
	KUNIT_EXPECT_EQ(test, atomic_read(&c->per_msg[3]), 1);
	KUNIT_EXPECT_TRUE(test, c->slept);
	KUNIT_EXPECT_FALSE(test, c->hardirq);
	KUNIT_EXPECT_EQ(test, c->irql, (KIRQL)PASSIVE_LEVEL);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_MESSAGE_BASED_PASSIVE, c->table),
			STATUS_SUCCESS);
}

static KSERVICE_ROUTINE edu_liar_isr;

/* Claims the edu's interrupt and leaves it asserting its line: a storm. */
_Use_decl_annotations_
static BOOLEAN edu_liar_isr(struct _KINTERRUPT *Interrupt, PVOID ServiceContext)
{
	struct pci_ctx *c = ServiceContext;

	if (!ioread32(c->edu_regs + EDU_REG_IRQ_STATUS))
		return FALSE;
	atomic_inc(&c->calls);
	return TRUE;
}

static irqreturn_t bystander_handler(int irq, void *dev_id)
{
	return IRQ_NONE;
}

static KSERVICE_ROUTINE edu_blind_isr;

/* Never recognises the edu's interrupt: FALSE, and the device left asserting. */
_Use_decl_annotations_
static BOOLEAN edu_blind_isr(struct _KINTERRUPT *Interrupt, PVOID ServiceContext)
{
	struct pci_ctx *c = ServiceContext;

	atomic_inc(&c->calls);
	return FALSE;
}

/*
 * Connects @isr to the edu's line, shared with a bystander that says
 * IRQ_NONE, and raises the edu once: @isr never makes the device let go,
 * so the level line asserts again as each call returns. After storm_calls
 * (10000) calls in a row, the last ones finding the device still asserting
 * INTx, the storm is reported once and the line disabled; disconnecting the
 * ISR gives the line back to the other handler on it.
 */
static void storm_case(struct kunit *test, PKSERVICE_ROUTINE isr)
{
	struct pci_ctx *c = pci_ctx_of(test);
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	unsigned long storms;
	struct irq_data *d;
	int i, calls;

	need_devices(test);
	storms = wdm_storms_reported();
	d = irq_get_irq_data(c->edu->irq);
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_ASSERT_EQ(test, request_irq(c->edu->irq, bystander_handler, IRQF_SHARED,
					  "wdm-test-bystander", c), 0);
	line_params(&p, c, &c->edu_pdo);
	p.LineBased.ServiceRoutine = isr;
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	iowrite32(1, c->edu_regs + EDU_REG_IRQ_RAISE);
	for (i = 0; i < 5000 && wdm_storms_reported() == storms; i++)
		usleep_range(1000, 2000);
	KUNIT_EXPECT_EQ(test, wdm_storms_reported() - storms, 1UL);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 10000);
	KUNIT_EXPECT_TRUE(test, irqd_irq_disabled(d));
	/* Disabled, the ISR is not entered though the device still asserts. */
	calls = atomic_read(&c->calls);
	msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), calls);
	iowrite32(1, c->edu_regs + EDU_REG_IRQ_ACK);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_LINE_BASED, c->line), STATUS_SUCCESS);
	/* The bystander is still on the line, and it is enabled again. */
	KUNIT_EXPECT_FALSE(test, irqd_irq_disabled(d));
	free_irq(c->edu->irq, c);
	KUNIT_EXPECT_EQ(test, wdm_storms_reported() - storms, 1UL);
}

/* An ISR that returns TRUE without acknowledging the edu. */
static void wdm_storm_disables_the_line(struct kunit *test)
{
	storm_case(test, edu_liar_isr);
}

/*
 * An ISR that returns FALSE while its own edu asserts the line: every
 * handler says IRQ_NONE. Named after 10000 calls, long before genirq's
 * "nobody cared" (99900 of 100000 unhandled), which would not say whose
 * device asserts.
 */
static void wdm_unrecognised_interrupt_is_a_storm(struct kunit *test)
{
	storm_case(test, edu_blind_isr);
}

static KSERVICE_ROUTINE edu_masking_isr;

/*
 * Claims the edu's interrupt without acknowledging it and masks the device
 * with PCI_COMMAND_INTX_DISABLE instead, as a driver that unmasks later
 * (wdmisr's generic personality, uio_pci_generic) does.
 */
_Use_decl_annotations_
static BOOLEAN edu_masking_isr(struct _KINTERRUPT *Interrupt, PVOID ServiceContext)
{
	struct pci_ctx *c = ServiceContext;
	u16 cmd;

	if (!ioread32(c->edu_regs + EDU_REG_IRQ_STATUS))
		return FALSE;
	pci_read_config_word(c->edu, PCI_COMMAND, &cmd);
	pci_write_config_word(c->edu, PCI_COMMAND, cmd | PCI_COMMAND_INTX_DISABLE);
	atomic_inc(&c->calls);
	return TRUE;
}

/*
 * 40 TRUE returns in a row from an ISR that masks the still-asserting edu,
 * each unmasked again from process context: the line is not asserted when
 * the ISR returns, so no storm, even with storm_calls at 20.
 */
static void wdm_masked_device_is_no_storm(struct kunit *test)
{
	struct pci_ctx *c = pci_ctx_of(test);
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	unsigned long storms;
	int i;

	need_devices(test);
	storms = wdm_storms_reported();
	line_params(&p, c, &c->edu_pdo);
	p.LineBased.ServiceRoutine = edu_masking_isr;
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	storm_calls = 20;
	iowrite32(1, c->edu_regs + EDU_REG_IRQ_RAISE);
	for (i = 1; i <= 40; i++) {
		if (!wait_calls(c, i))
			break;
		pci_intx(c->edu, 1);
	}
	storm_calls = 10000;
	KUNIT_EXPECT_EQ(test, i, 41);
	KUNIT_EXPECT_TRUE(test, wait_calls(c, 41));
	KUNIT_EXPECT_EQ(test, wdm_storms_reported(), storms);
	iowrite32(1, c->edu_regs + EDU_REG_IRQ_ACK);
	pci_intx(c->edu, 1);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_LINE_BASED, c->line), STATUS_SUCCESS);
}

/*
 * 2000 raises from the other CPU, each acknowledged by the ISR: 2000 TRUE
 * returns in a row, but the device lets go each time: no storm, even with
 * storm_calls at 20, so that the device's status is read from the fifth
 * TRUE return in a row on.
 */
struct raiser {
	struct pci_ctx *c;
	int n;
};

static void raise_many(void *arg)
{
	struct raiser *r = arg;
	int i;

	for (i = 0; i < r->n; i++) {
		iowrite32(1, r->c->edu_regs + EDU_REG_IRQ_RAISE);
		while (ioread32(r->c->edu_regs + EDU_REG_IRQ_STATUS))
			cpu_relax();
	}
}

static void wdm_serviced_interrupts_are_no_storm(struct kunit *test)
{
	struct pci_ctx *c = pci_ctx_of(test);
	struct raiser r = { .c = c, .n = 2000 };
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	struct wdm_test_worker w;
	unsigned long storms;
	unsigned int cpu;

	need_devices(test);
	storms = wdm_storms_reported();
	line_params(&p, c, &c->edu_pdo);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	storm_calls = 20;
	/* Raise from a CPU the line is not delivered to, if there is one. */
	cpu = cpumask_first(irq_data_get_effective_affinity_mask(irq_get_irq_data(c->edu->irq)));
	KUNIT_ASSERT_EQ(test, wdm_test_worker_start(&w, cpu ? 0 : 1, raise_many, &r), 0);
	wdm_test_worker_wait(&w);
	KUNIT_EXPECT_TRUE(test, wait_calls(c, 2000));
	storm_calls = 10000;
	KUNIT_EXPECT_EQ(test, wdm_storms_reported(), storms);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_LINE_BASED, c->line), STATUS_SUCCESS);
}

/*
 * Microsoft's own line-based sample: SynchronizeIrql = PASSIVE_LEVEL and no
 * SpinLock. The value is a minimum; the line's IRQL wins, so the ISR runs in
 * hard-IRQ context at the device IRQL, and its interrupt spin lock is real.
 */
static void wdm_line_based_on_edu(struct kunit *test)
{
	struct pci_ctx *c = pci_ctx_of(test);
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	KIRQL old;

	need_devices(test);
	line_params(&p, c, &c->edu_pdo);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, c->line->irq, c->edu->irq);
	KUNIT_EXPECT_FALSE(test, c->line->passive);
	iowrite32(0x2, c->edu_regs + EDU_REG_IRQ_RAISE);
	KUNIT_EXPECT_TRUE(test, wait_calls(c, 1));
	KUNIT_EXPECT_EQ(test, c->hardirq, !IS_ENABLED(CONFIG_PREEMPT_RT));
	KUNIT_EXPECT_EQ(test, c->irql, (KIRQL)WDM_DEVICE_IRQL);
	iowrite32(0x4, c->edu_regs + EDU_REG_IRQ_RAISE);
	KUNIT_EXPECT_TRUE(test, wait_calls(c, 2));
	KUNIT_EXPECT_EQ(test, ioread32(c->edu_regs + EDU_REG_IRQ_STATUS), 0U);
	/* The interrupt spin lock is taken: local interrupts go off. */
	old = KeAcquireInterruptSpinLock(c->line);
	KUNIT_EXPECT_TRUE(test, irqs_disabled());
	KUNIT_EXPECT_EQ(test, KeGetCurrentIrql(), (KIRQL)WDM_DEVICE_IRQL);
	KeReleaseInterruptSpinLock(c->line, old);
	KUNIT_EXPECT_EQ(test, old, (KIRQL)PASSIVE_LEVEL);
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_LINE_BASED, c->line),
			STATUS_SUCCESS);
}

/* A device left with INTx disabled in its command register still works. */
static void wdm_line_based_enables_intx(struct kunit *test)
{
	struct pci_ctx *c = pci_ctx_of(test);
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	u16 cmd;

	need_devices(test);
	pci_intx(c->edu, 0);
	pci_read_config_word(c->edu, PCI_COMMAND, &cmd);
	KUNIT_ASSERT_TRUE(test, cmd & PCI_COMMAND_INTX_DISABLE);
	line_params(&p, c, &c->edu_pdo);
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
	pci_read_config_word(c->edu, PCI_COMMAND, &cmd);
	KUNIT_EXPECT_FALSE(test, cmd & PCI_COMMAND_INTX_DISABLE);
	iowrite32(0x1, c->edu_regs + EDU_REG_IRQ_RAISE);
	KUNIT_EXPECT_TRUE(test, wait_calls(c, 1));
	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_LINE_BASED, c->line),
			STATUS_SUCCESS);
}

static void wdm_line_based_refusals(struct kunit *test)
{
	struct pci_ctx *c = pci_ctx_of(test);
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	struct pci_dev *bridge = pci_get_class(PCI_CLASS_BRIDGE_HOST << 8, NULL);
	DEVICE_OBJECT bridge_pdo;

	need_devices(test);
	KUNIT_ASSERT_NOT_NULL_MSG(test, bridge, "no host bridge");
	wdm_init_device_object(&bridge_pdo, bridge);
	line_params(&p, c, &bridge_pdo);

	/* A host bridge has no interrupt pin. */
	KUNIT_EXPECT_EQ(test, IoConnectInterruptEx(&p), STATUS_INVALID_DEVICE_REQUEST);
	pci_dev_put(bridge);

	/* The line is not usable while the device's MSI is on. */
	KUNIT_ASSERT_EQ(test, pci_alloc_irq_vectors(c->edu, 1, 1, PCI_IRQ_MSI), 1);
	p.LineBased.PhysicalDeviceObject = &c->edu_pdo;
	KUNIT_EXPECT_EQ(test, IoConnectInterruptEx(&p), STATUS_INVALID_DEVICE_STATE);
	pci_free_irq_vectors(c->edu);

	/* SynchronizeIrql above HIGH_LEVEL: no such IRQL. */
	p.LineBased.SynchronizeIrql = HIGH_LEVEL + 1;
	KUNIT_EXPECT_EQ(test, IoConnectInterruptEx(&p), STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_NULL(test, c->line);
}

static struct kunit_case wdm_pci_cases[] = {
	KUNIT_CASE(wdm_msix_table_from_descriptors),
	KUNIT_CASE(wdm_message_id_tells_vectors_apart),
	KUNIT_CASE(wdm_messages_have_own_locks),
	KUNIT_CASE(wdm_message_spinlock_serializes_all),
	KUNIT_CASE(wdm_message_limit_is_honoured),
	KUNIT_CASE(wdm_msi_when_no_msix),
	KUNIT_CASE(wdm_no_messages_falls_back_to_line),
	KUNIT_CASE(wdm_no_messages_no_fallback_refused),
	KUNIT_CASE(wdm_message_sync_irql_is_a_minimum),
	KUNIT_CASE(wdm_message_based_rejects_bad_input),
	KUNIT_CASE(wdm_messages_in_use_refused),
	KUNIT_CASE(wdm_passive_messages_run_in_thread),
	KUNIT_CASE(wdm_line_based_on_edu),
	KUNIT_CASE(wdm_line_based_enables_intx),
	KUNIT_CASE(wdm_line_based_refusals),
	KUNIT_CASE(wdm_storm_disables_the_line),
	KUNIT_CASE(wdm_unrecognised_interrupt_is_a_storm),
	KUNIT_CASE(wdm_serviced_interrupts_are_no_storm),
	KUNIT_CASE(wdm_masked_device_is_no_storm),
	{}
};

static struct kunit_suite wdm_pci_suite = {
	.name = "wdm_pci",
	.init = pci_init,
	.exit = pci_exit,
	.test_cases = wdm_pci_cases,
};

kunit_test_suite(wdm_pci_suite);
