// SPDX-License-Identifier: GPL-2.0
/*
 * edu_wdm.ko: a PCI driver for QEMU's edu device (1234:11e8), written the
 * way Microsoft's documentation writes a WDM driver, built against the
 * installed wdm.ko kit (docs/porting.md) and nothing else of wdmisr.
 *
 *  - Start (probe) takes the raw and translated resource lists that
 *    IRP_MN_START_DEVICE carries (wdm_get_resources) and walks the
 *    translated one: the memory range is mapped with MmMapIoSpaceEx and
 *    read and written with READ_REGISTER_ULONG and WRITE_REGISTER_ULONG;
 *    the line and message interrupt descriptors are noted. sysfs shows the
 *    two lists side by side.
 *  - EduInterruptMessageService (KMESSAGE_SERVICE_ROUTINE) takes edu's MSI,
 *    EduInterruptService (KSERVICE_ROUTINE) its line: one
 *    IoConnectInterruptEx(CONNECT_MESSAGE_BASED) call with the line routine
 *    as the FallBackServiceRoutine; msi=0 offers no messages, so the line
 *    is connected. SynchronizeIrql is PASSIVE_LEVEL, as Windows drivers pass.
 *    fully_specified=1 connects the line with CONNECT_FULLY_SPECIFIED from
 *    the translated line descriptor instead.
 *  - Either ISR acknowledges edu's interrupt and calls IoRequestDpc. The
 *    DpcForIsr (IoInitializeDpcRequest) queues the work item, unless it is
 *    still queued (then that one run covers this DPC too), and sets the
 *    event a waiter may be waiting on.
 *  - The counters the ISR updates are read under the interrupt's spin lock
 *    with KeSynchronizeExecution, from process context (sysfs).
 *  - Remove disconnects (IoDisconnectInterruptEx, which waits for the
 *    DpcForIsr), waits for the work item, then frees it, unmaps the
 *    registers and frees the resource lists.
 *
 * /sys/bus/pci/devices/BDF/edu_wdm/ holds connect_version (what
 * IoConnectInterruptEx wrote back), id (edu's ID register, read at start),
 * resources (the descriptors start saw), isr_calls, claimed (TRUE
 * returns), dpc_runs and workitem_runs. Writing N to wait_interrupt writes
 * N to edu's raise register and waits up to 1 s for the DpcForIsr; reading
 * it gives that wait's NTSTATUS. A test raises edu interrupts by writing
 * EDU_REG_IRQ_RAISE.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/sysfs.h>
#include <wdm.h>

/* QEMU's edu device (QEMU's docs/specs/edu.rst): IDs and BAR0 registers */
#define EDU_VENDOR_ID		0x1234
#define EDU_DEVICE_ID		0x11e8
#define EDU_REG_ID		0x00	/* 0xRRrr00ed: version RR.rr */
#define EDU_REG_IRQ_STATUS	0x24	/* raised bits, read-only */
#define EDU_REG_IRQ_RAISE	0x60	/* write: OR into the status, raise */
#define EDU_REG_IRQ_ACK		0x64	/* write: clear these status bits */

static bool msi = true;
module_param(msi, bool, 0444);
MODULE_PARM_DESC(msi, "offer edu's MSI (EduInterruptMessageService); "
		 "N: connect its line (EduInterruptService) (default Y)");

static bool fully_specified;
module_param(fully_specified, bool, 0444);
MODULE_PARM_DESC(fully_specified,
		 "connect the line fully specified, from its resource (default N)");

/* The device extension */
struct edu_ext {
	PUCHAR registers;		/* edu's memory range, MmMapIoSpaceEx */
	ULONG registers_length;
	PCM_RESOURCE_LIST raw;		/* IRP_MN_START_DEVICE's two lists */
	PCM_RESOURCE_LIST translated;
	PCM_PARTIAL_RESOURCE_DESCRIPTOR line;	/* translated, or NULL */
	ULONG messages;			/* message descriptors */
	ULONG id;			/* EDU_REG_ID at start */
	DEVICE_OBJECT devobj;		/* the PhysicalDeviceObject; carries the DpcForIsr */
	ULONG version;			/* what IoConnectInterruptEx wrote back */
	PVOID conn;			/* its interrupt object or message table */
	PKINTERRUPT interrupt;		/* for KeSynchronizeExecution */
	/* Written by the ISRs under the interrupt spin lock */
	ULONG isr_calls;
	ULONG claimed;
	LONG dpc_runs;			/* DpcForIsr runs */
	KEVENT dpc_event;		/* set by each DpcForIsr */
	PIO_WORKITEM work_item;
	LONG work_queued;		/* TRUE from IoQueueWorkItem to its run */
	LONG work_outstanding;		/* items queued or running, + 1 until remove */
	KEVENT work_idle;		/* set when work_outstanding drops to 0 */
	LONG workitem_runs;
	struct mutex wait_lock;		/* one raise-and-wait at a time */
	NTSTATUS wait_status;		/* the last wait's, under wait_lock */
};

