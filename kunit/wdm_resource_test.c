// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the resource lists of real PCI devices, checked against what
 * lspci shows in the QEMU guest: edu (one 1 MiB memory BAR, INTx, one MSI
 * message), ivshmem-doorbell (256-byte registers, the 4 KiB MSI-X BAR, 1 MiB
 * of shared memory, eight MSI-X messages) and the PIIX IDE controller (I/O
 * ports only: the legacy 0x1f0/0x3f6/0x170/0x376 ranges and the bus-master
 * BAR). A driver written the Windows way maps edu's registers from its
 * translated memory descriptor and connects its interrupt with the
 * translated interrupt descriptor's values.
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/pci.h>
#include <hw/edu.h>
#include <hw/ivshmem.h>

#include "../module/wdm/wdm_internal.h"
#include "wdm_test.h"

#define PIIX3_IDE_VENDOR_ID	0x8086
#define PIIX3_IDE_DEVICE_ID	0x7010
#define IVSHMEM_VECTORS		8		/* tests/cases/kunit.sh */
#define IVSHMEM_SHM_SIZE	0x100000	/* the device process's default */

struct res_ctx {
	struct pci_dev *pdev;
	DEVICE_OBJECT pdo;
	PCM_RESOURCE_LIST raw, tr;
};

static void res_put(void *data)
{
	struct res_ctx *c = data;

	wdm_free_resources(c->raw);
	wdm_free_resources(c->tr);
	pci_disable_device(c->pdev);
	pci_dev_put(c->pdev);
}

/* The device's lists, freed when the case ends; skips without the device. */
static struct res_ctx *res_get(struct kunit *test, unsigned int vendor, unsigned int device)
{
	struct res_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	c->pdev = pci_get_device(vendor, device, NULL);
	if (!c->pdev)
		kunit_skip(test, "no PCI device %04x:%04x", vendor, device);
	if (pci_enable_device(c->pdev)) {
		pci_dev_put(c->pdev);
		KUNIT_ASSERT_TRUE_MSG(test, false, "cannot enable %04x:%04x", vendor, device);
	}
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, res_put, c), 0);
	wdm_init_device_object(&c->pdo, c->pdev);
	return c;
}

static void res_fetch(struct kunit *test, struct res_ctx *c)
{
	wdm_free_resources(c->raw);
	wdm_free_resources(c->tr);
	c->raw = NULL;
	c->tr = NULL;
	KUNIT_ASSERT_EQ(test, wdm_get_resources(&c->pdo, &c->raw, &c->tr), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, c->raw->Count, 1);
	KUNIT_ASSERT_EQ(test, c->tr->Count, 1);
	KUNIT_EXPECT_EQ(test, c->tr->List[0].InterfaceType, PCIBus);
	KUNIT_EXPECT_EQ(test, c->tr->List[0].BusNumber, c->pdev->bus->number);
	KUNIT_EXPECT_EQ(test, c->raw->List[0].PartialResourceList.Count,
			c->tr->List[0].PartialResourceList.Count);
}

static PCM_PARTIAL_RESOURCE_DESCRIPTOR desc(PCM_RESOURCE_LIST l, ULONG i)
{
	return l->List[0].PartialResourceList.PartialDescriptors + i;
}

static ULONG desc_count(PCM_RESOURCE_LIST l)
{
	return l->List[0].PartialResourceList.Count;
}

static void expect_memory(struct kunit *test, struct res_ctx *c, ULONG i, int bar,
			  ULONG len, USHORT flags)
{
	PCM_PARTIAL_RESOURCE_DESCRIPTOR r = desc(c->raw, i), t = desc(c->tr, i);

	KUNIT_EXPECT_EQ(test, t->Type, CmResourceTypeMemory);
	KUNIT_EXPECT_EQ(test, r->Type, CmResourceTypeMemory);
	KUNIT_EXPECT_EQ(test, t->ShareDisposition, CmResourceShareDeviceExclusive);
	KUNIT_EXPECT_EQ(test, t->Flags, flags);
	KUNIT_EXPECT_EQ(test, t->u.Memory.Length, len);
	KUNIT_EXPECT_EQ(test, r->u.Memory.Length, len);
	/* lspci: "Memory at <start>"; x86 bus and CPU addresses agree. */
	KUNIT_EXPECT_EQ(test, t->u.Memory.Start.QuadPart, pci_resource_start(c->pdev, bar));
	KUNIT_EXPECT_EQ(test, r->u.Memory.Start.QuadPart, pci_resource_start(c->pdev, bar));
	KUNIT_EXPECT_EQ(test, t->u.Memory.Start.QuadPart & (len - 1), 0);
}

