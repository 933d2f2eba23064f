// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt storms: an ISR on a level-triggered PCI line that returns TRUE
 * without making its device let go of the line. The line asserts again as
 * soon as it is unmasked and the CPU never leaves the handler; genirq only
 * judges handlers that say IRQ_NONE, so it never steps in. Windows stops
 * the machine (bug check 0xF2, INTERRUPT_STORM); here the ISR is named in
 * the log and the line is disabled until the interrupt is disconnected.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/visibility.h>
#include <linux/export.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/sched/clock.h>

#include "wdm_internal.h"

VISIBLE_IF_KUNIT unsigned int storm_calls = 10000;
EXPORT_SYMBOL_IF_KUNIT(storm_calls);
module_param(storm_calls, uint, 0644);
MODULE_PARM_DESC(storm_calls,
		 "TRUE returns in a row of an ISR on a level-triggered PCI line, after which a line its device still asserts is an interrupt storm; 0 disables (default 10000)");

/*
 * The last calls of a run read the device's INTx status as the ISR
 * returns: only a device that asserts at every one of them is stormed.
 * A device that was serviced lets go, and one that interrupts again
 * during the ISR's last few instructions will not do so this many times
 * in a row. The run itself involves no clock: under load, or in an
 * emulator, the calls of a storm can be far apart.
 */
#define WDM_STORM_CONFIRM	16

static atomic_long_t wdm_storms = ATOMIC_LONG_INIT(0);

#if IS_ENABLED(CONFIG_KUNIT)
/* The storms reported since wdm.ko loaded. */
unsigned long wdm_storms_reported(void)
{
	return atomic_long_read(&wdm_storms);
}
EXPORT_SYMBOL_IF_KUNIT(wdm_storms_reported);
#endif

/*
 * Does @pdev assert its INTx line? PCI_STATUS_INTERRUPT says the device
 * wants an interrupt even while PCI_COMMAND_INTX_DISABLE keeps it off the
 * line, as an ISR that masks the device (uio_pci_generic's way) leaves it:
 * both halves of one configuration read.
 */
static bool wdm_storm_asserting(struct pci_dev *pdev)
{
	u32 cmd_status;

	if (pci_read_config_dword(pdev, PCI_COMMAND, &cmd_status))
		return false;
	return (cmd_status >> 16) & PCI_STATUS_INTERRUPT &&
	       !(cmd_status & PCI_COMMAND_INTX_DISABLE);
}

/*
 * wdm_storm_watch() - one return of an ISR on a level-triggered PCI line
 * @ki: the object, connected to @ki->intx_pdev's INTx line
 * @handled: what the ISR returned
 *
 * Counts the TRUE returns in a row; a FALSE ends the run. After
 * storm_calls of them, the last WDM_STORM_CONFIRM having each found the
 * device still asserting its line as the ISR returned, the line is
 * disabled (disable_irq_nosync(), which a hard handler may call) and the
 * ISR is reported. A device found not asserting ends the run: an ISR that
 * services its device costs WDM_STORM_CONFIRM configuration reads every
 * storm_calls interrupts, nothing more.
 *
 * Context: the hard handler of @ki, under its interrupt spin lock.
 */
void wdm_storm_watch(struct _KINTERRUPT *ki, bool handled)
{
	unsigned int limit = READ_ONCE(storm_calls);

	if (!handled || !limit || ki->storm_disabled) {
		ki->storm_run = 0;
		return;
	}
	if (!ki->storm_run++)
		ki->storm_start = local_clock();
	if (ki->storm_run + WDM_STORM_CONFIRM <= limit)
		return;
	if (!wdm_storm_asserting(ki->intx_pdev)) {
		ki->storm_run = 0;
		return;
	}
	if (ki->storm_run < limit)
		return;

	disable_irq_nosync(ki->irq);
	ki->storm_disabled = true;
	atomic_long_inc(&wdm_storms);
	pr_err("interrupt storm on IRQ %u: ISR %ps of %s returned TRUE %u times in a row in %llu us while %s kept asserting its line; IRQ %u is disabled until this interrupt is disconnected (Windows: bug check 0xF2, INTERRUPT_STORM)\n",
	       ki->irq, wdm_isr_routine(ki),
	       ki->name, ki->storm_run,
	       div_u64(local_clock() - ki->storm_start, NSEC_PER_USEC),
	       pci_name(ki->intx_pdev), ki->irq);
	ki->storm_run = 0;
}

/*
 * wdm_storm_end() - give back a storm's disable at disconnect
 * @ki: the object, no longer entered
 *
 * Context: process context, before free_irq().
 */
void wdm_storm_end(struct _KINTERRUPT *ki)
{
	if (ki->storm_disabled) {
		ki->storm_disabled = false;
		enable_irq(ki->irq);
	}
}