#define EDU_REG(ext, offset)	((PULONG)((ext)->registers + (offset)))

/* What EduReadCounters copies out */
struct edu_counters {
	struct edu_ext *ext;
	ULONG isr_calls;
	ULONG claimed;
};

static KSERVICE_ROUTINE EduInterruptService;
static KMESSAGE_SERVICE_ROUTINE EduInterruptMessageService;
static IO_DPC_ROUTINE EduDpcForIsr;
static IO_WORKITEM_ROUTINE EduWorkItem;
static KSYNCHRONIZE_ROUTINE EduReadCounters;

/* Acknowledge edu's interrupt if it raised one. Under the interrupt lock. */
static BOOLEAN edu_service(struct edu_ext *ext)
{
	ULONG status;

	ext->isr_calls++;
	status = READ_REGISTER_ULONG(EDU_REG(ext, EDU_REG_IRQ_STATUS));
	/* 0: not edu's (a shared line). All ones: edu is gone. */
	if (!status || status == ~0U)
		return FALSE;
	WRITE_REGISTER_ULONG(EDU_REG(ext, EDU_REG_IRQ_ACK), status);
	ext->claimed++;
	IoRequestDpc(&ext->devobj, NULL, ext);
	return TRUE;
}

_Use_decl_annotations_
static BOOLEAN EduInterruptService(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
	return edu_service(ServiceContext);
}

_Use_decl_annotations_
static BOOLEAN EduInterruptMessageService(PKINTERRUPT Interrupt,
					  PVOID ServiceContext, ULONG MessageId)
{
	struct edu_ext *ext = ServiceContext;

	/* edu has one message; any other ID is not its. */
	if (MessageId != 0) {
		ext->isr_calls++;
		return FALSE;
	}
	return edu_service(ext);
}

_Use_decl_annotations_
static VOID EduDpcForIsr(PKDPC Dpc, PDEVICE_OBJECT DeviceObject, PIRP Irp,
			 PVOID Context)
{
	struct edu_ext *ext = Context;

	InterlockedIncrement(&ext->dpc_runs);
	/* Still queued: its run, still to come, covers this DPC too. */
	if (!InterlockedExchange(&ext->work_queued, TRUE)) {
		InterlockedIncrement(&ext->work_outstanding);
		IoQueueWorkItem(ext->work_item, EduWorkItem, DelayedWorkQueue, ext);
	}
	KeSetEvent(&ext->dpc_event, IO_NO_INCREMENT, FALSE);
}

/* PASSIVE_LEVEL, in a system worker thread. */
_Use_decl_annotations_
static VOID EduWorkItem(PDEVICE_OBJECT DeviceObject, PVOID Context)
{
	struct edu_ext *ext = Context;

	/* Dequeued: a DPC from now on queues the item again. */
	InterlockedExchange(&ext->work_queued, FALSE);
	InterlockedIncrement(&ext->workitem_runs);
	if (!InterlockedDecrement(&ext->work_outstanding))
		KeSetEvent(&ext->work_idle, IO_NO_INCREMENT, FALSE);
}

_Use_decl_annotations_
static BOOLEAN EduReadCounters(PVOID SynchronizeContext)
{
	struct edu_counters *c = SynchronizeContext;

	c->isr_calls = c->ext->isr_calls;
	c->claimed = c->ext->claimed;
	return TRUE;
}

/*
 * sysfs
 */

static ssize_t connect_version_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	struct edu_ext *ext = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%s\n",
			  ext->version == CONNECT_FULLY_SPECIFIED ? "CONNECT_FULLY_SPECIFIED" :
			  ext->version == CONNECT_LINE_BASED ? "CONNECT_LINE_BASED" :
			  "CONNECT_MESSAGE_BASED");
}
static DEVICE_ATTR_RO(connect_version);

static ssize_t id_show(struct device *dev, struct device_attribute *attr,
		       char *buf)
{
	struct edu_ext *ext = dev_get_drvdata(dev);

	return sysfs_emit(buf, "0x%08x\n", ext->id);
}
static DEVICE_ATTR_RO(id);

