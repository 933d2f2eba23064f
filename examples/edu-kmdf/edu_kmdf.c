// SPDX-License-Identifier: GPL-2.0
/*
 * edu_kmdf.ko: a KMDF driver for QEMU's edu device (1234:11e8), written the
 * way Microsoft's KMDF samples (PLX9x5x, pcidrv) write one, built against
 * the installed wdm.ko kit (wdf.h, docs/porting.md) and nothing else of
 * wdmisr.
 *
 *  - DriverEntry creates the WDFDRIVER; EduEvtDeviceAdd registers the PnP
 *    and power callbacks, creates the WDFDEVICE with its DEVICE_CONTEXT and
 *    one WDFINTERRUPT with its INTERRUPT_CONTEXT. The framework gives it
 *    edu's MSI message (or its line on a device without MSI) and connects it
 *    around D0; the driver never connects anything itself.
 *  - EduEvtDevicePrepareHardware maps BAR0 from the translated resource list
 *    with MmMapIoSpaceEx and reads edu's ID register; ReleaseHardware unmaps.
 *  - EduEvtInterruptIsr reads edu's status register, acknowledges what it
 *    finds and queues the DPC (WdfInterruptQueueDpcForIsr);
 *    EduEvtInterruptDpc counts its runs. The ISR's counters are read under
 *    the interrupt lock with WdfInterruptSynchronize.
 *  - EduEvtInterruptEnable/Disable: edu has no interrupt-enable register;
 *    they read its ID register (harmless) and count.
 *
 * /sys/bus/pci/devices/BDF/edu_kmdf/ holds id (read in PrepareHardware),
 * isr_calls, claimed (TRUE returns), dpc_runs, message_signaled and vector
 * (WdfInterruptGetInfo). /sys/bus/pci/drivers/edu_kmdf/events lists the
 * callbacks the framework made, in order, since the module was loaded.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/pci.h>
#include <linux/sysfs.h>
#include <wdf.h>

/* QEMU's edu device (QEMU's docs/specs/edu.rst): IDs and BAR0 registers */
#define EDU_VENDOR_ID		0x1234
#define EDU_DEVICE_ID		0x11e8
#define EDU_REG_ID		0x00	/* 0xRRrr00ed: version RR.rr */
#define EDU_REG_IRQ_STATUS	0x24	/* raised bits, read-only */
#define EDU_REG_IRQ_ACK		0x64	/* write: clear these status bits */

typedef struct _DEVICE_CONTEXT {
	PUCHAR Registers;		/* BAR0, MmMapIoSpaceEx */
	ULONG RegistersLength;
	ULONG Id;			/* EDU_REG_ID in PrepareHardware */
	WDFINTERRUPT Interrupt;
} DEVICE_CONTEXT, *PDEVICE_CONTEXT;

WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(DEVICE_CONTEXT, DeviceGetContext);

typedef struct _INTERRUPT_CONTEXT {
	/* Written by the ISR under the interrupt lock */
	ULONG IsrCalls;
	ULONG Claimed;
	LONG DpcRuns;
} INTERRUPT_CONTEXT, *PINTERRUPT_CONTEXT;

WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(INTERRUPT_CONTEXT, InterruptGetContext);

#define EDU_REG(ctx, offset)	((PULONG)((ctx)->Registers + (offset)))

/*
 * The callbacks the framework made, in order, for all devices: one short
 * name each. Written at any IRQL, so under a spin lock raised to the
 * device level.
 */
#define EDU_EVENTS	64
static const char *edu_events[EDU_EVENTS];
static unsigned int edu_nevents;
static DEFINE_RAW_SPINLOCK(edu_events_lock);

static void edu_event(const char *name)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&edu_events_lock, flags);
	if (edu_nevents < EDU_EVENTS)
		edu_events[edu_nevents++] = name;
	raw_spin_unlock_irqrestore(&edu_events_lock, flags);
}

