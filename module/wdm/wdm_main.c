// SPDX-License-Identifier: GPL-2.0
/*
 * wdm.ko: Windows WDM interrupt semantics for Linux PCI drivers. Module
 * entry points; the routines live in wdm_connect.c, wdm_interrupt.c,
 * wdm_dpc.c and wdm_status.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/module.h>
#include <linux/printk.h>

#include "wdm_compat.h"
#include "wdm_internal.h"

#define CREATE_TRACE_POINTS
#include "wdm_trace.h"

static atomic_long_t wdm_bug_count = ATOMIC_LONG_INIT(0);

/**
 * wdm_report_bug() - report a driver bug that Windows would stop on
 * @caller: the driver's return address, printed as a symbol
 * @fmt: what went wrong, printf-style, without a trailing newline
 *
 * Rate-limited, so that a bug in a hot path cannot flood the log; each
 * call is counted all the same.
 *
 * Context: any.
 */
void wdm_report_bug(unsigned long caller, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	atomic_long_inc(&wdm_bug_count);
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_err_ratelimited("driver bug at %pS: %pV\n", (void *)caller, &vaf);
	va_end(args);
}

/* Is @routine reported for the first time by the watchdog of @seen? */
bool wdm_seen_first(struct wdm_seen *seen, void *routine)
{
	unsigned long flags;
	bool first = true;
	int i;

	raw_spin_lock_irqsave(&seen->lock, flags);
	for (i = 0; i < WDM_SEEN_MAX && seen->routine[i]; i++)
		if (seen->routine[i] == routine)
			first = false;
	if (first && i < WDM_SEEN_MAX)
		seen->routine[i] = routine;
	raw_spin_unlock_irqrestore(&seen->lock, flags);
	return first;
}

#if IS_ENABLED(CONFIG_KUNIT)
/* How many wdm_report_bug() calls there were since the module loaded. */
unsigned long wdm_bugs_reported(void)
{
	return atomic_long_read(&wdm_bug_count);
}
EXPORT_SYMBOL_IF_KUNIT(wdm_bugs_reported);
#endif

static int __init wdm_init(void)
{
	int ret;

	wdm_clock_init();
	ret = wdm_dpc_init();
	if (ret)
		return ret;
	ret = wdm_workitem_init();
	if (ret)
		goto err_dpc_exit;
	ret = wdm_iomap_init();
	if (ret)
		goto err_workitem_exit;
	ret = wdm_insight_init();
	if (ret)
		goto err_iomap_exit;
	return 0;

err_iomap_exit:
	wdm_iomap_exit();
err_workitem_exit:
	wdm_workitem_exit();
err_dpc_exit:
	wdm_dpc_exit();
	return ret;
}

static void __exit wdm_exit(void)
{
	unsigned int left = wdm_connections_check();

	/* Only possible if a driver unloaded without IoDisconnectInterrupt(Ex). */
	if (left)
		pr_err("%u interrupt connections were never disconnected\n", left);
	wdm_insight_exit();
	wdm_iomap_exit();
	wdm_workitem_exit();
	wdm_dpc_exit();
}

module_init(wdm_init);
module_exit(wdm_exit);

MODULE_DESCRIPTION("Windows WDM interrupt semantics (IoConnectInterruptEx, ISRs, DPCs) on genirq");
MODULE_AUTHOR("The wdmisr developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(WDMISR_VERSION);
