/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels wdmisr supports (Debian's 6.1 and
 * 6.12) lives here, so that no .c file tests LINUX_VERSION_CODE.
 */
#ifndef _WDM_COMPAT_H
#define _WDM_COMPAT_H

#include <linux/device.h>
#include <linux/pci.h>
#include <linux/version.h>

/* 6.10 renamed PCI_IRQ_LEGACY to PCI_IRQ_INTX. */
#ifndef PCI_IRQ_INTX
#define PCI_IRQ_INTX	PCI_IRQ_LEGACY
#endif

/* 6.4 dropped the owner argument of class_create(). */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 4, 0)
#define wdm_class_create(name)	class_create(THIS_MODULE, name)
#else
#define wdm_class_create(name)	class_create(name)
#endif

/* 6.2 made the device argument of class->devnode() const. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
#define wdm_devnode_device	struct device
#else
#define wdm_devnode_device	const struct device
#endif

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

#endif /* _WDM_COMPAT_H */
