/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fake sysfs trees for the --list tests, and the real PCI functions of the
 * machine that they bind to the wdmisr driver on paper.
 */
#ifndef WT_FAKESYSFS_H
#define WT_FAKESYSFS_H

#include <stddef.h>

/* A PCI function that really is on this machine's bus. */
struct wt_pci_fn {
	char bdf[16];
	unsigned int vendor;
	unsigned int device;
};

/*
 * A new tree under /tmp with wdmisr.ko loaded (module/wdmisr/) and no PCI
 * function; free the path with wt_sysfs_free().
 */
char *wt_sysfs_new(void);
/* Remove <root>/module/wdmisr/: wdmisr.ko is not loaded. */
void wt_sysfs_unload(const char *root);
/* <root>/bus/pci/devices/<bdf>/driver -> ../../../bus/pci/drivers/<driver> */
void wt_sysfs_bind(const char *root, const char *bdf, const char *driver);
/* <root>/bus/pci/devices/<bdf>/wdmisr/<name>/ */
void wt_sysfs_node(const char *root, const char *bdf, const char *name);
/* Remove the tree and free @root. */
void wt_sysfs_free(char *root);

/* Up to @max real functions from /sys/bus/pci/devices, sorted; how many. */
size_t wt_real_pci(struct wt_pci_fn *fn, size_t max);
/* The "vendor device" name libpci gives @fn, as --list prints it. */
void wt_pci_name(const struct wt_pci_fn *fn, char *buf, size_t size);

#endif /* WT_FAKESYSFS_H */
