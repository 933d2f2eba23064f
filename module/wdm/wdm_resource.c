// SPDX-License-Identifier: GPL-2.0
/*
 * Hardware resources the way a WDM driver receives them: the raw and
 * translated CM_RESOURCE_LISTs of a PCI device, as the PnP manager passes
 * them with IRP_MN_START_DEVICE; mapping device memory (MmMapIoSpace) and
 * the legacy HalGetInterruptVector.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/io.h>
#include <linux/irq.h>
#include <linux/list.h>
#include <linux/notifier.h>
#include <linux/overflow.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "wdm_compat.h"
#include "wdm_internal.h"

/* The IRQL of a translated interrupt resource for Linux IRQ @irq. */
static KIRQL wdm_irq_level(unsigned int irq)
{
	return wdm_irq_is_nested(irq) ? PASSIVE_LEVEL : WDM_DEVICE_IRQL;
}

/*
 * The messages IoConnectInterruptEx(CONNECT_MESSAGE_BASED) would ask for:
 * MSI-X if allowed and present, else MSI, up to MessageNumberLimit.
 */
static ULONG wdm_message_count(PDEVICE_OBJECT pdo)
{
	struct pci_dev *pdev = pdo->PciDevice;
	int count = 0;

	if (pdo->MessageTypes & WDM_MESSAGE_MSIX)
		count = pci_msix_vec_count(pdev);
	if (count <= 0 && (pdo->MessageTypes & WDM_MESSAGE_MSI))
		count = pci_msi_vec_count(pdev);
	if (count <= 0)
		return 0;
	if (pdo->MessageNumberLimit && count > pdo->MessageNumberLimit)
		count = pdo->MessageNumberLimit;
	return count;
}

static bool wdm_bar_used(struct pci_dev *pdev, int bar)
{
	return pci_resource_len(pdev, bar) &&
	       (pci_resource_flags(pdev, bar) & (IORESOURCE_MEM | IORESOURCE_IO));
}

/*
 * A memory range's length: in u.Memory.Length up to 4 GiB - 1, else as
 * Windows encodes large ranges (CmResourceTypeMemoryLarge, the length in
 * 256-byte, 64-KiB or 4-GiB units).
 */
static void wdm_set_memory(PCM_PARTIAL_RESOURCE_DESCRIPTOR d, u64 start, u64 len)
{
	static const struct {
		unsigned int shift;
		USHORT flag;
	} large[] = {
		{ 8, CM_RESOURCE_MEMORY_LARGE_40 },
		{ 16, CM_RESOURCE_MEMORY_LARGE_48 },
		{ 32, CM_RESOURCE_MEMORY_LARGE_64 },
	};
	unsigned int i;

	d->u.Memory.Start.QuadPart = start;
	if (len <= U32_MAX) {
		d->Type = CmResourceTypeMemory;
		d->u.Memory.Length = len;
		return;
	}
	for (i = 0; i < ARRAY_SIZE(large); i++)
		if ((len >> large[i].shift) <= U32_MAX)
			break;
	/* Lengths of 2^32 and more are powers of two: no bits are lost. */
	d->Type = CmResourceTypeMemoryLarge;
	d->Flags |= large[i].flag;
	d->u.Memory.Length = len >> large[i].shift;
}

/* One BAR, raw (bus address) and translated (CPU address or port). */
static void wdm_fill_bar(struct pci_dev *pdev, int bar,
			 PCM_PARTIAL_RESOURCE_DESCRIPTOR raw,
			 PCM_PARTIAL_RESOURCE_DESCRIPTOR tr)
{
	unsigned long flags = pci_resource_flags(pdev, bar);
	u64 len = pci_resource_len(pdev, bar);

	raw->ShareDisposition = CmResourceShareDeviceExclusive;
	if (flags & IORESOURCE_IO) {
		raw->Type = CmResourceTypePort;
		raw->Flags = CM_RESOURCE_PORT_IO | CM_RESOURCE_PORT_16_BIT_DECODE;
		raw->u.Port.Start.QuadPart = pci_bus_address(pdev, bar);
		raw->u.Port.Length = len;
		*tr = *raw;
		tr->u.Port.Start.QuadPart = pci_resource_start(pdev, bar);
		return;
	}
	raw->Flags = CM_RESOURCE_MEMORY_READ_WRITE;
	if (flags & IORESOURCE_PREFETCH)
		raw->Flags |= CM_RESOURCE_MEMORY_PREFETCHABLE;
	*tr = *raw;
	wdm_set_memory(raw, pci_bus_address(pdev, bar), len);
	wdm_set_memory(tr, pci_resource_start(pdev, bar), len);
}

