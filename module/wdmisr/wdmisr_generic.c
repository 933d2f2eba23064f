// SPDX-License-Identifier: GPL-2.0
/*
 * The generic personality: any PCI 2.3 device bound with new_id or
 * driver_override. Without device knowledge, INTx is claimed through the
 * PCI status bit (check-and-mask, as uio_pci_generic does) and unmasked by
 * the DPC, under the interrupt lock; a device that still asserts it then
 * interrupts again. An MSI or MSI-X message is always the device's own.
 * Events carry no payload.
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
	/* Masks INTx if this device asserted it; else it is not ours. */
	if (!pci_check_and_mask_intx(wd->pdev)) {
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

static KSYNCHRONIZE_ROUTINE wdmisr_generic_unmask;

_Use_decl_annotations_
static BOOLEAN wdmisr_generic_unmask(PVOID SynchronizeContext)
{
	struct wdmisr_vector *v = SynchronizeContext;
	struct pci_dev *pdev = v->wd->pdev;
	u16 cmd;

	if (!v->intx_masked)
		return FALSE;
	v->intx_masked = false;
	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	pci_write_config_word(pdev, PCI_COMMAND, cmd & ~PCI_COMMAND_INTX_DISABLE);
	return TRUE;
}

/* The ISR masked INTx: unmask it, under the lock the ISR masks it under. */
static void wdmisr_generic_dpc(struct wdmisr_vector *v, PKINTERRUPT intr)
{
	KeSynchronizeExecution(intr, wdmisr_generic_unmask, v);
}

const struct wdmisr_personality wdmisr_generic = {
	.name = "generic",
	.id = WDMISR_PERS_GENERIC,
	.setup = wdmisr_generic_setup,
	.line_isr = wdmisr_generic_isr,
	.message_isr = wdmisr_generic_message_isr,
	.dpc = wdmisr_generic_dpc,
};
