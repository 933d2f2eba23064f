// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt storms: an ISR on a level-triggered PCI line that returns
 * without making its device let go of the line. The line asserts again as
 * soon as it is unmasked and the CPU never leaves the handler. Two ways
 * into it, both named by Microsoft's "Debugging an Interrupt Storm":
 *
 * - the ISR returns TRUE without servicing its device. genirq only judges
 *   handlers that say IRQ_NONE, so it never steps in.
 * - the ISR returns FALSE though its own device interrupted: it "does not
 *   detect that the interrupt was initiated from its hardware". genirq
 *   steps in after 99900 of 100000 interrupts went unhandled, disables the
 *   line and prints "nobody cared" with every handler on it, without
 *   saying whose device asserts.
 *
 * Windows stops the machine (bug check 0xF2, INTERRUPT_STORM); here the ISR
 * is named in the log, with its device, its returns and their rate, and
 * the line is disabled until the interrupt is disconnected.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/visibility.h>
#include <linux/export.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/jiffies.h>

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
 * Counts the returns of one value in a row; the other value starts a new
 * run. After storm_calls of them, the last WDM_STORM_CONFIRM having each
 * found the device still asserting its line as the ISR returned, the line
 * is disabled (disable_irq_nosync(), which a hard handler may call) and
 * the ISR is reported. A device found not asserting ends the run: an ISR
 * that services its device, or that says FALSE on a line shared with a
 * busy one, costs WDM_STORM_CONFIRM configuration reads every storm_calls
 * interrupts, nothing more.
 *
 * Context: the hard handler of @ki, under its interrupt spin lock.
 */
void wdm_storm_watch(struct _KINTERRUPT *ki, bool handled)
{
	unsigned int limit = READ_ONCE(storm_calls);
	u64 us;

	if (!limit || ki->storm_disabled) {
		ki->storm_run = 0;
		return;
	}
	if (handled != ki->storm_claimed) {
		ki->storm_claimed = handled;
		ki->storm_run = 0;
	}
	/*
	 * A run starts each time a shared line's ISR changes its answer: no
	 * clock read in the handler for that, only jiffies, enough for a rate.
	 */
	if (!ki->storm_run++)
		ki->storm_start = jiffies;
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
	us = max_t(u64, jiffies_to_usecs(jiffies - ki->storm_start), 1);
	pr_err("interrupt storm on IRQ %u: ISR %ps of %s returned %s %u times in a row in %llu us (%llu a second) while %s kept asserting its line: %s; IRQ %u is disabled until this interrupt is disconnected (Windows: bug check 0xF2, INTERRUPT_STORM)\n",
	       ki->irq, wdm_isr_routine(ki), ki->name,
	       handled ? "TRUE" : "FALSE", ki->storm_run,
	       us, div64_u64((u64)ki->storm_run * USEC_PER_SEC, us),
	       pci_name(ki->intx_pdev),
	       handled ? "the ISR claims the interrupt without servicing its device" :
			 "the ISR does not recognise its own device's interrupt",
	       ki->irq);
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
