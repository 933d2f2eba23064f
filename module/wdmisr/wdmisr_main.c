// SPDX-License-Identifier: GPL-2.0
/*
 * wdmisr.ko: a PCI driver written the Windows way on top of wdm.ko. Its
 * ISRs are KSERVICE_ROUTINE / KMESSAGE_SERVICE_ROUTINE functions connected
 * with IoConnectInterruptEx(); they service the device, queue what it
 * delivered, and leave the rest (waking the reader) to DPCs: ordinary ones,
 * run in softirq as the interrupt exits, or (threaded_dpc=1, and always on
 * PREEMPT_RT) threaded DPCs, run in each interrupt's threaded handler.
 * make bench measured both; the softirq DPC wakes a reader sooner. This
 * file holds
 * the module parameters, probe/remove and the parts every personality
 * shares.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/log2.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include <hw/edu.h>
#include <hw/ivshmem.h>

#include "wdmisr.h"

#define CREATE_TRACE_POINTS
#include "wdmisr_trace.h"

/*
 * Module parameters
 */

/*
 * The interrupt modes, by WDMISR_IRQ_*: what irq_mode= asks for, and what was
 * granted (WDMISR_IOC_INFO, sysfs). WDMISR_IRQ_AUTO is only ever asked for.
 */
static const struct {
	const char *name;
	ULONG message_types;	/* DEVICE_OBJECT.MessageTypes; 0: line only */
} wdmisr_irq_modes[] = {
	[WDMISR_IRQ_AUTO] = { "auto", WDM_MESSAGE_MSIX | WDM_MESSAGE_MSI },
	[WDMISR_IRQ_INTX] = { "intx", 0 },
	[WDMISR_IRQ_MSI] = { "msi", WDM_MESSAGE_MSI },
	[WDMISR_IRQ_MSIX] = { "msix", WDM_MESSAGE_MSIX },
};

/* The personalities, by WDMISR_PERS_*. */
static const struct wdmisr_personality *const wdmisr_personalities[] = {
	[WDMISR_PERS_GENERIC] = &wdmisr_generic,
	[WDMISR_PERS_EDU] = &wdmisr_edu,
	[WDMISR_PERS_IVSHMEM] = &wdmisr_ivshmem,
};

/* The irq_mode of each personality, by WDMISR_PERS_*. */
static u32 irq_mode[ARRAY_SIZE(wdmisr_personalities)];

static unsigned int max_vectors = WDMISR_MAX_VECTORS;
static unsigned int queue_len = 1024;

/**
 * wdmisr_irq_mode_name() - the name of an interrupt mode
 * @mode:	WDMISR_IRQ_*
 *
 * Context: any.
 * Return: "auto", "intx", "msi" or "msix"; "?" for anything else.
 */
const char *wdmisr_irq_mode_name(u32 mode)
{
	return mode < ARRAY_SIZE(wdmisr_irq_modes) ? wdmisr_irq_modes[mode].name : "?";
}

/**
 * wdmisr_connect_name() - the name of the Version a connection was made with
 * @version:	CONNECT_LINE_BASED or CONNECT_MESSAGE_BASED
 *
 * Context: any.
 * Return: the constant's name, as in wdm.h.
 */
const char *wdmisr_connect_name(ULONG version)
{
	return version == CONNECT_LINE_BASED ? "CONNECT_LINE_BASED" : "CONNECT_MESSAGE_BASED";
}

/* The index of @name in wdmisr_irq_modes (or the personalities), or -EINVAL. */
static int wdmisr_irq_mode_parse(const char *name)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(wdmisr_irq_modes); i++)
		if (!strcmp(name, wdmisr_irq_modes[i].name))
			return i;
	return -EINVAL;
}

static int wdmisr_personality_parse(const char *name)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(wdmisr_personalities); i++)
		if (!strcmp(name, wdmisr_personalities[i]->name))
			return i;
	return -EINVAL;
}

