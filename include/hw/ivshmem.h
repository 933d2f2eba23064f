/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * QEMU's ivshmem-doorbell (1af4:1110): its BAR0 registers, the one definition
 * for the driver and the KUnit suites. Source: QEMU's docs/specs/ivshmem-spec.rst.
 * The shared memory in BAR2 is this project's own contract,
 * docs/DEVICE-SPEC.md, and is defined where it is used.
 */
#ifndef _HW_IVSHMEM_H
#define _HW_IVSHMEM_H

#define IVSHMEM_VENDOR_ID	0x1af4
#define IVSHMEM_DEVICE_ID	0x1110

/* BAR0, 32-bit registers */
#define IVSHMEM_REG_INTR_MASK	0x00	/* INTx only; unused with MSI-X */
#define IVSHMEM_REG_INTR_STATUS	0x04
#define IVSHMEM_REG_IV_POSITION	0x08	/* this peer's ID, read-only */
#define IVSHMEM_REG_DOORBELL	0x0c	/* write: peer << 16 | vector */

/* BAR0 doorbell value for @vector of @peer. */
#define IVSHMEM_DOORBELL(peer, vector)	((peer) << 16 | (vector))

#endif /* _HW_IVSHMEM_H */