static void expect_line(struct kunit *test, struct res_ctx *c, ULONG i)
{
	PCM_PARTIAL_RESOURCE_DESCRIPTOR r = desc(c->raw, i), t = desc(c->tr, i);

	KUNIT_EXPECT_EQ(test, t->Type, CmResourceTypeInterrupt);
	KUNIT_EXPECT_EQ(test, t->Flags, CM_RESOURCE_INTERRUPT_LEVEL_SENSITIVE);
	KUNIT_EXPECT_EQ(test, t->ShareDisposition, CmResourceShareShared);
	KUNIT_EXPECT_EQ(test, t->u.Interrupt.Level, WDM_DEVICE_IRQL);
	KUNIT_EXPECT_EQ(test, t->u.Interrupt.Vector, c->pdev->irq);
	KUNIT_EXPECT_EQ(test, t->u.Interrupt.Affinity, 0x3);
	KUNIT_EXPECT_EQ(test, r->Type, CmResourceTypeInterrupt);
	KUNIT_EXPECT_EQ(test, r->u.Interrupt.Level, c->pdev->irq);
	KUNIT_EXPECT_EQ(test, r->u.Interrupt.Vector, c->pdev->irq);
}

static void expect_messages(struct kunit *test, struct res_ctx *c, ULONG first, ULONG n)
{
	PCM_PARTIAL_RESOURCE_DESCRIPTOR r, t;
	ULONG i;

	for (i = 0; i < n; i++) {
		r = desc(c->raw, first + i);
		t = desc(c->tr, first + i);
		KUNIT_EXPECT_EQ(test, t->Type, CmResourceTypeInterrupt);
		KUNIT_EXPECT_EQ(test, t->Flags,
				CM_RESOURCE_INTERRUPT_LATCHED | CM_RESOURCE_INTERRUPT_MESSAGE);
		KUNIT_EXPECT_EQ(test, t->u.MessageInterrupt.Translated.Level, WDM_DEVICE_IRQL);
		KUNIT_EXPECT_EQ(test, t->u.MessageInterrupt.Translated.Vector, i);
		KUNIT_EXPECT_EQ(test, t->u.MessageInterrupt.Translated.Affinity, 0x3);
		KUNIT_EXPECT_EQ(test, r->Flags, t->Flags);
		KUNIT_EXPECT_EQ(test, r->u.MessageInterrupt.Raw.MessageCount, 1);
		KUNIT_EXPECT_EQ(test, r->u.MessageInterrupt.Raw.Vector, i);
	}
}

/* lspci: Region 0 memory [size=1M], INTx (pin A), MSI: Count=1/1. */
static void wdm_resources_of_edu(struct kunit *test)
{
	struct res_ctx *c = res_get(test, EDU_VENDOR_ID, EDU_DEVICE_ID);

	KUNIT_ASSERT_EQ(test, num_online_cpus(), 2);
	res_fetch(test, c);
	KUNIT_ASSERT_EQ(test, desc_count(c->tr), 3);
	expect_memory(test, c, 0, 0, EDU_BAR0_SIZE, CM_RESOURCE_MEMORY_READ_WRITE);
	expect_line(test, c, 1);
	expect_messages(test, c, 2, 1);

	/* Line only: the INF's MSISupported=0. */
	c->pdo.MessageTypes = 0;
	res_fetch(test, c);
	KUNIT_EXPECT_EQ(test, desc_count(c->tr), 2);
}