static DRIVER_INITIALIZE DriverEntry;
static EVT_WDF_DRIVER_DEVICE_ADD EduEvtDeviceAdd;
static EVT_WDF_DEVICE_PREPARE_HARDWARE EduEvtDevicePrepareHardware;
static EVT_WDF_DEVICE_RELEASE_HARDWARE EduEvtDeviceReleaseHardware;
static EVT_WDF_DEVICE_D0_ENTRY EduEvtDeviceD0Entry;
static EVT_WDF_DEVICE_D0_EXIT EduEvtDeviceD0Exit;
static EVT_WDF_INTERRUPT_ISR EduEvtInterruptIsr;
static EVT_WDF_INTERRUPT_DPC EduEvtInterruptDpc;
static EVT_WDF_INTERRUPT_ENABLE EduEvtInterruptEnable;
static EVT_WDF_INTERRUPT_DISABLE EduEvtInterruptDisable;
static EVT_WDF_INTERRUPT_SYNCHRONIZE EduReadCounters;

_Use_decl_annotations_
static BOOLEAN EduEvtInterruptIsr(WDFINTERRUPT Interrupt, ULONG MessageID)
{
	PDEVICE_CONTEXT devCtx = DeviceGetContext(WdfInterruptGetDevice(Interrupt));
	PINTERRUPT_CONTEXT intCtx = InterruptGetContext(Interrupt);
	ULONG status;

	intCtx->IsrCalls++;
	status = READ_REGISTER_ULONG(EDU_REG(devCtx, EDU_REG_IRQ_STATUS));
	/* 0: not edu's (a shared line). All ones: edu is gone. */
	if (!status || status == ~0U)
		return FALSE;
	WRITE_REGISTER_ULONG(EDU_REG(devCtx, EDU_REG_IRQ_ACK), status);
	intCtx->Claimed++;
	WdfInterruptQueueDpcForIsr(Interrupt);
	return TRUE;
}

_Use_decl_annotations_
static VOID EduEvtInterruptDpc(WDFINTERRUPT Interrupt, WDFOBJECT AssociatedObject)
{
	InterlockedIncrement(&InterruptGetContext(Interrupt)->DpcRuns);
}

/* At the interrupt's DIRQL, under its lock. edu has no enable register. */
_Use_decl_annotations_
static NTSTATUS EduEvtInterruptEnable(WDFINTERRUPT Interrupt, WDFDEVICE AssociatedDevice)
{
	PDEVICE_CONTEXT devCtx = DeviceGetContext(AssociatedDevice);

	if (READ_REGISTER_ULONG(EDU_REG(devCtx, EDU_REG_ID)) != devCtx->Id)
		return STATUS_DEVICE_NOT_CONNECTED;
	edu_event(KeGetCurrentIrql() > DISPATCH_LEVEL ? "InterruptEnable@DIRQL" :
							"InterruptEnable");
	return STATUS_SUCCESS;
}

_Use_decl_annotations_
static NTSTATUS EduEvtInterruptDisable(WDFINTERRUPT Interrupt, WDFDEVICE AssociatedDevice)
{
	edu_event(KeGetCurrentIrql() > DISPATCH_LEVEL ? "InterruptDisable@DIRQL" :
							"InterruptDisable");
	return STATUS_SUCCESS;
}

_Use_decl_annotations_
static NTSTATUS EduEvtDevicePrepareHardware(WDFDEVICE Device, WDFCMRESLIST ResourcesRaw,
					    WDFCMRESLIST ResourcesTranslated)
{
	PDEVICE_CONTEXT devCtx = DeviceGetContext(Device);
	PCM_PARTIAL_RESOURCE_DESCRIPTOR desc;
	ULONG i;

	edu_event("PrepareHardware");
	for (i = 0; i < WdfCmResourceListGetCount(ResourcesTranslated); i++) {
		desc = WdfCmResourceListGetDescriptor(ResourcesTranslated, i);
		/* edu has one memory range: its registers */
		if (desc->Type != CmResourceTypeMemory || devCtx->Registers)
			continue;
		devCtx->Registers = MmMapIoSpaceEx(desc->u.Memory.Start, desc->u.Memory.Length,
						   PAGE_READWRITE | PAGE_NOCACHE);
		if (!devCtx->Registers)
			return STATUS_INSUFFICIENT_RESOURCES;
		devCtx->RegistersLength = desc->u.Memory.Length;
	}
	if (!devCtx->Registers)
		return STATUS_DEVICE_CONFIGURATION_ERROR;
	devCtx->Id = READ_REGISTER_ULONG(EDU_REG(devCtx, EDU_REG_ID));
	return STATUS_SUCCESS;
}

