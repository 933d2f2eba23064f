/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * QEMU's "edu" educational PCI device (1234:11e8): the BAR0 registers this
 * project uses, the one definition for the driver, the KUnit suites, the
 * sample module and the benchmarks (kernel and userspace alike). Source:
 * QEMU's docs/specs/edu.rst and hw/misc/edu.c.
 */
#ifndef _HW_EDU_H
#define _HW_EDU_H

#define EDU_VENDOR_ID		0x1234
#define EDU_DEVICE_ID		0x11e8

/* BAR0, 32-bit registers */
#define EDU_REG_ID		0x00	/* 0xRRrr00ed: version, then 0xed */
#define EDU_REG_IRQ_STATUS	0x24	/* raised bits, read-only */
#define EDU_REG_IRQ_RAISE	0x60	/* write: OR into the status, raise */
#define EDU_REG_IRQ_ACK		0x64	/* write: clear these status bits */

#define EDU_ID_MAGIC		0xed	/* low byte of EDU_REG_ID */
#define EDU_BAR0_SIZE		0x100000	/* 1 MiB */

#endif /* _HW_EDU_H */
