// SPDX-License-Identifier: GPL-2.0
/*
 * wdm_bad.ko: a deliberately bad driver for the interrupt insight tests. On
 * load it connects four ISRs to interrupts of a private irq domain
 * (testlib/) and fires them:
 *
 *	BadStallIsr	stalls 200 us in each of `count` interrupts
 *	BadGoodIsr	returns at once; its DPC BadSlowDpc stalls 2 ms
 *			(`count` interrupts, one at a time)
 *	BadIrqlIsr	raises the IRQL to HIGH_LEVEL and does not lower it
 *			(one interrupt)
 *	BadSyncIsr	calls KeSynchronizeExecution() on its own interrupt
 *			(one interrupt)
 *
 * The objects stay connected, so that their statistics can be read in
 * debugfs, until the module is removed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <wdm.h>

#include "../../testlib/wdm_test_irq.h"

static unsigned int count = 100;
module_param(count, uint, 0444);
MODULE_PARM_DESC(count, "interrupts fired at BadStallIsr and at BadGoodIsr (default 100)");

enum { BAD_STALL, BAD_GOOD, BAD_IRQL, BAD_SYNC, BAD_NR };

static struct wdm_test_irqs bad_irqs;
static DEVICE_OBJECT bad_pdo;
static PKINTERRUPT bad_intr[BAD_NR];
static KDPC bad_dpc;
static atomic_t bad_calls[BAD_NR];

static KSERVICE_ROUTINE BadStallIsr;
static KSERVICE_ROUTINE BadGoodIsr;
static KSERVICE_ROUTINE BadIrqlIsr;
static KSERVICE_ROUTINE BadSyncIsr;
static KDEFERRED_ROUTINE BadSlowDpc;
static KSYNCHRONIZE_ROUTINE BadSyncRoutine;

_Use_decl_annotations_
static BOOLEAN BadStallIsr(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
	atomic_inc(&bad_calls[BAD_STALL]);
	KeStallExecutionProcessor(200);
	return TRUE;
}

_Use_decl_annotations_
static BOOLEAN BadGoodIsr(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
	atomic_inc(&bad_calls[BAD_GOOD]);
	KeInsertQueueDpc(&bad_dpc, NULL, NULL);
	return TRUE;
}

_Use_decl_annotations_
static VOID BadSlowDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1,
		       PVOID SystemArgument2)
{
	KeStallExecutionProcessor(2000);
}

_Use_decl_annotations_
static BOOLEAN BadIrqlIsr(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
	KIRQL old;

	KeRaiseIrql(HIGH_LEVEL, &old);
	return TRUE;
}

_Use_decl_annotations_
static BOOLEAN BadSyncRoutine(PVOID SynchronizeContext)
{
	return TRUE;
}

_Use_decl_annotations_
static BOOLEAN BadSyncIsr(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
	return KeSynchronizeExecution(Interrupt, BadSyncRoutine, NULL);
}

/*
 * Fire interrupt @i and wait (a second at most) for its ISR: force-threaded
 * (PREEMPT_RT), interrupts fired before the thread ran give it one run.
 */
static void bad_fire(int i)
{
	int want = atomic_read(&bad_calls[i]) + 1;
	unsigned long end = jiffies + HZ;

	wdm_test_fire(bad_irqs.virq[i]);
	while (atomic_read(&bad_calls[i]) < want && time_before(jiffies, end))
		usleep_range(100, 200);
}

static void bad_disconnect(void)
{
	int i;

	for (i = 0; i < BAD_NR; i++) {
		if (bad_intr[i])
			wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, bad_intr[i]);
		bad_intr[i] = NULL;
	}
}

static int __init bad_init(void)
{
	static PKSERVICE_ROUTINE const isr[BAD_NR] = {
		BadStallIsr, BadGoodIsr, BadIrqlIsr, BadSyncIsr,
	};
	IO_CONNECT_INTERRUPT_PARAMETERS p;
	NTSTATUS status;
	unsigned int n;
	int i, err;

	err = wdm_test_irqs_create(&bad_irqs, BAD_NR);
	if (err)
		return err;
	wdm_init_device_object(&bad_pdo, NULL);
	KeInitializeDpc(&bad_dpc, BadSlowDpc, NULL);
	for (i = 0; i < BAD_NR; i++) {
		wdm_test_fully_specified(&p, &bad_pdo, bad_irqs.virq[i], &bad_intr[i], isr[i],
					 NULL);
		p.FullySpecified.ShareVector = FALSE;
		status = IoConnectInterruptEx(&p);
		if (!NT_SUCCESS(status)) {
			pr_err("IoConnectInterruptEx: NTSTATUS %#x\n", status);
			bad_disconnect();
			wdm_test_irqs_exit(&bad_irqs);
			return -EIO;
		}
	}
	for (n = 0; n < count; n++) {
		bad_fire(BAD_STALL);
		bad_fire(BAD_GOOD);
		KeFlushQueuedDpcs();
	}
	wdm_test_fire(bad_irqs.virq[BAD_IRQL]);
	wdm_test_fire(bad_irqs.virq[BAD_SYNC]);
	pr_info("fired %u interrupts at BadStallIsr and at BadGoodIsr, 1 at BadIrqlIsr and at BadSyncIsr\n",
		count);
	return 0;
}

static void __exit bad_exit(void)
{
	bad_disconnect();
	wdm_test_irqs_exit(&bad_irqs);
}

module_init(bad_init);
module_exit(bad_exit);

MODULE_DESCRIPTION("A deliberately bad WDM driver for the interrupt insight tests");
MODULE_AUTHOR("The wdmisr developers");
MODULE_LICENSE("GPL");