/*
 * lspci: Region 0 [size=256], Region 1 [size=4K] (the MSI-X table),
 * Region 2 64-bit prefetchable [size=1M], MSI-X: Count=8.
 */
static void wdm_resources_of_ivshmem(struct kunit *test)
{
	struct res_ctx *c = res_get(test, IVSHMEM_VENDOR_ID, IVSHMEM_DEVICE_ID);
	ULONG line = c->pdev->pin ? 1 : 0;

	KUNIT_ASSERT_EQ(test, num_online_cpus(), 2);
	res_fetch(test, c);
	KUNIT_ASSERT_EQ(test, desc_count(c->tr), 3 + line + IVSHMEM_VECTORS);
	expect_memory(test, c, 0, 0, 256, CM_RESOURCE_MEMORY_READ_WRITE);
	expect_memory(test, c, 1, 1, 4096, CM_RESOURCE_MEMORY_READ_WRITE);
	expect_memory(test, c, 2, 2, IVSHMEM_SHM_SIZE, CM_RESOURCE_MEMORY_PREFETCHABLE);
	if (line)
		expect_line(test, c, 3);
	expect_messages(test, c, 3 + line, IVSHMEM_VECTORS);

	/* The INF's MessageNumberLimit. */
	c->pdo.MessageNumberLimit = 2;
	res_fetch(test, c);
	KUNIT_ASSERT_EQ(test, desc_count(c->tr), 3 + line + 2);
	expect_messages(test, c, 3 + line, 2);
}

/*
 * lspci on QEMU's PIIX3 IDE (legacy mode): I/O ports at 01f0 [size=8],
 * 03f6 [size=1], 0170 [size=8], 0376 [size=1], and the bus-master BAR 4
 * [size=16].
 */
static void wdm_resources_of_piix_ide_ports(struct kunit *test)
{
	static const struct {
		u64 start;
		ULONG len;
	} legacy[] = { { 0x1f0, 8 }, { 0x3f6, 1 }, { 0x170, 8 }, { 0x376, 1 } };
	struct res_ctx *c = res_get(test, PIIX3_IDE_VENDOR_ID, PIIX3_IDE_DEVICE_ID);
	PCM_PARTIAL_RESOURCE_DESCRIPTOR t;
	ULONG i;

	res_fetch(test, c);
	KUNIT_ASSERT_EQ(test, desc_count(c->tr), 5 + (c->pdev->pin ? 1 : 0));
	for (i = 0; i < 5; i++) {
		t = desc(c->tr, i);
		KUNIT_EXPECT_EQ(test, t->Type, CmResourceTypePort);
		KUNIT_EXPECT_EQ(test, desc(c->raw, i)->Type, CmResourceTypePort);
		KUNIT_EXPECT_EQ(test, t->Flags,
				CM_RESOURCE_PORT_IO | CM_RESOURCE_PORT_16_BIT_DECODE);
		KUNIT_EXPECT_EQ(test, t->ShareDisposition, CmResourceShareDeviceExclusive);
		if (i < ARRAY_SIZE(legacy)) {
			KUNIT_EXPECT_EQ(test, t->u.Port.Start.QuadPart, legacy[i].start);
			KUNIT_EXPECT_EQ(test, t->u.Port.Length, legacy[i].len);
		}
	}
	KUNIT_EXPECT_EQ(test, desc(c->tr, 4)->u.Port.Start.QuadPart,
			pci_resource_start(c->pdev, 4));
	KUNIT_EXPECT_EQ(test, desc(c->tr, 4)->u.Port.Length, 16);
}

