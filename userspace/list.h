/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wdmisr-read --list: the PCI devices bound to wdmisr.
 */
#ifndef WR_LIST_H
#define WR_LIST_H

#include <stdbool.h>
#include <stddef.h>

#include "devops.h"

/* Whether <sysfs>/bus/pci/devices/<bdf>/driver names the wdmisr driver. */
bool wr_list_bound(const char *sysfs, const char *bdf);
/*
 * The /dev node of a bound device, from the lowest-numbered wdmisrN entry
 * under <sysfs>/bus/pci/devices/<bdf>/wdmisr/. False if there is none.
 */
bool wr_list_node(const char *sysfs, const char *bdf, char *node, size_t size);

/* --list: the exit status. */
int wr_list_run(const struct wr_env *env);

#endif /* WR_LIST_H */
