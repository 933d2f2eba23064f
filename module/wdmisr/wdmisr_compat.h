/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels wdmisr.ko supports (Debian's 6.1 and
 * 6.12) lives here, so that no .c file of the driver tests LINUX_VERSION_CODE.
 */
#ifndef _WDMISR_COMPAT_H
#define _WDMISR_COMPAT_H

#include <linux/device.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/version.h>

/* 6.4 dropped the owner argument of class_create(). */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 4, 0)
#define wdmisr_class_create(name)	class_create(THIS_MODULE, name)
#else
#define wdmisr_class_create(name)	class_create(name)
#endif

/* 6.2 made the device argument of class->devnode() const. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
#define wdmisr_devnode_device	struct device
#else
#define wdmisr_devnode_device	const struct device
#endif

/* 6.3 made vma->vm_flags read-only, changed through vm_flags_mod(). */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
static inline void wdmisr_vm_flags_mod(struct vm_area_struct *vma,
				       vm_flags_t set, vm_flags_t clear)
{
	vma->vm_flags = (vma->vm_flags | set) & ~clear;
}
#else
#define wdmisr_vm_flags_mod(vma, set, clear)	vm_flags_mod(vma, set, clear)
#endif

/**
 * wdmisr_iomap_bar() - request and map one whole BAR, device-managed
 * @pdev:	the PCI device
 * @bar:	the BAR's index
 * @name:	the owner the region is requested for
 *
 * 6.11 added pcim_iomap_region() and deprecated pcim_iomap_regions() with
 * pcim_iomap_table(); before 6.11 those are the only way.
 *
 * Context: process context (probe).
 * Return: the mapping, or an ERR_PTR() (-EBUSY: the region is taken).
 */
static inline void __iomem *wdmisr_iomap_bar(struct pci_dev *pdev, int bar,
					     const char *name)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	return pcim_iomap_region(pdev, bar, name);
#else
	int err = pcim_iomap_regions(pdev, BIT(bar), name);

	return err ? IOMEM_ERR_PTR(err) : pcim_iomap_table(pdev)[bar];
#endif
}

#endif /* _WDMISR_COMPAT_H */