_Use_decl_annotations_
static NTSTATUS EduEvtDeviceReleaseHardware(WDFDEVICE Device, WDFCMRESLIST ResourcesTranslated)
{
	PDEVICE_CONTEXT devCtx = DeviceGetContext(Device);

	edu_event("ReleaseHardware");
	if (devCtx->Registers)
		MmUnmapIoSpace(devCtx->Registers, devCtx->RegistersLength);
	devCtx->Registers = NULL;
	return STATUS_SUCCESS;
}

_Use_decl_annotations_
static NTSTATUS EduEvtDeviceD0Entry(WDFDEVICE Device, WDF_POWER_DEVICE_STATE PreviousState)
{
	edu_event(PreviousState == WdfPowerDeviceD3Final ? "D0Entry(D3Final)" : "D0Entry(D3)");
	return STATUS_SUCCESS;
}

_Use_decl_annotations_
static NTSTATUS EduEvtDeviceD0Exit(WDFDEVICE Device, WDF_POWER_DEVICE_STATE TargetState)
{
	edu_event(TargetState == WdfPowerDeviceD3Final ? "D0Exit(D3Final)" : "D0Exit(D3)");
	return STATUS_SUCCESS;
}

_Use_decl_annotations_
static NTSTATUS EduEvtDeviceAdd(WDFDRIVER Driver, PWDFDEVICE_INIT DeviceInit)
{
	WDF_PNPPOWER_EVENT_CALLBACKS pnpPowerCallbacks;
	WDF_OBJECT_ATTRIBUTES attributes;
	WDF_INTERRUPT_CONFIG interruptConfig;
	PDEVICE_CONTEXT devCtx;
	WDFDEVICE device;
	NTSTATUS status;

	edu_event("DeviceAdd");
	WDF_PNPPOWER_EVENT_CALLBACKS_INIT(&pnpPowerCallbacks);
	pnpPowerCallbacks.EvtDevicePrepareHardware = EduEvtDevicePrepareHardware;
	pnpPowerCallbacks.EvtDeviceReleaseHardware = EduEvtDeviceReleaseHardware;
	pnpPowerCallbacks.EvtDeviceD0Entry = EduEvtDeviceD0Entry;
	pnpPowerCallbacks.EvtDeviceD0Exit = EduEvtDeviceD0Exit;
	WdfDeviceInitSetPnpPowerEventCallbacks(DeviceInit, &pnpPowerCallbacks);

	WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&attributes, DEVICE_CONTEXT);
	status = WdfDeviceCreate(&DeviceInit, &attributes, &device);
	if (!NT_SUCCESS(status))
		return status;
	devCtx = DeviceGetContext(device);

	WDF_INTERRUPT_CONFIG_INIT(&interruptConfig, EduEvtInterruptIsr, EduEvtInterruptDpc);
	interruptConfig.EvtInterruptEnable = EduEvtInterruptEnable;
	interruptConfig.EvtInterruptDisable = EduEvtInterruptDisable;
	WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&attributes, INTERRUPT_CONTEXT);
	return WdfInterruptCreate(device, &interruptConfig, &attributes, &devCtx->Interrupt);
}

_Use_decl_annotations_
static NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	WDF_DRIVER_CONFIG config;

	WDF_DRIVER_CONFIG_INIT(&config, EduEvtDeviceAdd);
	return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, &config,
			       WDF_NO_HANDLE);
}

/*
 * sysfs
 */

static PDEVICE_CONTEXT edu_ctx(struct device *dev)
{
	return DeviceGetContext(dev_get_drvdata(dev));
}