/*
 * One line per descriptor, in the lists' order: "memory BUS CPU LENGTH"
 * (the raw and the translated start), "interrupt VECTOR MODE" for the line,
 * "message ID" for each message.
 */
static ssize_t resources_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	struct edu_ext *ext = dev_get_drvdata(dev);
	PCM_PARTIAL_RESOURCE_LIST rl = &ext->raw->List[0].PartialResourceList;
	PCM_PARTIAL_RESOURCE_LIST tl = &ext->translated->List[0].PartialResourceList;
	PCM_PARTIAL_RESOURCE_DESCRIPTOR r, t;
	int len = 0;
	ULONG i;

	for (i = 0; i < tl->Count; i++) {
		r = &rl->PartialDescriptors[i];
		t = &tl->PartialDescriptors[i];
		if (t->Type == CmResourceTypeMemory)
			len += sysfs_emit_at(buf, len, "memory 0x%016llx 0x%016llx 0x%x\n",
					     r->u.Memory.Start.QuadPart,
					     t->u.Memory.Start.QuadPart, t->u.Memory.Length);
		else if (t->Type != CmResourceTypeInterrupt)
			len += sysfs_emit_at(buf, len, "type %u\n", t->Type);
		else if (t->Flags & CM_RESOURCE_INTERRUPT_MESSAGE)
			len += sysfs_emit_at(buf, len, "message %u\n",
					     t->u.MessageInterrupt.Translated.Vector);
		else
			len += sysfs_emit_at(buf, len, "interrupt %u %s\n", t->u.Interrupt.Vector,
					     t->Flags & CM_RESOURCE_INTERRUPT_LATCHED ?
					     "Latched" : "LevelSensitive");
	}
	return len;
}
static DEVICE_ATTR_RO(resources);

/* Both ISR counters, taken together under the interrupt's lock. */
static struct edu_counters edu_read_counters(struct device *dev)
{
	struct edu_counters c = { .ext = dev_get_drvdata(dev) };

	KeSynchronizeExecution(c.ext->interrupt, EduReadCounters, &c);
	return c;
}

static ssize_t isr_calls_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", edu_read_counters(dev).isr_calls);
}
static DEVICE_ATTR_RO(isr_calls);

static ssize_t claimed_show(struct device *dev,
			    struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", edu_read_counters(dev).claimed);
}
static DEVICE_ATTR_RO(claimed);

static ssize_t dpc_runs_show(struct device *dev,
			     struct device_attribute *attr, char *buf)
{
	struct edu_ext *ext = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%d\n", READ_ONCE(ext->dpc_runs));
}
static DEVICE_ATTR_RO(dpc_runs);

static ssize_t workitem_runs_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	struct edu_ext *ext = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%d\n", READ_ONCE(ext->workitem_runs));
}
static DEVICE_ATTR_RO(workitem_runs);

static ssize_t wait_interrupt_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	struct edu_ext *ext = dev_get_drvdata(dev);
	NTSTATUS status;

	mutex_lock(&ext->wait_lock);
	status = ext->wait_status;
	mutex_unlock(&ext->wait_lock);
	return sysfs_emit(buf, "0x%08x\n", (u32)status);
}

/* Raise edu's interrupt with these status bits and wait for the DpcForIsr. */
static ssize_t wait_interrupt_store(struct device *dev,
				    struct device_attribute *attr,
				    const char *buf, size_t count)
{
	struct edu_ext *ext = dev_get_drvdata(dev);
	LARGE_INTEGER timeout = { .QuadPart = -10 * 1000 * 1000 };	/* 1 s */
	u32 bits;
	int err;

	err = kstrtou32(buf, 0, &bits);
	if (err)
		return err;
	mutex_lock(&ext->wait_lock);
	KeClearEvent(&ext->dpc_event);
	WRITE_REGISTER_ULONG(EDU_REG(ext, EDU_REG_IRQ_RAISE), bits);
	ext->wait_status = KeWaitForSingleObject(&ext->dpc_event, Executive,
						 KernelMode, FALSE, &timeout);
	mutex_unlock(&ext->wait_lock);
	return count;
}
static DEVICE_ATTR_RW(wait_interrupt);

