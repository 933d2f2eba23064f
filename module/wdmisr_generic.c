// SPDX-License-Identifier: GPL-2.0
/*
 * The generic personality: any PCI 2.3 device bound with new_id or
 * driver_override. Without device knowledge, INTx is claimed through the
 * PCI status bit (check-and-mask, as uio_pci_generic does) and unmasked by
 * the DPC; an MSI or MSI-X message is always the device's own. Events carry
 * no payload.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/pci.h>

#include "wdmisr.h"

static int wdmisr_generic_setup(struct wdmisr_dev *wd)
{
	struct pci_dev *pdev = wd->pdev;

	if (!pdev->msi_cap && !pdev->msix_cap && !pci_intx_mask_supported(pdev)) {
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

/* INTx: unmask once the device no longer asserts it. */
static void wdmisr_generic_dpc(struct wdmisr_vector *v)
{
	if (v->wd->irq_mode == WDMISR_IRQ_INTX)
		pci_check_and_unmask_intx(v->wd->pdev);
}

const struct wdmisr_personality wdmisr_generic = {
	.name = "generic",
	.id = WDMISR_PERS_GENERIC,
	.setup = wdmisr_generic_setup,
	.line_isr = wdmisr_generic_isr,
	.message_isr = wdmisr_generic_message_isr,
	.dpc = wdmisr_generic_dpc,
};