/* The INTx line: raw Level and Vector the IRQ, translated the IRQL too. */
static void wdm_fill_line(struct pci_dev *pdev, PCM_PARTIAL_RESOURCE_DESCRIPTOR raw,
			  PCM_PARTIAL_RESOURCE_DESCRIPTOR tr)
{
	raw->Type = CmResourceTypeInterrupt;
	raw->ShareDisposition = CmResourceShareShared;
	raw->Flags = CM_RESOURCE_INTERRUPT_LEVEL_SENSITIVE;
	raw->u.Interrupt.Level = pdev->irq;
	raw->u.Interrupt.Vector = pdev->irq;
	raw->u.Interrupt.Affinity = ~(KAFFINITY)0;
	*tr = *raw;
	tr->u.Interrupt.Level = wdm_irq_level(pdev->irq);
	tr->u.Interrupt.Affinity = KeQueryActiveProcessors();
}

/*
 * Message @id: its Linux IRQ exists only once IoConnectInterruptEx has
 * allocated the messages, so Vector is the MessageID here.
 */
static void wdm_fill_message(ULONG id, PCM_PARTIAL_RESOURCE_DESCRIPTOR raw,
			     PCM_PARTIAL_RESOURCE_DESCRIPTOR tr)
{
	raw->Type = CmResourceTypeInterrupt;
	raw->ShareDisposition = CmResourceShareDeviceExclusive;
	raw->Flags = CM_RESOURCE_INTERRUPT_LATCHED | CM_RESOURCE_INTERRUPT_MESSAGE;
	*tr = *raw;
	raw->u.MessageInterrupt.Raw.MessageCount = 1;
	raw->u.MessageInterrupt.Raw.Vector = id;
	raw->u.MessageInterrupt.Raw.Affinity = ~(KAFFINITY)0;
	tr->u.MessageInterrupt.Translated.Level = WDM_DEVICE_IRQL;
	tr->u.MessageInterrupt.Translated.Vector = id;
	tr->u.MessageInterrupt.Translated.Affinity = KeQueryActiveProcessors();
}

static PCM_RESOURCE_LIST wdm_alloc_list(struct pci_dev *pdev, ULONG count)
{
	size_t size = offsetof(CM_RESOURCE_LIST, List[0].PartialResourceList.PartialDescriptors);
	PCM_RESOURCE_LIST list;

	size = size_add(size, array_size(count, sizeof(CM_PARTIAL_RESOURCE_DESCRIPTOR)));
	list = kzalloc(max(size, sizeof(*list)), GFP_KERNEL);
	if (!list)
		return NULL;
	list->Count = 1;
	list->List[0].InterfaceType = PCIBus;
	list->List[0].BusNumber = pdev->bus->number;
	list->List[0].PartialResourceList.Version = 1;
	list->List[0].PartialResourceList.Revision = 1;
	list->List[0].PartialResourceList.Count = count;
	return list;
}

/**
 * wdm_get_resources() - the raw and translated resource lists of a PCI device
 * @DeviceObject: the device object of the PCI device (wdm_init_device_object())
 * @Raw: receives the raw list (bus-relative addresses and interrupt lines)
 * @Translated: receives the translated list (what the driver uses)
 *
 * The lists IRP_MN_START_DEVICE gives a WDM driver in
 * Parameters.StartDevice.AllocatedResources(Translated): one full descriptor
 * (PCIBus, the bus number) holding, in this order and at the same index in
 * both lists, one memory descriptor per memory BAR (translated Start is the
 * CPU physical address for MmMapIoSpace), one port descriptor per I/O BAR
 * (translated Start is the port for READ_PORT_*), one interrupt descriptor
 * for the INTx line if the device has one (translated Level and Vector are
 * IoConnectInterrupt's Irql and Vector, Affinity the online CPUs), and one
 * message descriptor (CM_RESOURCE_INTERRUPT_MESSAGE) per MSI-X or MSI
 * message that DeviceObject->MessageTypes and MessageNumberLimit allow.
 *
 * Context: PASSIVE_LEVEL.
 * Return: STATUS_SUCCESS, STATUS_INVALID_PARAMETER for a missing device
 * object or pointer, STATUS_INSUFFICIENT_RESOURCES if out of memory.
 */