static void wdm_resources_bad_input(struct kunit *test)
{
	PCM_RESOURCE_LIST raw = NULL, tr = NULL;
	DEVICE_OBJECT pdo = {};

	KUNIT_EXPECT_EQ(test, wdm_get_resources(NULL, &raw, &tr), STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, wdm_get_resources(&pdo, &raw, &tr), STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_NULL(test, raw);
	KUNIT_EXPECT_NULL(test, tr);
}

/* A Windows-style driver: the translated list is all it uses. */
struct edu_drv {
	PUCHAR regs;
	ULONG regs_len;
	ULONG vector;
	KIRQL irql;
	KINTERRUPT_MODE mode;
	BOOLEAN share;
	KAFFINITY affinity;
	atomic_t isr_calls;
	ULONG status_seen;
};

static void edu_drv_start(struct edu_drv *d, PCM_RESOURCE_LIST tl)
{
	PCM_PARTIAL_RESOURCE_LIST list = &tl->List[0].PartialResourceList;
	PCM_PARTIAL_RESOURCE_DESCRIPTOR p;
	ULONG i;

	for (i = 0; i < list->Count; i++) {
		p = &list->PartialDescriptors[i];
		switch (p->Type) {
		case CmResourceTypeMemory:
			d->regs = MmMapIoSpace(p->u.Memory.Start, p->u.Memory.Length, MmNonCached);
			d->regs_len = p->u.Memory.Length;
			break;
		case CmResourceTypeInterrupt:
			if (p->Flags & CM_RESOURCE_INTERRUPT_MESSAGE)
				break;
			d->vector = p->u.Interrupt.Vector;
			d->irql = (KIRQL)p->u.Interrupt.Level;
			d->affinity = p->u.Interrupt.Affinity;
			d->mode = p->Flags & CM_RESOURCE_INTERRUPT_LATCHED ?
				  Latched : LevelSensitive;
			d->share = p->ShareDisposition == CmResourceShareShared;
			break;
		}
	}
}

static KSERVICE_ROUTINE edu_drv_isr;

_Use_decl_annotations_
static BOOLEAN edu_drv_isr(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
	struct edu_drv *d = ServiceContext;
	ULONG status = READ_REGISTER_ULONG((PULONG)(d->regs + EDU_REG_IRQ_STATUS));

	UNREFERENCED_PARAMETER(Interrupt);
	if (!status)
		return FALSE;
	WRITE_REGISTER_ULONG((PULONG)(d->regs + EDU_REG_IRQ_ACK), status);
	d->status_seen |= status;
	atomic_inc(&d->isr_calls);
	return TRUE;
}

static void wdm_edu_driver_from_translated_resources(struct kunit *test)
{
	struct res_ctx *c = res_get(test, EDU_VENDOR_ID, EDU_DEVICE_ID);
	struct edu_drv *d = kunit_kzalloc(test, sizeof(*d), GFP_KERNEL);
	PKINTERRUPT intr = NULL;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, d);
	c->pdo.MessageTypes = 0;
	res_fetch(test, c);
	edu_drv_start(d, c->tr);
	KUNIT_ASSERT_NOT_NULL(test, d->regs);
	KUNIT_EXPECT_EQ(test, d->regs_len, EDU_BAR0_SIZE);
	KUNIT_EXPECT_EQ(test, READ_REGISTER_ULONG((PULONG)d->regs), 0x010000ed);
	KUNIT_EXPECT_EQ(test, d->mode, LevelSensitive);
	KUNIT_EXPECT_TRUE(test, d->share);

	pci_intx(c->pdev, 1);
	KUNIT_ASSERT_EQ(test, IoConnectInterrupt(&intr, edu_drv_isr, d, NULL, d->vector,
						 d->irql, d->irql, d->mode, d->share,
						 d->affinity, FALSE), STATUS_SUCCESS);
	WRITE_REGISTER_ULONG((PULONG)(d->regs + EDU_REG_IRQ_RAISE), 0x4);
	for (i = 0; i < 5000 && !atomic_read(&d->isr_calls); i++)
		usleep_range(1000, 2000);
	IoDisconnectInterrupt(intr);
	MmUnmapIoSpace(d->regs, d->regs_len);

	KUNIT_EXPECT_EQ(test, atomic_read(&d->isr_calls), 1);
	KUNIT_EXPECT_EQ(test, d->status_seen, 0x4);
}

