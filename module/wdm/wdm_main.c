// SPDX-License-Identifier: GPL-2.0
/*
 * wdm.ko: Windows WDM interrupt semantics for Linux PCI drivers. Module
 * entry points; the routines live in wdm_connect.c, wdm_interrupt.c,
 * wdm_dpc.c and wdm_status.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "wdm_internal.h"

#define CREATE_TRACE_POINTS
#include "wdm_trace.h"

static int __init wdm_init(void)
{
	return wdm_dpc_init();
}

static void __exit wdm_exit(void)
{
	unsigned int left = wdm_connections_check();

	/* Only possible if a driver unloaded without IoDisconnectInterrupt(Ex). */
	if (left)
		pr_err("%u interrupt connections were never disconnected\n", left);
	wdm_dpc_exit();
}

module_init(wdm_init);
module_exit(wdm_exit);

MODULE_DESCRIPTION("Windows WDM interrupt semantics (IoConnectInterruptEx, ISRs, DPCs) on genirq");
MODULE_AUTHOR("The wdmisr developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(WDMISR_VERSION);
