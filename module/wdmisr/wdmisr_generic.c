// SPDX-License-Identifier: GPL-2.0
/*
 * The generic personality: any PCI 2.3 device bound with new_id or
 * driver_override. Without device knowledge, INTx is claimed through the
 * PCI status bit (check-and-mask, as uio_pci_generic does) and unmasked by
 * the DPC, under the interrupt lock; a device that still asserts it then
 * interrupts again. An MSI or MSI-X message is always the device's own.
 * Events carry no payload. At remove (and when a probe fails after
 * connecting) INTx is masked for good, as vfio leaves a device: nothing of
 * the driver can claim the device's interrupts any more, and on a shared
 * line an unclaimed, level-triggered INTx is a storm that genirq ends by
 * disabling the line ("nobody cared") for every device on it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/pci.h>

#include "wdmisr.h"

static int wdmisr_generic_setup(struct wdmisr_dev *wd)
{
	struct pci_dev *pdev = wd->pdev;

	/* Without the PCI 2.3 mask bit, INTx could neither be claimed nor quieted. */
	wd->no_line = !pci_intx_mask_supported(pdev);
	if (wd->no_line && !pdev->msi_cap && !pdev->msix_cap) {
		pci_err(pdev, "generic: no MSI, no MSI-X, and INTx cannot be masked (not PCI 2.3)\n");
		return -ENODEV;
	}
	return 0;
}

static void wdmisr_generic_event(struct wdmisr_vector *v, PKINTERRUPT Interrupt)
{
	struct wdmisr_event ev = { .ts_ns = ktime_get_ns() };

	v->stats.isr_true++;
	wdmisr_queue_event(v, &ev);
	wdmisr_request_dpc(v, Interrupt);
}

static KSERVICE_ROUTINE wdmisr_generic_isr;

_Use_decl_annotations_
static BOOLEAN wdmisr_generic_isr(struct _KINTERRUPT *Interrupt, PVOID ServiceContext)
{
	struct wdmisr_dev *wd = ServiceContext;
	struct wdmisr_vector *v = &wd->vec[0];

	v->stats.interrupts++;
	/*
	 * Masks INTx if this device asserted it; else it is not ours. Once
	 * quiesced, INTx is masked, so it cannot be ours either (the status
	 * bit may still say the device wants to interrupt).
	 */
	if (v->intx_off || !pci_check_and_mask_intx(wd->pdev)) {
		v->stats.isr_false++;
		return FALSE;
	}
	v->intx_masked = true;
	wdmisr_generic_event(v, Interrupt);
	return TRUE;
}

static KMESSAGE_SERVICE_ROUTINE wdmisr_generic_message_isr;

_Use_decl_annotations_
static BOOLEAN wdmisr_generic_message_isr(struct _KINTERRUPT *Interrupt,
					  PVOID ServiceContext, ULONG MessageID)
{
	struct wdmisr_dev *wd = ServiceContext;
	struct wdmisr_vector *v = &wd->vec[MessageID];

	v->stats.interrupts++;
	wdmisr_generic_event(v, Interrupt);
	return TRUE;
}

/* Set or clear INTX_DISABLE; under the interrupt lock, as the ISR masks. */
static void wdmisr_generic_intx_disable(struct pci_dev *pdev, bool disable)
{
	u16 cmd, new;

	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	new = disable ? cmd | PCI_COMMAND_INTX_DISABLE : cmd & ~PCI_COMMAND_INTX_DISABLE;
	if (new != cmd)
		pci_write_config_word(pdev, PCI_COMMAND, new);
}

static KSYNCHRONIZE_ROUTINE wdmisr_generic_unmask;

_Use_decl_annotations_
static BOOLEAN wdmisr_generic_unmask(PVOID SynchronizeContext)
{
	struct wdmisr_vector *v = SynchronizeContext;

	/* Quiesced: a DPC still queued (disconnect runs it) leaves it masked. */
	if (!v->intx_masked || v->intx_off)
		return FALSE;
	v->intx_masked = false;
	wdmisr_generic_intx_disable(v->wd->pdev, false);
	return TRUE;
}

/* The ISR masked INTx: unmask it, under the lock the ISR masks it under. */
static void wdmisr_generic_dpc(struct wdmisr_vector *v, PKINTERRUPT intr)
{
	KeSynchronizeExecution(intr, wdmisr_generic_unmask, v);
}

static KSYNCHRONIZE_ROUTINE wdmisr_generic_intx_off;

_Use_decl_annotations_
static BOOLEAN wdmisr_generic_intx_off(PVOID SynchronizeContext)
{
	struct wdmisr_vector *v = SynchronizeContext;

	v->intx_off = true;
	wdmisr_generic_intx_disable(v->wd->pdev, true);
	return TRUE;
}

/*
 * Remove, or a probe failing after the connect: on the line, mask INTx for
 * good, under the interrupt lock, as the ISR masks it; the flag keeps the
 * DPC from unmasking it again, even the DPC that the disconnect runs after
 * free_irq(). pcim_enable_device()'s release leaves INTX_DISABLE as it is,
 * and the next driver's pci_enable_device() clears it.
 *
 * Not pci_intx(pdev, 0): on 6.1, for a device enabled with
 * pcim_enable_device(), its first change of the bit records the old value,
 * and the devres release at unbind writes that back, unmasking INTx after
 * all. Nor could it be called under the interrupt lock, a raw spin lock.
 *
 * With MSI or MSI-X, INTx is the PCI core's: disabled while the messages
 * are, and enabled again when the disconnect frees them, as for any driver
 * that uses messages; no DPC of ours touches it.
 */
static void wdmisr_generic_quiesce(struct wdmisr_dev *wd)
{
	if (wd->connect_version == CONNECT_LINE_BASED)
		KeSynchronizeExecution(wdmisr_intr(wd, 0),
				       wdmisr_generic_intx_off, &wd->vec[0]);
}

const struct wdmisr_personality wdmisr_generic = {
	.name = "generic",
	.id = WDMISR_PERS_GENERIC,
	.setup = wdmisr_generic_setup,
	.line_isr = wdmisr_generic_isr,
	.message_isr = wdmisr_generic_message_isr,
	.dpc = wdmisr_generic_dpc,
	.quiesce = wdmisr_generic_quiesce,
};