NTSTATUS wdm_get_resources(PDEVICE_OBJECT DeviceObject, PCM_RESOURCE_LIST *Raw,
			   PCM_RESOURCE_LIST *Translated)
{
	PCM_PARTIAL_RESOURCE_DESCRIPTOR raw, tr;
	PCM_RESOURCE_LIST rl, tl;
	struct pci_dev *pdev;
	ULONG bars = 0, line, msgs, i;
	int bar;

	if (!DeviceObject || !DeviceObject->PciDevice || !Raw || !Translated)
		return STATUS_INVALID_PARAMETER;
	pdev = DeviceObject->PciDevice;
	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++)
		bars += wdm_bar_used(pdev, bar);
	line = pdev->pin && pdev->irq;
	msgs = wdm_message_count(DeviceObject);

	rl = wdm_alloc_list(pdev, bars + line + msgs);
	tl = wdm_alloc_list(pdev, bars + line + msgs);
	if (!rl || !tl) {
		kfree(rl);
		kfree(tl);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	raw = rl->List[0].PartialResourceList.PartialDescriptors;
	tr = tl->List[0].PartialResourceList.PartialDescriptors;
	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++)
		if (wdm_bar_used(pdev, bar))
			wdm_fill_bar(pdev, bar, raw++, tr++);
	if (line)
		wdm_fill_line(pdev, raw++, tr++);
	for (i = 0; i < msgs; i++)
		wdm_fill_message(i, raw++, tr++);
	*Raw = rl;
	*Translated = tl;
	return STATUS_SUCCESS;
}
EXPORT_SYMBOL_GPL(wdm_get_resources);

/**
 * wdm_free_resources() - free a list from wdm_get_resources()
 * @ResourceList: the list, or NULL
 *
 * Context: any.
 */
void wdm_free_resources(PCM_RESOURCE_LIST ResourceList)
{
	kfree(ResourceList);
}
EXPORT_SYMBOL_GPL(wdm_free_resources);

/*
 * I/O space mappings
 */

/* A mapping MmMapIoSpace(Ex) made that MmUnmapIoSpace() has not undone. */
struct wdm_iomap {
	struct list_head node;		/* on wdm_iomaps */
	void __iomem *addr;
	resource_size_t phys;
	SIZE_T len;
	unsigned long caller;		/* the driver's call, for reports */
};

/*
 * Every live mapping, so that MmUnmapIoSpace() can check its arguments and
 * what a driver leaves is unmapped when its device goes away. A raw lock:
 * it keeps its meaning on PREEMPT_RT at any IRQL, and it is held only to
 * walk the list (never across ioremap() or iounmap()).
 */
static LIST_HEAD(wdm_iomaps);
static DEFINE_RAW_SPINLOCK(wdm_iomaps_lock);	/* protects wdm_iomaps */

static void __iomem *wdm_ioremap(resource_size_t start, SIZE_T len,
				 MEMORY_CACHING_TYPE type)
{
	switch (type) {
	case MmNonCached:
	case MmNonCachedUnordered:
		return ioremap(start, len);
	case MmWriteCombined:
	case MmUSWCCached:
		return ioremap_wc(start, len);
	case MmCached:
	case MmHardwareCoherentCached:
		return ioremap_cache(start, len);
	default:
		return NULL;
	}
}

static PVOID wdm_map_io_space(resource_size_t start, SIZE_T len,
			      MEMORY_CACHING_TYPE type, unsigned long caller,
			      const char *what)
{
	struct wdm_iomap *m;
	unsigned long flags;
	void __iomem *p;

	if (!len)
		return NULL;
	if (KeGetCurrentIrql() > PASSIVE_LEVEL) {
		wdm_report_bug(caller, "%s() above PASSIVE_LEVEL", what);
		return NULL;
	}
	p = wdm_ioremap(start, len, type);
	if (!p)
		return NULL;
	/* PASSIVE_LEVEL: ioremap() sleeps anyway, so the record may too. */
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m) {
		iounmap(p);
		return NULL;
	}
	m->addr = p;
	m->phys = start;
	m->len = len;
	m->caller = caller;
	raw_spin_lock_irqsave(&wdm_iomaps_lock, flags);
	list_add_tail(&m->node, &wdm_iomaps);
	raw_spin_unlock_irqrestore(&wdm_iomaps_lock, flags);
	return (__force PVOID)p;
}

