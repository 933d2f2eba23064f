// SPDX-License-Identifier: GPL-2.0
/*
 * The edu personality (QEMU's educational device, 1234:11e8): one interrupt,
 * INTx on a line it may share with other devices, or one MSI message. The
 * ISR reads the interrupt status, acknowledges it and hands the value to
 * the reader as the event's payload.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/pci.h>

#include <hw/edu.h>

#include "wdmisr.h"
#include "wdmisr_compat.h"

static int wdmisr_edu_setup(struct wdmisr_dev *wd)
{
	void __iomem *regs = wdmisr_iomap_bar(wd->pdev, 0, "wdmisr");
	u32 id;

	if (IS_ERR(regs))
		return PTR_ERR(regs);
	wd->regs = regs;
	id = ioread32(wd->regs + EDU_REG_ID);
	if ((id & 0xff) != EDU_ID_MAGIC) {
		pci_err(wd->pdev, "edu: id register reads 0x%08x, not an edu device\n", id);
		return -ENODEV;
	}
	return 0;
}

/* Called with the interrupt lock held, by either ISR below. */
static BOOLEAN wdmisr_edu_service(struct wdmisr_dev *wd, PKINTERRUPT Interrupt)
{
	struct wdmisr_vector *v = &wd->vec[0];
	struct wdmisr_event ev = {};
	__le32 payload;
	u32 status;

	v->stats.interrupts++;
	status = ioread32(wd->regs + EDU_REG_IRQ_STATUS);
	/*
	 * 0: not ours. All ones: the device is gone, and we touch nothing;
	 * unless the id register still reads back: then all 32 bits were
	 * raised, and they must be acknowledged like any other status, or a
	 * level-triggered line stays asserted and is disabled as spurious.
	 */
	if (!status ||
	    (status == ~0U && ioread32(wd->regs + EDU_REG_ID) == ~0U)) {
		v->stats.isr_false++;
		return FALSE;
	}
	iowrite32(status, wd->regs + EDU_REG_IRQ_ACK);
	v->stats.isr_true++;

	ev.ts_ns = ktime_get_ns();
	payload = cpu_to_le32(status);
	ev.len = sizeof(payload);
	memcpy(ev.data, &payload, sizeof(payload));
	wdmisr_queue_event(v, &ev);
	wdmisr_request_dpc(v, Interrupt);
	return TRUE;
}

static KSERVICE_ROUTINE wdmisr_edu_isr;

_Use_decl_annotations_
static BOOLEAN wdmisr_edu_isr(struct _KINTERRUPT *Interrupt, PVOID ServiceContext)
{
	return wdmisr_edu_service(ServiceContext, Interrupt);
}

static KMESSAGE_SERVICE_ROUTINE wdmisr_edu_message_isr;

_Use_decl_annotations_
static BOOLEAN wdmisr_edu_message_isr(struct _KINTERRUPT *Interrupt,
				      PVOID ServiceContext, ULONG MessageID)
{
	/* edu has one message: MessageID is always 0. */
	return wdmisr_edu_service(ServiceContext, Interrupt);
}

static int wdmisr_edu_trigger(struct wdmisr_dev *wd, const struct wdmisr_trigger *t)
{
	if (t->vector != 0 || t->value == 0)
		return -EINVAL;
	iowrite32(t->value, wd->regs + EDU_REG_IRQ_RAISE);
	return 0;
}

static KSYNCHRONIZE_ROUTINE wdmisr_edu_ack_all;

_Use_decl_annotations_
static BOOLEAN wdmisr_edu_ack_all(PVOID SynchronizeContext)
{
	struct wdmisr_dev *wd = SynchronizeContext;
	u32 status = ioread32(wd->regs + EDU_REG_IRQ_STATUS);

	if (status)
		iowrite32(status, wd->regs + EDU_REG_IRQ_ACK);
	return TRUE;
}

/*
 * Remove: nothing raises any more. A raise whose ISR has not run yet still
 * asserts INTx; acknowledge it, or the line stays asserted after our ISR is
 * disconnected and the other handlers on a shared line get a storm that is
 * not theirs.
 */
static void wdmisr_edu_quiesce(struct wdmisr_dev *wd)
{
	KeSynchronizeExecution(wdmisr_intr(wd, 0), wdmisr_edu_ack_all, wd);
}

const struct wdmisr_personality wdmisr_edu = {
	.name = "edu",
	.id = WDMISR_PERS_EDU,
	.setup = wdmisr_edu_setup,
	.line_isr = wdmisr_edu_isr,
	.message_isr = wdmisr_edu_message_isr,
	.trigger = wdmisr_edu_trigger,
	.quiesce = wdmisr_edu_quiesce,
};