_Use_decl_annotations_
static BOOLEAN EduReadCounters(WDFINTERRUPT Interrupt, WDFCONTEXT Context)
{
	*(INTERRUPT_CONTEXT *)Context = *InterruptGetContext(Interrupt);
	return TRUE;
}

/* The ISR's counters, taken together under the interrupt lock. */
static INTERRUPT_CONTEXT edu_counters(struct device *dev)
{
	INTERRUPT_CONTEXT c;

	WdfInterruptSynchronize(edu_ctx(dev)->Interrupt, EduReadCounters, &c);
	return c;
}

static ssize_t id_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "0x%08x\n", edu_ctx(dev)->Id);
}
static DEVICE_ATTR_RO(id);

static ssize_t isr_calls_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", edu_counters(dev).IsrCalls);
}
static DEVICE_ATTR_RO(isr_calls);

static ssize_t claimed_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", edu_counters(dev).Claimed);
}
static DEVICE_ATTR_RO(claimed);

static ssize_t dpc_runs_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n",
			  READ_ONCE(InterruptGetContext(edu_ctx(dev)->Interrupt)->DpcRuns));
}
static DEVICE_ATTR_RO(dpc_runs);

static WDF_INTERRUPT_INFO edu_info(struct device *dev)
{
	WDF_INTERRUPT_INFO info;

	WDF_INTERRUPT_INFO_INIT(&info);
	WdfInterruptGetInfo(edu_ctx(dev)->Interrupt, &info);
	return info;
}

static ssize_t message_signaled_show(struct device *dev, struct device_attribute *attr,
				     char *buf)
{
	return sysfs_emit(buf, "%u\n", edu_info(dev).MessageSignaled);
}
static DEVICE_ATTR_RO(message_signaled);

static ssize_t vector_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", edu_info(dev).Vector);
}
static DEVICE_ATTR_RO(vector);

static struct attribute *edu_kmdf_attrs[] = {
	&dev_attr_id.attr,
	&dev_attr_isr_calls.attr,
	&dev_attr_claimed.attr,
	&dev_attr_dpc_runs.attr,
	&dev_attr_message_signaled.attr,
	&dev_attr_vector.attr,
	NULL,
};

static const struct attribute_group edu_kmdf_group = {
	.name = "edu_kmdf",
	.attrs = edu_kmdf_attrs,
};
__ATTRIBUTE_GROUPS(edu_kmdf);

/* The framework's callbacks so far, one per line. */
static ssize_t events_show(struct device_driver *drv, char *buf)
{
	const char *names[EDU_EVENTS];
	unsigned int i, n;
	int len = 0;

	raw_spin_lock_irq(&edu_events_lock);
	n = edu_nevents;
	memcpy(names, edu_events, sizeof(names));
	raw_spin_unlock_irq(&edu_events_lock);
	for (i = 0; i < n; i++)
		len += sysfs_emit_at(buf, len, "%s\n", names[i]);
	return len;
}
static DRIVER_ATTR_RO(events);

static struct attribute *edu_kmdf_driver_attrs[] = {
	&driver_attr_events.attr,
	NULL,
};
ATTRIBUTE_GROUPS(edu_kmdf_driver);

static const struct pci_device_id edu_kmdf_ids[] = {
	{ PCI_DEVICE(EDU_VENDOR_ID, EDU_DEVICE_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, edu_kmdf_ids);

static struct wdf_pci_driver edu_kmdf_driver = {
	.name = "edu_kmdf",
	.id_table = edu_kmdf_ids,
	.DriverEntry = DriverEntry,
	.dev_groups = edu_kmdf_groups,
	.groups = edu_kmdf_driver_groups,
};
module_wdf_pci_driver(edu_kmdf_driver);

MODULE_DESCRIPTION("A KMDF-style driver for QEMU's edu device, on wdm.ko");
MODULE_AUTHOR("The wdmisr developers");
MODULE_LICENSE("GPL");
MODULE_SOFTDEP("pre: wdm");
