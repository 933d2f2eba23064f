// SPDX-License-Identifier: GPL-2.0
/*
 * wdm_seed.ko: the example ISRs of Microsoft's pages (wdm_seed_sample.h),
 * built as a tiny out-of-tree module against <wdm.h>, driving QEMU's edu
 * device (1234:11e8). One IoConnectInterruptEx(CONNECT_MESSAGE_BASED) call
 * connects MyInterruptMessageService to edu's MSI or, with msi=0, the line
 * with MyInterruptService as the fallback routine. Either acknowledges edu's
 * interrupt and requests the DpcForIsr.
 *
 * What ran is counted in /sys/bus/pci/devices/BDF/wdm_seed/: connect_version
 * (what IoConnectInterruptEx wrote back), line_isr and message_isr (calls of
 * each sample routine), claimed (TRUE returns) and dpc (DpcForIsr runs).
 * A test raises edu interrupts by writing its raise register (EDU_REG_IRQ_RAISE)
 * through sysfs (tests/progs/wdmisr-mmio).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/sysfs.h>
#include <hw/edu.h>
#include <wdm.h>

static bool msi = true;
module_param(msi, bool, 0444);
MODULE_PARM_DESC(msi, "connect edu's MSI to MyInterruptMessageService; "
		 "N: its line to MyInterruptService (default Y)");

/* What the counters in sysfs count, by index of struct wdm_seed.count */
enum {
	WDM_SEED_LINE_ISR,		/* MyInterruptService calls */
	WDM_SEED_MESSAGE_ISR,		/* MyInterruptMessageService calls */
	WDM_SEED_CLAIMED,		/* TRUE returns of either */
	WDM_SEED_DPC,			/* DpcForIsr runs */
	WDM_SEED_COUNTERS
};

struct wdm_seed {
	void __iomem *regs;		/* edu's BAR0 */
	DEVICE_OBJECT devobj;		/* carries the DpcForIsr */
	ULONG version;			/* what IoConnectInterruptEx wrote back */
	PVOID conn;			/* its interrupt object or message table */
	atomic_t count[WDM_SEED_COUNTERS];
};

/* Acknowledge edu's interrupt if it raised one. Under the interrupt lock. */
static BOOLEAN wdm_seed_edu(struct wdm_seed *seed)
{
	u32 status = ioread32(seed->regs + EDU_REG_IRQ_STATUS);

	/* 0: not edu's. All ones: edu is gone. Either way, touch nothing. */
	if (!status || status == ~0U)
		return FALSE;
	iowrite32(status, seed->regs + EDU_REG_IRQ_ACK);
	atomic_inc(&seed->count[WDM_SEED_CLAIMED]);
	IoRequestDpc(&seed->devobj, NULL, seed);
	return TRUE;
}

/* The body of the sample's MyInterruptService. */
static BOOLEAN wdm_seed_service(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
	struct wdm_seed *seed = ServiceContext;

	atomic_inc(&seed->count[WDM_SEED_LINE_ISR]);
	return wdm_seed_edu(seed);
}

/* The body of the sample's MyInterruptMessageService: edu has message 0. */
static BOOLEAN wdm_seed_message_service(PKINTERRUPT Interrupt,
					PVOID ServiceContext, ULONG MessageId)
{
	struct wdm_seed *seed = ServiceContext;

	atomic_inc(&seed->count[WDM_SEED_MESSAGE_ISR]);
	return MessageId == 0 && wdm_seed_edu(seed);
}

#include "../../kunit/wdm_seed_sample.h"

static IO_DPC_ROUTINE wdm_seed_dpc;

_Use_decl_annotations_
static VOID wdm_seed_dpc(PKDPC Dpc, PDEVICE_OBJECT DeviceObject, PIRP Irp,
			 PVOID Context)
{
	struct wdm_seed *seed = Context;

	atomic_inc(&seed->count[WDM_SEED_DPC]);
}

/*
 * sysfs
 */

static ssize_t connect_version_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	struct wdm_seed *seed = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%s\n", seed->version == CONNECT_LINE_BASED ?
			  "CONNECT_LINE_BASED" : "CONNECT_MESSAGE_BASED");
}
static DEVICE_ATTR_RO(connect_version);

/* One file per counter; the attribute's var is the counter's index. */
static ssize_t wdm_seed_count_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	struct dev_ext_attribute *ea = container_of(attr, struct dev_ext_attribute, attr);
	struct wdm_seed *seed = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%d\n", atomic_read(&seed->count[(uintptr_t)ea->var]));
}