static void wdm_map_io_space_variants(struct kunit *test)
{
	struct res_ctx *c = res_get(test, EDU_VENDOR_ID, EDU_DEVICE_ID);
	PHYSICAL_ADDRESS pa;
	PVOID p;

	res_fetch(test, c);
	pa = desc(c->tr, 0)->u.Memory.Start;
	p = MmMapIoSpaceEx(pa, PAGE_SIZE, PAGE_READWRITE | PAGE_NOCACHE);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, READ_REGISTER_ULONG(p), 0x010000ed);
	MmUnmapIoSpace(p, PAGE_SIZE);

	KUNIT_EXPECT_NULL(test, MmMapIoSpace(pa, 0, MmNonCached));
	KUNIT_EXPECT_NULL(test, MmMapIoSpace(pa, PAGE_SIZE, MmMaximumCacheType));
	KUNIT_EXPECT_NULL(test, MmMapIoSpaceEx(pa, PAGE_SIZE,
					       PAGE_READWRITE | PAGE_NOCACHE | PAGE_WRITECOMBINE));
	KUNIT_EXPECT_NULL(test, MmMapIoSpaceEx(pa, PAGE_SIZE, PAGE_NOCACHE));
}

/* Mapping may sleep here: above PASSIVE_LEVEL it is one reported bug. */
static void wdm_map_io_space_at_dispatch_is_a_bug(struct kunit *test)
{
	unsigned long before = wdm_bugs_reported();
	PHYSICAL_ADDRESS pa = { .QuadPart = 0xfee00000 };
	PVOID p;

	local_bh_disable();
	preempt_disable();
	p = MmMapIoSpace(pa, PAGE_SIZE, MmNonCached);
	preempt_enable();
	local_bh_enable();
	KUNIT_EXPECT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - before, 1);
}

static PHYSICAL_ADDRESS bar_address(struct pci_dev *pdev, int bar, resource_size_t offset)
{
	PHYSICAL_ADDRESS pa = { .QuadPart = pci_resource_start(pdev, bar) + offset };

	return pa;
}

/*
 * MmUnmapIoSpace() takes what MmMapIoSpace() returned and the length it
 * was given. Another address (NULL, one inside the mapping, one already
 * unmapped) is one reported bug each and unmaps nothing; another length is
 * one reported bug, and the mapping goes all the same.
 */
static void wdm_unmap_io_space_checks_its_arguments(struct kunit *test)
{
	struct res_ctx *c = res_get(test, EDU_VENDOR_ID, EDU_DEVICE_ID);
	unsigned long bugs = wdm_bugs_reported();
	PVOID p;

	p = MmMapIoSpace(bar_address(c->pdev, 0, 0), PAGE_SIZE, MmNonCached);
	KUNIT_ASSERT_NOT_NULL(test, p);
	MmUnmapIoSpace(NULL, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 1UL);
	MmUnmapIoSpace((PUCHAR)p + 0x10, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 2UL);
	/* Still mapped. */
	KUNIT_EXPECT_EQ(test, READ_REGISTER_ULONG(p), 0x010000ed);
	MmUnmapIoSpace(p, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 2UL);
	MmUnmapIoSpace(p, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 3UL);

	p = MmMapIoSpaceEx(bar_address(c->pdev, 0, 0), PAGE_SIZE, PAGE_READWRITE | PAGE_NOCACHE);
	KUNIT_ASSERT_NOT_NULL(test, p);
	MmUnmapIoSpace(p, 2 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 4UL);
	/* That unmapped it: it is not a mapping any more. */
	MmUnmapIoSpace(p, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 5UL);
}

/*
 * A mapping of a BAR the driver never unmapped goes with the device: when
 * the PCI core reports it removed (not merely unbound from its driver),
 * each one is unmapped and reported. Another device's mapping stays.
 */