static struct attribute *edu_wdm_attrs[] = {
	&dev_attr_connect_version.attr,
	&dev_attr_id.attr,
	&dev_attr_resources.attr,
	&dev_attr_isr_calls.attr,
	&dev_attr_claimed.attr,
	&dev_attr_dpc_runs.attr,
	&dev_attr_workitem_runs.attr,
	&dev_attr_wait_interrupt.attr,
	NULL,
};

static const struct attribute_group edu_wdm_group = {
	.name = "edu_wdm",
	.attrs = edu_wdm_attrs,
};
__ATTRIBUTE_GROUPS(edu_wdm);

/*
 * PCI driver: probe stands for IRP_MN_START_DEVICE, remove for
 * IRP_MN_REMOVE_DEVICE.
 */

/* Walk the translated list: map the registers, note the interrupts. */
static NTSTATUS edu_start_resources(struct edu_ext *ext)
{
	PCM_PARTIAL_RESOURCE_LIST tl = &ext->translated->List[0].PartialResourceList;
	PCM_PARTIAL_RESOURCE_DESCRIPTOR t;
	ULONG i;

	for (i = 0; i < tl->Count; i++) {
		t = &tl->PartialDescriptors[i];
		switch (t->Type) {
		case CmResourceTypeMemory:
			/* edu has one memory range: its registers */
			if (ext->registers)
				break;
			ext->registers = MmMapIoSpaceEx(t->u.Memory.Start, t->u.Memory.Length,
							PAGE_READWRITE | PAGE_NOCACHE);
			if (!ext->registers)
				return STATUS_INSUFFICIENT_RESOURCES;
			ext->registers_length = t->u.Memory.Length;
			break;
		case CmResourceTypeInterrupt:
			if (t->Flags & CM_RESOURCE_INTERRUPT_MESSAGE)
				ext->messages++;
			else
				ext->line = t;
			break;
		}
	}
	return ext->registers ? STATUS_SUCCESS : STATUS_DEVICE_CONFIGURATION_ERROR;
}

/* The pre-Vista way: the translated line descriptor's values, as they are. */
static NTSTATUS edu_connect_fully_specified(struct edu_ext *ext)
{
	IO_CONNECT_INTERRUPT_PARAMETERS p = { .Version = CONNECT_FULLY_SPECIFIED };
	PCM_PARTIAL_RESOURCE_DESCRIPTOR d = ext->line;
	NTSTATUS status;

	if (!d)
		return STATUS_DEVICE_CONFIGURATION_ERROR;
	p.FullySpecified.PhysicalDeviceObject = &ext->devobj;
	p.FullySpecified.InterruptObject = &ext->interrupt;
	p.FullySpecified.ServiceRoutine = EduInterruptService;
	p.FullySpecified.ServiceContext = ext;
	p.FullySpecified.SpinLock = NULL;
	p.FullySpecified.SynchronizeIrql = (KIRQL)d->u.Interrupt.Level;
	p.FullySpecified.FloatingSave = FALSE;
	p.FullySpecified.ShareVector = d->ShareDisposition == CmResourceShareShared;
	p.FullySpecified.Vector = d->u.Interrupt.Vector;
	p.FullySpecified.Irql = (KIRQL)d->u.Interrupt.Level;
	p.FullySpecified.InterruptMode = d->Flags & CM_RESOURCE_INTERRUPT_LATCHED ?
					 Latched : LevelSensitive;
	p.FullySpecified.ProcessorEnableMask = d->u.Interrupt.Affinity;
	status = IoConnectInterruptEx(&p);
	if (NT_SUCCESS(status)) {
		ext->version = CONNECT_FULLY_SPECIFIED;
		ext->conn = ext->interrupt;
	}
	return status;
}

static NTSTATUS edu_connect_message_based(struct edu_ext *ext)
{
	IO_CONNECT_INTERRUPT_PARAMETERS p = { .Version = CONNECT_MESSAGE_BASED };
	PIO_INTERRUPT_MESSAGE_INFO table;
	NTSTATUS status;

	p.MessageBased.PhysicalDeviceObject = &ext->devobj;
	p.MessageBased.ConnectionContext.Generic = &ext->conn;
	p.MessageBased.MessageServiceRoutine = EduInterruptMessageService;
	p.MessageBased.ServiceContext = ext;
	p.MessageBased.SpinLock = NULL;
	p.MessageBased.SynchronizeIrql = PASSIVE_LEVEL;
	p.MessageBased.FloatingSave = FALSE;
	p.MessageBased.FallBackServiceRoutine = EduInterruptService;
	status = IoConnectInterruptEx(&p);
	if (!NT_SUCCESS(status))
		return status;
	ext->version = p.Version;
	if (p.Version == CONNECT_LINE_BASED) {
		ext->interrupt = ext->conn;
	} else {
		table = ext->conn;
		ext->interrupt = table->MessageInfo[0].InterruptObject;
	}
	return status;
}