/*
 * irq_mode is a comma-separated list of [PERSONALITY:]MODE: an entry without
 * a personality is the mode of every personality, and later entries win, so
 * "msi,edu:intx" puts edu on its line and everything else on MSI.
 */
static int irq_mode_set(const char *val, const struct kernel_param *kp)
{
	u32 modes[ARRAY_SIZE(irq_mode)];
	char *buf, *cur, *entry, *colon;
	int pers, mode, i, err = 0;

	memcpy(modes, irq_mode, sizeof(modes));
	buf = kstrdup(val, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	cur = strim(buf);
	if (!*cur)
		err = -EINVAL;
	while (!err && (entry = strsep(&cur, ","))) {
		pers = -1;
		colon = strchr(entry, ':');
		if (colon) {
			*colon = '\0';
			pers = wdmisr_personality_parse(entry);
			entry = colon + 1;
			if (pers < 0) {
				err = -EINVAL;
				break;
			}
		}
		mode = wdmisr_irq_mode_parse(entry);
		if (mode < 0) {
			err = -EINVAL;
			break;
		}
		for (i = 0; i < ARRAY_SIZE(modes); i++)
			if (pers < 0 || pers == i)
				modes[i] = mode;
	}
	kfree(buf);
	if (err) {
		pr_err("irq_mode=%s: must be a comma-separated list of [edu:|ivshmem:|generic:]auto|msix|msi|intx\n",
		       val);
		return err;
	}
	memcpy(irq_mode, modes, sizeof(modes));
	return 0;
}

static int irq_mode_get(char *buf, const struct kernel_param *kp)
{
	int len = 0, i;

	for (i = 0; i < ARRAY_SIZE(irq_mode); i++)
		len += sysfs_emit_at(buf, len, "%s%s:%s", i ? "," : "",
				     wdmisr_personalities[i]->name,
				     wdmisr_irq_modes[irq_mode[i]].name);
	return len + sysfs_emit_at(buf, len, "\n");
}

static const struct kernel_param_ops irq_mode_ops = {
	.set = irq_mode_set,
	.get = irq_mode_get,
};
module_param_cb(irq_mode, &irq_mode_ops, NULL, 0444);
MODULE_PARM_DESC(irq_mode,
		 "[edu:|ivshmem:|generic:]auto|msix|msi|intx, comma-separated; "
		 "auto is MSI-X, else MSI, else INTx (default auto)");

static int max_vectors_set(const char *val, const struct kernel_param *kp)
{
	unsigned int n;

	if (kstrtouint(val, 0, &n) || n < 1 || n > WDMISR_MAX_VECTORS) {
		pr_err("max_vectors=%s: must be 1..%d\n", val, WDMISR_MAX_VECTORS);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = n;
	return 0;
}

static const struct kernel_param_ops max_vectors_ops = {
	.set = max_vectors_set,
	.get = param_get_uint,
};
module_param_cb(max_vectors, &max_vectors_ops, &max_vectors, 0444);
MODULE_PARM_DESC(max_vectors, "most MSI/MSI-X messages per device, 1..64 (default 64)");

static int queue_len_set(const char *val, const struct kernel_param *kp)
{
	unsigned int n;

	if (kstrtouint(val, 0, &n) || n < 16 || n > 65536 || !is_power_of_2(n)) {
		pr_err("queue_len=%s: must be a power of two, 16..65536\n", val);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = n;
	return 0;
}

static const struct kernel_param_ops queue_len_ops = {
	.set = queue_len_set,
	.get = param_get_uint,
};
module_param_cb(queue_len, &queue_len_ops, &queue_len, 0444);
MODULE_PARM_DESC(queue_len,
		 "events queued per device for the reader, a power of two 16..65536 (default 1024)");

/*
 * Ordinary DPCs wake the reader without the irq thread's context switch:
 * make bench's latency scenario put them at 0.65-0.67 of UIO's median with
 * the reader on the interrupts' CPU, where threaded DPCs were at 1.02-1.10,
 * and ahead on the other CPU too. On PREEMPT_RT waking the reader may
 * sleep, which a DPC may not: threaded there.
 */
static bool threaded_dpc = IS_ENABLED(CONFIG_PREEMPT_RT);

static int threaded_dpc_set(const char *val, const struct kernel_param *kp)
{
	bool on;

	if (kstrtobool(val, &on)) {
		pr_err("threaded_dpc=%s: must be 0 or 1\n", val);
		return -EINVAL;
	}
	/* The DPC wakes the reader: a spinlock_t, which sleeps on PREEMPT_RT. */
	if (!on && IS_ENABLED(CONFIG_PREEMPT_RT)) {
		pr_err("threaded_dpc=0: not on PREEMPT_RT, where waking the reader may sleep and a DPC may not\n");
		return -EINVAL;
	}
	*(bool *)kp->arg = on;
	return 0;
}

static const struct kernel_param_ops threaded_dpc_ops = {
	.set = threaded_dpc_set,
	.get = param_get_bool,
};
module_param_cb(threaded_dpc, &threaded_dpc_ops, &threaded_dpc, 0444);
MODULE_PARM_DESC(threaded_dpc,
		 "0: DPCs run at DISPATCH_LEVEL in softirq as the interrupt exits, not on PREEMPT_RT; "
		 "1: threaded DPCs, run at PASSIVE_LEVEL in the interrupt's thread (default 0, 1 on PREEMPT_RT)");

/*
 * Events and DPCs
 */

/*
 * wdmisr_queue_event() - hand one event to the reader
 * @v: the vector it arrived on
 * @ev: the event; seq, msg and dropped are filled in here
 *
 * A full queue loses the event, and the loss is counted: it uses up a
 * sequence number, so the reader sees the gap.
 *
 * The record is written before head moves past it, with release semantics
 * (the driver's head, then the copy in the header page the mapping reads):
 * a consumer that loads head with acquire semantics sees it whole. The
 * consumer index is loaded with acquire semantics, so the consumer's reads
 * of a slot come before this write over it.
 *
 * Context: the ISR, or KeSynchronizeExecution(): under the interrupt lock.
 */
void wdmisr_queue_event(struct wdmisr_vector *v, struct wdmisr_event *ev)
{
	struct wdmisr_dev *wd = v->wd;
	u32 head = wd->head;

	ev->seq = wd->next_seq++;
	ev->msg = v->index;
	ev->dropped = wd->dropped;
	if (wdmisr_ring_full(wd)) {
		wd->dropped++;
		v->stats.dropped++;
		trace_wdmisr_drop(wd->minor, ev->msg, ev->seq, ev->src_seq,
				  wd->dropped);
		return;
	}
	wd->records[head & (wd->ring_size - 1)] = *ev;
	/* Release: the record before head, for read() and the mapping. */
	smp_store_release(&wd->head, head + 1);
	/* The mapping's copy, released on its own: ordered after the record too. */
	smp_store_release(&wd->ring->head, head + 1);
	v->stats.events++;
	trace_wdmisr_event(wd->minor, ev->msg, ev->seq, ev->src_seq, ev->dropped);
}

/*
 * wdmisr_request_dpc() - queue the vector's DPC from its ISR
 * @v: the vector
 * @intr: the interrupt object the ISR was called for
 *
 * Context: the ISR.
 */
void wdmisr_request_dpc(struct wdmisr_vector *v, PKINTERRUPT intr)
{
	if (KeInsertQueueDpc(&v->dpc, intr, NULL))
		v->stats.dpc_queued++;
}

static KDEFERRED_ROUTINE wdmisr_dpc;

_Use_decl_annotations_
static VOID wdmisr_dpc(PKDPC Dpc, PVOID DeferredContext,
		       PVOID SystemArgument1, PVOID SystemArgument2)
{
	struct wdmisr_vector *v = DeferredContext;
	PKINTERRUPT intr = SystemArgument1;
	struct wdmisr_dev *wd = v->wd;
	KIRQL old;

	if (wd->pers->dpc)
		wd->pers->dpc(v, intr);
	old = KeAcquireInterruptSpinLock(intr);
	v->stats.dpc_run++;
	KeReleaseInterruptSpinLock(intr, old);
	wake_up_interruptible_poll(&wd->wait, EPOLLIN | EPOLLRDNORM);
}

/*
 * Interrupt connection
 */

static int wdmisr_connect(struct wdmisr_dev *wd)
{
	IO_CONNECT_INTERRUPT_PARAMETERS p = {};
	const struct wdmisr_personality *pers = wd->pers;
	PKSERVICE_ROUTINE line_isr = wd->no_line ? NULL : pers->line_isr;
	u32 mode = irq_mode[pers->id];
	NTSTATUS status;
	unsigned int k;

	for (k = 0; k < WDMISR_MAX_VECTORS; k++) {
		wd->vec[k].wd = wd;
		wd->vec[k].index = k;
		if (threaded_dpc)
			KeInitializeThreadedDpc(&wd->vec[k].dpc, wdmisr_dpc, &wd->vec[k]);
		else
			KeInitializeDpc(&wd->vec[k].dpc, wdmisr_dpc, &wd->vec[k]);
	}

	wd->devobj.MessageNumberLimit = max_vectors;
	wd->devobj.MessageTypes = wdmisr_irq_modes[mode].message_types;

	if (mode == WDMISR_IRQ_INTX && !line_isr) {
		pci_err(wd->pdev, "irq_mode=intx: this device's INTx cannot be used\n");
		return -ENODEV;
	}
	if (mode == WDMISR_IRQ_INTX) {
		p.Version = CONNECT_LINE_BASED;
		p.LineBased.PhysicalDeviceObject = &wd->devobj;
		p.LineBased.InterruptObject = &wd->conn.line;
		p.LineBased.ServiceRoutine = line_isr;
		p.LineBased.ServiceContext = wd;
		/* What Microsoft says drivers almost always pass: a minimum. */
		p.LineBased.SynchronizeIrql = PASSIVE_LEVEL;
	} else {
		p.Version = CONNECT_MESSAGE_BASED;
		p.MessageBased.PhysicalDeviceObject = &wd->devobj;
		p.MessageBased.ConnectionContext.InterruptMessageTable =
			&wd->conn.messages;
		p.MessageBased.MessageServiceRoutine = pers->message_isr;
		p.MessageBased.ServiceContext = wd;
		KeInitializeSpinLock(&wd->intr_lock);
		p.MessageBased.SpinLock = &wd->intr_lock;
		if (mode == WDMISR_IRQ_AUTO)
			p.MessageBased.FallBackServiceRoutine = line_isr;
	}
	status = IoConnectInterruptEx(&p);
	if (!NT_SUCCESS(status)) {
		pci_err(wd->pdev, "IoConnectInterruptEx(irq_mode=%s) failed: NTSTATUS 0x%08x\n",
			wdmisr_irq_modes[mode].name, (u32)status);
		return wdm_ntstatus_to_errno(status);
	}

	wd->connect_version = p.Version;
	if (p.Version == CONNECT_LINE_BASED) {
		wd->irq_mode = WDMISR_IRQ_INTX;
		wd->nvectors = 1;
		wd->vec[0].intr = wd->conn.line;
	} else {
		/*
		 * MSI and MSI-X messages are DMA writes: the device must be a
		 * bus master to send them, and is made one now, before any
		 * interrupt is expected (the ivshmem drain and every trigger
		 * come later). Never on the line: a device bound by hand must
		 * not get its DMA engine going for nothing, and
		 * uio_pci_generic never sets it either. pci_disable_device(),
		 * at unbind or a failed probe, clears it.
		 */
		pci_set_master(wd->pdev);
		wd->irq_mode = wd->pdev->msix_enabled ? WDMISR_IRQ_MSIX :
							WDMISR_IRQ_MSI;
		wd->nvectors = wd->conn.messages->MessageCount;
		for (k = 0; k < wd->nvectors; k++)
			wd->vec[k].intr =
				wd->conn.messages->MessageInfo[k].InterruptObject;
	}
	return 0;
}

static void wdmisr_disconnect(struct wdmisr_dev *wd)
{
	IO_DISCONNECT_INTERRUPT_PARAMETERS p = {
		.Version = wd->connect_version,
		.ConnectionContext.Generic = wd->conn.generic,
	};
	NTSTATUS status = IoDisconnectInterruptEx(&p);

	if (!NT_SUCCESS(status))
		pci_err(wd->pdev, "IoDisconnectInterruptEx failed: NTSTATUS 0x%08x\n",
			(u32)status);
}

/*
 * Quiet the device, then disconnect: at remove, and when a probe fails
 * after connecting. Once this returns no ISR or DPC of @wd runs again.
 */
static void wdmisr_shutdown(struct wdmisr_dev *wd)
{
	if (wd->pers->quiesce)
		wd->pers->quiesce(wd);
	wdmisr_disconnect(wd);
}

/*
 * PCI driver
 */

static void wdmisr_dev_release(struct device *dev)
{
	struct wdmisr_dev *wd = container_of(dev, struct wdmisr_dev, dev);

	wdmisr_cdev_free_minor(wd);
	vfree(wd->ring);
	kfree(wd);
}

/*
 * The devices wdmisr knows, and their personalities, in the same order. Any
 * other device, bound with new_id or driver_override, is generic. The table
 * carries no driver_data: new_id takes only a driver_data that some entry
 * has, and "echo VENDOR DEVICE > new_id" gives 0.
 */
static const struct pci_device_id wdmisr_ids[] = {
	{ PCI_DEVICE(EDU_VENDOR_ID, EDU_DEVICE_ID) },
	{ PCI_DEVICE(IVSHMEM_VENDOR_ID, IVSHMEM_DEVICE_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, wdmisr_ids);

static const struct wdmisr_personality *const wdmisr_known[] = {
	&wdmisr_edu,
	&wdmisr_ivshmem,
};

static_assert(ARRAY_SIZE(wdmisr_known) == ARRAY_SIZE(wdmisr_ids) - 1);

/*
 * What the PCI core offers to probe: the known devices, after an ivshmem
 * entry that matches only a device given to wdmisr with driver_override
 * (override_only), so that probe can tell the two apart. Module aliases
 * come from wdmisr_ids alone.
 */
static const struct pci_device_id wdmisr_match[] = {
	{ PCI_DEVICE_DRIVER_OVERRIDE(IVSHMEM_VENDOR_ID, IVSHMEM_DEVICE_ID, 1) },
	{ PCI_DEVICE(EDU_VENDOR_ID, EDU_DEVICE_ID) },
	{ PCI_DEVICE(IVSHMEM_VENDOR_ID, IVSHMEM_DEVICE_ID) },
	{ }
};

/*
 * The event ring: a header page, then the records, up to 5.5 MiB (65536
 * records), zeroed and mappable (vmalloc_user()). The device's release
 * frees it; a mapping holds its pages for as long as it lasts.
 */
static int wdmisr_ring_alloc(struct wdmisr_dev *wd)
{
	size_t records_len = PAGE_ALIGN(queue_len * sizeof(struct wdmisr_event));
	struct wdmisr_ring_header *h;

	static_assert(sizeof(*h) <= PAGE_SIZE);
	h = vmalloc_user(PAGE_SIZE + records_len);
	if (!h)
		return -ENOMEM;
	wd->ring = h;
	wd->records = (void *)h + PAGE_SIZE;
	wd->ring_size = queue_len;
	h->version = WDMISR_RING_VERSION;
	h->record_size = sizeof(struct wdmisr_event);
	h->nrecords = queue_len;
	h->records_offset = PAGE_SIZE;
	h->records_len = records_len;
	return 0;
}

static int wdmisr_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	/* @id may be a new_id entry: the device's own ID decides. */
	const struct pci_device_id *known = pci_match_id(wdmisr_ids, pdev);
	const struct wdmisr_personality *pers =
		known ? wdmisr_known[known - wdmisr_ids] : &wdmisr_generic;
	struct wdmisr_dev *wd;
	int err;

	wd = kzalloc(sizeof(*wd), GFP_KERNEL);
	if (!wd)
		return -ENOMEM;
	/* From here the device's release frees wd: put_device() undoes all. */
	device_initialize(&wd->dev);
	wd->dev.release = wdmisr_dev_release;
	wd->pdev = pdev;
	wd->pers = pers;
	wd->by_hand = id->override_only;
	wd->minor = -1;
	mutex_init(&wd->lock);
	mutex_init(&wd->read_lock);
	init_waitqueue_head(&wd->wait);
	wdm_init_device_object(&wd->devobj, pdev);

	err = wdmisr_ring_alloc(wd);
	if (err)
		goto err_put;
	err = pcim_enable_device(pdev);
	if (err)
		goto err_put;
	err = pers->setup(wd);
	if (err)
		goto err_put;
	err = wdmisr_connect(wd);
	if (err)
		goto err_put;
	/*
	 * The last step that can fail: the node appears when everything
	 * behind it works. Nothing has been taken from the device yet, so a
	 * failure here loses nothing: the ivshmem rings are drained only
	 * below, and their tails stay where they were for the next driver.
	 */
	err = wdmisr_cdev_add(wd);
	if (err)
		goto err_shutdown;
	pci_set_drvdata(pdev, wd);

	/*
	 * Start what waits in the device (ivshmem: records published before
	 * the driver was there, their signals lost) and wake whoever opened
	 * the node in the meantime.
	 */
	if (pers->resume) {
		mutex_lock(&wd->lock);
		pers->resume(wd);
		mutex_unlock(&wd->lock);
		wake_up_interruptible_poll(&wd->wait, EPOLLIN | EPOLLRDNORM);
	}

	pci_info(pdev, "%s: %s, %u vector%s, /dev/%s\n", pers->name,
		 wdmisr_connect_name(wd->connect_version),
		 wd->nvectors, wd->nvectors == 1 ? "" : "s", dev_name(&wd->dev));
	return 0;

err_shutdown:
	/* As at remove: a raise pending in the device is not left asserted. */
	wdmisr_shutdown(wd);
err_put:
	put_device(&wd->dev);
	return err;
}

static void wdmisr_remove(struct pci_dev *pdev)
{
	struct wdmisr_dev *wd = pci_get_drvdata(pdev);

	/* First: no new opens. */
	wdmisr_cdev_del(wd);
	/* Waits for a read or ioctl that is using the hardware. */
	mutex_lock(&wd->lock);
	WRITE_ONCE(wd->gone, true);
	mutex_unlock(&wd->lock);
	wake_up_interruptible_poll(&wd->wait, EPOLLHUP | EPOLLERR);
	wdmisr_shutdown(wd);
	/* Open files keep wd until they close. */
	put_device(&wd->dev);
}

static struct pci_driver wdmisr_driver = {
	.name = "wdmisr",
	.id_table = wdmisr_match,
	.probe = wdmisr_probe,
	.remove = wdmisr_remove,
};

static int __init wdmisr_init(void)
{
	int err = wdmisr_cdev_init();

	if (err)
		return err;
	err = pci_register_driver(&wdmisr_driver);
	if (err)
		wdmisr_cdev_exit();
	return err;
}

static void __exit wdmisr_exit(void)
{
	pci_unregister_driver(&wdmisr_driver);
	wdmisr_cdev_exit();
}

module_init(wdmisr_init);
module_exit(wdmisr_exit);

MODULE_DESCRIPTION("PCI driver with Windows-style ISRs and DPCs on wdm.ko; data to /dev/wdmisrN");
MODULE_AUTHOR("The wdmisr developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(WDMISR_VERSION);
MODULE_SOFTDEP("pre: wdm");