static void wdm_removed_device_mappings_unmapped(struct kunit *test)
{
	struct res_ctx *edu = res_get(test, EDU_VENDOR_ID, EDU_DEVICE_ID);
	struct res_ctx *iv = res_get(test, IVSHMEM_VENDOR_ID, IVSHMEM_DEVICE_ID);
	unsigned long bugs = wdm_bugs_reported();
	PVOID regs, last, iv_regs;
	ULONG iv_position;

	regs = MmMapIoSpace(bar_address(edu->pdev, 0, 0), PAGE_SIZE, MmNonCached);
	last = MmMapIoSpaceEx(bar_address(edu->pdev, 0, EDU_BAR0_SIZE - PAGE_SIZE), PAGE_SIZE,
			      PAGE_READWRITE | PAGE_NOCACHE);
	iv_regs = MmMapIoSpace(bar_address(iv->pdev, 0, 0), 256, MmNonCached);
	KUNIT_ASSERT_NOT_NULL(test, regs);
	KUNIT_ASSERT_NOT_NULL(test, last);
	KUNIT_ASSERT_NOT_NULL(test, iv_regs);
	iv_position = READ_REGISTER_ULONG((PULONG)((PUCHAR)iv_regs + IVSHMEM_REG_IV_POSITION));

	KUNIT_EXPECT_EQ(test, wdm_iomap_bus_notify(NULL, BUS_NOTIFY_UNBOUND_DRIVER,
						   &edu->pdev->dev), NOTIFY_DONE);
	KUNIT_EXPECT_EQ(test, wdm_iomap_bus_notify(NULL, BUS_NOTIFY_DEL_DEVICE,
						   &edu->pdev->dev), NOTIFY_DONE);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 0UL);
	KUNIT_EXPECT_EQ(test, READ_REGISTER_ULONG(regs), 0x010000ed);

	KUNIT_EXPECT_EQ(test, wdm_iomap_bus_notify(NULL, BUS_NOTIFY_REMOVED_DEVICE,
						   &edu->pdev->dev), NOTIFY_OK);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 2UL);
	/* They are gone: unmapping them now is a bug of its own. */
	MmUnmapIoSpace(regs, PAGE_SIZE);
	MmUnmapIoSpace(last, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 4UL);

	/* ivshmem's mapping was not touched. */
	KUNIT_EXPECT_EQ(test, READ_REGISTER_ULONG((PULONG)((PUCHAR)iv_regs +
							   IVSHMEM_REG_IV_POSITION)),
			iv_position);
	MmUnmapIoSpace(iv_regs, 256);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 4UL);
}

static void wdm_hal_get_interrupt_vector(struct kunit *test)
{
	struct res_ctx *c = res_get(test, EDU_VENDOR_ID, EDU_DEVICE_ID);
	KAFFINITY affinity = 0;
	KIRQL irql = 0xff;
	ULONG irq = c->pdev->irq;

	KUNIT_ASSERT_EQ(test, num_online_cpus(), 2);
	KUNIT_EXPECT_EQ(test, HalGetInterruptVector(PCIBus, c->pdev->bus->number, irq, irq,
						    &irql, &affinity), irq);
	KUNIT_EXPECT_EQ(test, irql, WDM_DEVICE_IRQL);
	KUNIT_EXPECT_EQ(test, affinity, 0x3);

	KUNIT_EXPECT_EQ(test, HalGetInterruptVector(PCIBus, 0, 0x7ffff, 0x7ffff,
						    &irql, &affinity), 0);
	KUNIT_EXPECT_EQ(test, irql, PASSIVE_LEVEL);
	KUNIT_EXPECT_EQ(test, affinity, 0);
}

static struct kunit_case wdm_resource_cases[] = {
	KUNIT_CASE(wdm_resources_of_edu),
	KUNIT_CASE(wdm_resources_of_ivshmem),
	KUNIT_CASE(wdm_resources_of_piix_ide_ports),
	KUNIT_CASE(wdm_resources_bad_input),
	KUNIT_CASE(wdm_edu_driver_from_translated_resources),
	KUNIT_CASE(wdm_map_io_space_variants),
	KUNIT_CASE(wdm_map_io_space_at_dispatch_is_a_bug),
	KUNIT_CASE(wdm_unmap_io_space_checks_its_arguments),
	KUNIT_CASE(wdm_removed_device_mappings_unmapped),
	KUNIT_CASE(wdm_hal_get_interrupt_vector),
	{}
};

static struct kunit_suite wdm_resource_suite = {
	.name = "wdm_resource",
	.test_cases = wdm_resource_cases,
};

kunit_test_suite(wdm_resource_suite);