/**
 * MmMapIoSpace() - map device memory into the kernel's address space
 * @PhysicalAddress: the start, a translated memory descriptor's u.Memory.Start
 * @NumberOfBytes: the length
 * @CacheType: MmNonCached (registers), MmWriteCombined (frame buffers) or
 *	MmCached; MmNonCachedUnordered maps like MmNonCached, MmUSWCCached
 *	like MmWriteCombined and MmHardwareCoherentCached like MmCached
 *
 * The address goes to READ_/WRITE_REGISTER_*. Windows allows this at
 * DISPATCH_LEVEL; ioremap() may sleep, so here it must be PASSIVE_LEVEL,
 * and a call at a higher level is reported as a driver bug. The mapping is
 * recorded until MmUnmapIoSpace(); one still there when the PCI device
 * whose BAR it maps is removed, or when wdm.ko is unloaded, is a driver
 * bug: it is reported and unmapped.
 *
 * Context: PASSIVE_LEVEL.
 * Return: the mapping, or NULL for a zero length, an unknown CacheType, a
 * call above PASSIVE_LEVEL or a failed mapping.
 */
PVOID MmMapIoSpace(PHYSICAL_ADDRESS PhysicalAddress, SIZE_T NumberOfBytes,
		   MEMORY_CACHING_TYPE CacheType)
{
	return wdm_map_io_space(PhysicalAddress.QuadPart, NumberOfBytes,
				CacheType, _RET_IP_, __func__);
}
EXPORT_SYMBOL_GPL(MmMapIoSpace);

/**
 * MmMapIoSpaceEx() - map device memory with page protection flags
 * @PhysicalAddress: the start, a translated memory descriptor's u.Memory.Start
 * @NumberOfBytes: the length
 * @Protect: PAGE_READWRITE with PAGE_NOCACHE (registers), PAGE_WRITECOMBINE,
 *	or neither (cached)
 *
 * Context: PASSIVE_LEVEL.
 * Return: the mapping, or NULL for a protection without PAGE_READWRITE or
 * with both PAGE_NOCACHE and PAGE_WRITECOMBINE, and as MmMapIoSpace().
 */
PVOID MmMapIoSpaceEx(PHYSICAL_ADDRESS PhysicalAddress, SIZE_T NumberOfBytes,
		     ULONG Protect)
{
	MEMORY_CACHING_TYPE type;

	switch (Protect) {
	case PAGE_READWRITE | PAGE_NOCACHE:
		type = MmNonCached;
		break;
	case PAGE_READWRITE | PAGE_WRITECOMBINE:
		type = MmWriteCombined;
		break;
	case PAGE_READWRITE:
		type = MmCached;
		break;
	default:
		return NULL;
	}
	return wdm_map_io_space(PhysicalAddress.QuadPart, NumberOfBytes, type,
				_RET_IP_, __func__);
}
EXPORT_SYMBOL_GPL(MmMapIoSpaceEx);

/* Take the record of the mapping at @addr off the list; NULL if none. */
static struct wdm_iomap *wdm_iomap_take(PVOID addr)
{
	struct wdm_iomap *m, *found = NULL;
	unsigned long flags;

	raw_spin_lock_irqsave(&wdm_iomaps_lock, flags);
	list_for_each_entry(m, &wdm_iomaps, node) {
		if ((__force PVOID)m->addr == addr) {
			list_del(&m->node);
			found = m;
			break;
		}
	}
	raw_spin_unlock_irqrestore(&wdm_iomaps_lock, flags);
	return found;
}

/**
 * MmUnmapIoSpace() - undo MmMapIoSpace(Ex)
 * @BaseAddress: the address MmMapIoSpace(Ex) returned
 * @NumberOfBytes: the length it was given
 *
 * An address MmMapIoSpace(Ex) did not return (or that is already
 * unmapped) is a driver bug: it is reported and nothing is unmapped. A
 * length other than the mapping's is reported too, and the whole mapping
 * is unmapped all the same.
 *
 * Context: PASSIVE_LEVEL.
 */
void MmUnmapIoSpace(PVOID BaseAddress, SIZE_T NumberOfBytes)
{
	struct wdm_iomap *m = wdm_iomap_take(BaseAddress);

	if (!m) {
		wdm_report_bug(_RET_IP_, "%s(%p): not an address MmMapIoSpace() returned",
			       __func__, BaseAddress);
		return;
	}
	if (NumberOfBytes != m->len)
		wdm_report_bug(_RET_IP_, "%s(%p, %zu): it was mapped with %zu bytes",
			       __func__, BaseAddress, NumberOfBytes, m->len);
	iounmap(m->addr);
	kfree(m);
}
EXPORT_SYMBOL_GPL(MmUnmapIoSpace);

/* Whether mapping @m overlaps a memory BAR of @pdev. */
static bool wdm_iomap_in_device(const struct wdm_iomap *m, struct pci_dev *pdev)
{
	resource_size_t last = m->phys + m->len - 1;
	int bar;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		if (!(pci_resource_flags(pdev, bar) & IORESOURCE_MEM) ||
		    !pci_resource_len(pdev, bar))
			continue;
		if (m->phys <= pci_resource_end(pdev, bar) &&
		    last >= pci_resource_start(pdev, bar))
			return true;
	}
	return false;
}