#define WDM_SEED_COUNT_ATTR(_name, _index)				\
	{ __ATTR(_name, 0444, wdm_seed_count_show, NULL), (void *)(_index) }

static struct dev_ext_attribute wdm_seed_counts[WDM_SEED_COUNTERS] = {
	WDM_SEED_COUNT_ATTR(line_isr, WDM_SEED_LINE_ISR),
	WDM_SEED_COUNT_ATTR(message_isr, WDM_SEED_MESSAGE_ISR),
	WDM_SEED_COUNT_ATTR(claimed, WDM_SEED_CLAIMED),
	WDM_SEED_COUNT_ATTR(dpc, WDM_SEED_DPC),
};

static struct attribute *wdm_seed_attrs[] = {
	&dev_attr_connect_version.attr,
	&wdm_seed_counts[WDM_SEED_LINE_ISR].attr.attr,
	&wdm_seed_counts[WDM_SEED_MESSAGE_ISR].attr.attr,
	&wdm_seed_counts[WDM_SEED_CLAIMED].attr.attr,
	&wdm_seed_counts[WDM_SEED_DPC].attr.attr,
	NULL,
};

static const struct attribute_group wdm_seed_group = {
	.name = "wdm_seed",
	.attrs = wdm_seed_attrs,
};
__ATTRIBUTE_GROUPS(wdm_seed);

/*
 * PCI driver
 */

static int wdm_seed_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	IO_CONNECT_INTERRUPT_PARAMETERS p = { .Version = CONNECT_MESSAGE_BASED };
	struct wdm_seed *seed;
	NTSTATUS status;
	int err;

	seed = devm_kzalloc(&pdev->dev, sizeof(*seed), GFP_KERNEL);
	if (!seed)
		return -ENOMEM;
	err = pcim_enable_device(pdev);
	if (err)
		return err;
	seed->regs = pcim_iomap(pdev, 0, 0);
	if (!seed->regs)
		return -ENOMEM;
	/* An MSI message is a DMA write. */
	pci_set_master(pdev);
	pci_set_drvdata(pdev, seed);

	wdm_init_device_object(&seed->devobj, pdev);
	seed->devobj.MessageTypes = msi ? WDM_MESSAGE_MSI : 0;
	IoInitializeDpcRequest(&seed->devobj, wdm_seed_dpc);
	p.MessageBased.PhysicalDeviceObject = &seed->devobj;
	p.MessageBased.ConnectionContext.Generic = &seed->conn;
	p.MessageBased.MessageServiceRoutine = MyInterruptMessageService;
	p.MessageBased.FallBackServiceRoutine = MyInterruptService;
	p.MessageBased.ServiceContext = seed;
	status = IoConnectInterruptEx(&p);
	if (!NT_SUCCESS(status)) {
		pci_err(pdev, "IoConnectInterruptEx failed: NTSTATUS 0x%08x\n",
			(u32)status);
		return wdm_ntstatus_to_errno(status);
	}
	seed->version = p.Version;
	pci_info(pdev, "%s connected\n", p.Version == CONNECT_LINE_BASED ?
		 "MyInterruptService" : "MyInterruptMessageService");
	return 0;
}

static void wdm_seed_remove(struct pci_dev *pdev)
{
	struct wdm_seed *seed = pci_get_drvdata(pdev);
	IO_DISCONNECT_INTERRUPT_PARAMETERS p = {
		.Version = seed->version,
		.ConnectionContext.Generic = seed->conn,
	};
	NTSTATUS status = IoDisconnectInterruptEx(&p);

	if (!NT_SUCCESS(status))
		pci_err(pdev, "IoDisconnectInterruptEx failed: NTSTATUS 0x%08x\n",
			(u32)status);
}

static const struct pci_device_id wdm_seed_ids[] = {
	{ PCI_DEVICE(EDU_VENDOR_ID, EDU_DEVICE_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, wdm_seed_ids);

static struct pci_driver wdm_seed_driver = {
	.name = "wdm_seed",
	.id_table = wdm_seed_ids,
	.probe = wdm_seed_probe,
	.remove = wdm_seed_remove,
	.dev_groups = wdm_seed_groups,
};
module_pci_driver(wdm_seed_driver);

MODULE_DESCRIPTION("Microsoft's sample ISRs, unchanged, on QEMU's edu device through wdm.ko");
MODULE_AUTHOR("The wdmisr developers");
MODULE_LICENSE("GPL");
MODULE_SOFTDEP("pre: wdm");
