/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels wdm.ko supports (Debian's 6.1 and
 * 6.12) lives here, so that no .c file of the shim tests LINUX_VERSION_CODE.
 */
#ifndef _WDM_COMPAT_H
#define _WDM_COMPAT_H

#include <linux/interrupt.h>
#include <linux/version.h>

/*
 * kunit/visibility.h came in 6.2. Without KUnit, VISIBLE_IF_KUNIT functions
 * are static and nothing is exported.
 */
#if IS_ENABLED(CONFIG_KUNIT)
#include <kunit/visibility.h>
#else
#define VISIBLE_IF_KUNIT static
#define EXPORT_SYMBOL_IF_KUNIT(symbol)
#endif

/*
 * 6.9 added IRQF_COND_ONESHOT: a handler agrees to IRQF_ONESHOT if the line
 * it shares already has it. Before, a DIRQL connection cannot join a line
 * whose handlers are IRQF_ONESHOT (request_irq() says -EBUSY).
 */
#ifndef IRQF_COND_ONESHOT
#define IRQF_COND_ONESHOT	0
#endif

/* 6.10 dropped the source argument of __assign_str() (__string() has it). */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 10, 0)
#define wdm_assign_str(dst, src)	__assign_str(dst, src)
#else
#define wdm_assign_str(dst, src)	__assign_str(dst)
#endif

#endif /* _WDM_COMPAT_H */