/*
 * Unmap what the drivers left mapped: every mapping of @pdev's BARs, or
 * every mapping if @pdev is NULL. Each one is a reported driver bug.
 * Returns how many there were.
 */
static unsigned int wdm_iomap_reap(struct pci_dev *pdev, const char *when)
{
	struct wdm_iomap *m, *next;
	unsigned int n = 0;
	unsigned long flags;
	LIST_HEAD(left);

	raw_spin_lock_irqsave(&wdm_iomaps_lock, flags);
	list_for_each_entry_safe(m, next, &wdm_iomaps, node)
		if (!pdev || wdm_iomap_in_device(m, pdev))
			list_move_tail(&m->node, &left);
	raw_spin_unlock_irqrestore(&wdm_iomaps_lock, flags);

	list_for_each_entry_safe(m, next, &left, node) {
		wdm_report_bug(m->caller,
			       "MmMapIoSpace() mapping %p of %pa (%zu bytes) never unmapped: unmapped at %s",
			       (__force void *)m->addr, &m->phys, m->len, when);
		iounmap(m->addr);
		list_del(&m->node);
		kfree(m);
		n++;
	}
	return n;
}

/*
 * wdm_iomap_bus_notify() - PCI bus events: a removed device's mappings
 * @nb: wdm_iomap_nb
 * @action: the BUS_NOTIFY_* event
 * @data: the struct device
 *
 * BUS_NOTIFY_REMOVED_DEVICE comes once the device is gone: its driver has
 * been unbound (its remove routine had its chance to unmap) and nothing may
 * use its BARs any more. Unbinding alone does not count: a mapping made
 * outside the bound driver may still be in use then.
 *
 * Context: process context; may sleep.
 * Return: NOTIFY_OK if the event was a removal, else NOTIFY_DONE.
 */
VISIBLE_IF_KUNIT int wdm_iomap_bus_notify(struct notifier_block *nb,
					  unsigned long action, void *data)
{
	struct pci_dev *pdev = to_pci_dev(data);

	if (action != BUS_NOTIFY_REMOVED_DEVICE)
		return NOTIFY_DONE;
	wdm_iomap_reap(pdev, pci_name(pdev));
	return NOTIFY_OK;
}
EXPORT_SYMBOL_IF_KUNIT(wdm_iomap_bus_notify);

static struct notifier_block wdm_iomap_nb = {
	.notifier_call = wdm_iomap_bus_notify,
};

int wdm_iomap_init(void)
{
	return bus_register_notifier(&pci_bus_type, &wdm_iomap_nb);
}

/* Module exit: nothing may use a mapping once wdm.ko's routines are gone. */
void wdm_iomap_exit(void)
{
	bus_unregister_notifier(&pci_bus_type, &wdm_iomap_nb);
	wdm_iomap_reap(NULL, "wdm.ko unload");
}

/**
 * HalGetInterruptVector() - the vector, IRQL and affinity of a bus interrupt
 * @InterfaceType: the bus type, e.g. PCIBus (not used: every bus's
 *	interrupts are Linux IRQs)
 * @BusNumber: the bus number (not used)
 * @BusInterruptLevel: the interrupt line, as a raw resource gives it
 * @BusInterruptVector: the same (the Linux IRQ number)
 * @Irql: receives the IRQL to pass to IoConnectInterrupt
 * @Affinity: receives the processors it may be delivered to
 *
 * For legacy drivers: the result and the two values are what a translated
 * interrupt resource would carry.
 *
 * Context: any.
 * Return: the vector (the Linux IRQ number) for IoConnectInterrupt, or 0
 * (with *Irql and *Affinity 0) if there is no such IRQ.
 */
ULONG HalGetInterruptVector(INTERFACE_TYPE InterfaceType, ULONG BusNumber,
			    ULONG BusInterruptLevel, ULONG BusInterruptVector,
			    PKIRQL Irql, PKAFFINITY Affinity)
{
	if (!BusInterruptVector || !irq_get_irq_data(BusInterruptVector)) {
		*Irql = PASSIVE_LEVEL;
		*Affinity = 0;
		return 0;
	}
	*Irql = wdm_irq_level(BusInterruptVector);
	*Affinity = KeQueryActiveProcessors();
	return BusInterruptVector;
}
EXPORT_SYMBOL_GPL(HalGetInterruptVector);
