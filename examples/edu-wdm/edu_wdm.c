// SPDX-License-Identifier: GPL-2.0
/*
 * edu_wdm.ko: a PCI driver for QEMU's edu device (1234:11e8), written the
 * way Microsoft's documentation writes a WDM driver, built against the
 * installed wdm.ko kit (docs/porting.md) and nothing else of wdmisr.
 *
 *  - EduInterruptMessageService (KMESSAGE_SERVICE_ROUTINE) takes edu's MSI,
 *    EduInterruptService (KSERVICE_ROUTINE) its line: one
 *    IoConnectInterruptEx(CONNECT_MESSAGE_BASED) call with the line routine
 *    as the FallBackServiceRoutine; msi=0 offers no messages, so the line
 *    is connected. SynchronizeIrql is PASSIVE_LEVEL, as Windows drivers pass.
 *  - Either ISR acknowledges edu's interrupt and calls IoRequestDpc; the
 *    DpcForIsr (IoInitializeDpcRequest) runs after it.
 *  - The counters the ISR updates are read under the interrupt's spin lock
 *    with KeSynchronizeExecution, from process context (sysfs).
 *  - Remove calls IoDisconnectInterruptEx.
 *
 * /sys/bus/pci/devices/BDF/edu_wdm/ holds connect_version (what
 * IoConnectInterruptEx wrote back), isr_calls, claimed (TRUE returns) and
 * dpc_runs. A test raises edu interrupts by writing EDU_REG_IRQ_RAISE.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/sysfs.h>
#include <wdm.h>

/* QEMU's edu device (QEMU's docs/specs/edu.rst): IDs and BAR0 registers */
#define EDU_VENDOR_ID		0x1234
#define EDU_DEVICE_ID		0x11e8
#define EDU_REG_IRQ_STATUS	0x24	/* raised bits, read-only */
#define EDU_REG_IRQ_RAISE	0x60	/* write: OR into the status, raise */
#define EDU_REG_IRQ_ACK		0x64	/* write: clear these status bits */

static bool msi = true;
module_param(msi, bool, 0444);
MODULE_PARM_DESC(msi, "offer edu's MSI (EduInterruptMessageService); "
		 "N: connect its line (EduInterruptService) (default Y)");

/* The device extension */
struct edu_ext {
	void __iomem *regs;		/* edu's BAR0 */
	DEVICE_OBJECT devobj;		/* the PhysicalDeviceObject; carries the DpcForIsr */
	ULONG version;			/* what IoConnectInterruptEx wrote back */
	PVOID conn;			/* its interrupt object or message table */
	PKINTERRUPT interrupt;		/* for KeSynchronizeExecution */
	/* Written by the ISRs under the interrupt spin lock */
	ULONG isr_calls;
	ULONG claimed;
	atomic_t dpc_runs;		/* DpcForIsr runs */
};

/* What EduReadCounters copies out */
struct edu_counters {
	struct edu_ext *ext;
	ULONG isr_calls;
	ULONG claimed;
};

static KSERVICE_ROUTINE EduInterruptService;
static KMESSAGE_SERVICE_ROUTINE EduInterruptMessageService;
static IO_DPC_ROUTINE EduDpcForIsr;
static KSYNCHRONIZE_ROUTINE EduReadCounters;

/* Acknowledge edu's interrupt if it raised one. Under the interrupt lock. */
static BOOLEAN edu_service(struct edu_ext *ext)
{
	u32 status;

	ext->isr_calls++;
	status = ioread32(ext->regs + EDU_REG_IRQ_STATUS);
	/* 0: not edu's (a shared line). All ones: edu is gone. */
	if (!status || status == ~0U)
		return FALSE;
	iowrite32(status, ext->regs + EDU_REG_IRQ_ACK);
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

	atomic_inc(&ext->dpc_runs);
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

	return sysfs_emit(buf, "%s\n", ext->version == CONNECT_LINE_BASED ?
			  "CONNECT_LINE_BASED" : "CONNECT_MESSAGE_BASED");
}
static DEVICE_ATTR_RO(connect_version);

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

	return sysfs_emit(buf, "%d\n", atomic_read(&ext->dpc_runs));
}
static DEVICE_ATTR_RO(dpc_runs);

static struct attribute *edu_wdm_attrs[] = {
	&dev_attr_connect_version.attr,
	&dev_attr_isr_calls.attr,
	&dev_attr_claimed.attr,
	&dev_attr_dpc_runs.attr,
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

static int edu_wdm_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	IO_CONNECT_INTERRUPT_PARAMETERS p = { .Version = CONNECT_MESSAGE_BASED };
	PIO_INTERRUPT_MESSAGE_INFO table;
	struct edu_ext *ext;
	NTSTATUS status;
	int err;

	ext = devm_kzalloc(&pdev->dev, sizeof(*ext), GFP_KERNEL);
	if (!ext)
		return -ENOMEM;
	err = pcim_enable_device(pdev);
	if (err)
		return err;
	ext->regs = pcim_iomap(pdev, 0, 0);
	if (!ext->regs)
		return -ENOMEM;
	/* An MSI message is a DMA write. */
	pci_set_master(pdev);
	pci_set_drvdata(pdev, ext);

	wdm_init_device_object(&ext->devobj, pdev);
	ext->devobj.DeviceExtension = ext;
	ext->devobj.MessageTypes = msi ? WDM_MESSAGE_MSI : 0;
	IoInitializeDpcRequest(&ext->devobj, EduDpcForIsr);

	p.MessageBased.PhysicalDeviceObject = &ext->devobj;
	p.MessageBased.ConnectionContext.Generic = &ext->conn;
	p.MessageBased.MessageServiceRoutine = EduInterruptMessageService;
	p.MessageBased.ServiceContext = ext;
	p.MessageBased.SpinLock = NULL;
	p.MessageBased.SynchronizeIrql = PASSIVE_LEVEL;
	p.MessageBased.FloatingSave = FALSE;
	p.MessageBased.FallBackServiceRoutine = EduInterruptService;
	status = IoConnectInterruptEx(&p);
	if (!NT_SUCCESS(status)) {
		pci_err(pdev, "IoConnectInterruptEx failed: NTSTATUS 0x%08x\n",
			(u32)status);
		return wdm_ntstatus_to_errno(status);
	}
	ext->version = p.Version;
	if (p.Version == CONNECT_LINE_BASED) {
		ext->interrupt = ext->conn;
	} else {
		table = ext->conn;
		ext->interrupt = table->MessageInfo[0].InterruptObject;
	}
	pci_info(pdev, "%s connected\n", p.Version == CONNECT_LINE_BASED ?
		 "EduInterruptService" : "EduInterruptMessageService");
	return 0;
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