static int edu_wdm_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct edu_ext *ext;
	NTSTATUS status;
	int err;

	ext = devm_kzalloc(&pdev->dev, sizeof(*ext), GFP_KERNEL);
	if (!ext)
		return -ENOMEM;
	err = pcim_enable_device(pdev);
	if (err)
		return err;
	/* An MSI message is a DMA write. */
	pci_set_master(pdev);
	pci_set_drvdata(pdev, ext);

	wdm_init_device_object(&ext->devobj, pdev);
	ext->devobj.DeviceExtension = ext;
	ext->devobj.MessageTypes = msi ? WDM_MESSAGE_MSI : 0;
	IoInitializeDpcRequest(&ext->devobj, EduDpcForIsr);
	KeInitializeEvent(&ext->dpc_event, NotificationEvent, FALSE);
	KeInitializeEvent(&ext->work_idle, NotificationEvent, FALSE);
	ext->work_outstanding = 1;
	mutex_init(&ext->wait_lock);

	status = wdm_get_resources(&ext->devobj, &ext->raw, &ext->translated);
	if (!NT_SUCCESS(status))
		goto err_status;
	status = edu_start_resources(ext);
	if (!NT_SUCCESS(status))
		goto err_unmap;
	ext->id = READ_REGISTER_ULONG(EDU_REG(ext, EDU_REG_ID));
	ext->work_item = IoAllocateWorkItem(&ext->devobj);
	if (!ext->work_item) {
		status = STATUS_INSUFFICIENT_RESOURCES;
		goto err_unmap;
	}

	status = fully_specified ? edu_connect_fully_specified(ext) :
				   edu_connect_message_based(ext);
	if (!NT_SUCCESS(status)) {
		pci_err(pdev, "IoConnectInterruptEx failed: NTSTATUS 0x%08x\n",
			(u32)status);
		goto err_free_work_item;
	}
	pci_info(pdev, "ID 0x%08x, %u message(s), %s connected\n", ext->id,
		 ext->messages, ext->version == CONNECT_MESSAGE_BASED ?
		 "EduInterruptMessageService" : "EduInterruptService");
	return 0;

err_free_work_item:
	IoFreeWorkItem(ext->work_item);
err_unmap:
	if (ext->registers)
		MmUnmapIoSpace(ext->registers, ext->registers_length);
	wdm_free_resources(ext->raw);
	wdm_free_resources(ext->translated);
err_status:
	return wdm_ntstatus_to_errno(status);
}

static void edu_wdm_remove(struct pci_dev *pdev)
{
	struct edu_ext *ext = pci_get_drvdata(pdev);
	IO_DISCONNECT_INTERRUPT_PARAMETERS p = {
		.Version = ext->version,
		.ConnectionContext.Generic = ext->conn,
	};
	NTSTATUS status = IoDisconnectInterruptEx(&p);

	if (!NT_SUCCESS(status))
		pci_err(pdev, "IoDisconnectInterruptEx failed: NTSTATUS 0x%08x\n",
			(u32)status);
	/* No DpcForIsr runs now, so none queues the item: wait for the last. */
	if (InterlockedDecrement(&ext->work_outstanding))
		KeWaitForSingleObject(&ext->work_idle, Executive, KernelMode, FALSE, NULL);
	IoFreeWorkItem(ext->work_item);
	MmUnmapIoSpace(ext->registers, ext->registers_length);
	wdm_free_resources(ext->raw);
	wdm_free_resources(ext->translated);
}

static const struct pci_device_id edu_wdm_ids[] = {
	{ PCI_DEVICE(EDU_VENDOR_ID, EDU_DEVICE_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, edu_wdm_ids);

static struct pci_driver edu_wdm_driver = {
	.name = "edu_wdm",
	.id_table = edu_wdm_ids,
	.probe = edu_wdm_probe,
	.remove = edu_wdm_remove,
	.dev_groups = edu_wdm_groups,
};
module_pci_driver(edu_wdm_driver);

MODULE_DESCRIPTION("A Windows-style driver for QEMU's edu device, on wdm.ko");
MODULE_AUTHOR("The wdmisr developers");
MODULE_LICENSE("GPL");
MODULE_SOFTDEP("pre: wdm");
