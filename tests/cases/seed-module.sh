#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Microsoft's sample ISRs (kunit/wdm_seed_sample.h), built as the tiny
# out-of-tree module wdm_seed.ko against <wdm.h>, on an edu device, with
# wdm.ko alone underneath (no wdmisr.ko). K interrupts are raised one at a
# time by writing edu's raise register (EDU_REG_IRQ_RAISE) with wdmisr-mmio, each
# once the DPC of the one before has run: first on edu's INTx line (msi=0, the
# fallback routine MyInterruptService), then on its MSI
# (MyInterruptMessageService). Each time the connected sample routine ran
# exactly K times and claimed all K, the other never ran, the DpcForIsr ran
# K times, the kernel counted exactly K interrupts, and edu's status is clear.
# qemu: -device edu
# timeout: 180

K=50
plan 24

bdf=$(find_dev 1234:11e8)
seed=/sys/bus/pci/devices/$bdf/wdm_seed

# seed_round MSI VERSION ROUTINE IDLE IRQ-OF: load wdm_seed.ko msi=MSI and
# raise K interrupts. ROUTINE is the sample routine that must take them,
# IDLE the one that must not; IRQ-OF a command printing the Linux IRQ.
seed_round() {
	local msi=$1 version=$2 routine=$3 idle=$4 irq before

	check_cmd "insmod wdm_seed.ko msi=$msi" \
		insmod "$WDM_MODDIR/wdm_seed.ko" msi="$msi" || return
	check_eq "$bdf bound to wdm_seed" wdm_seed "$(pci_driver "$bdf")"
	check_eq "IoConnectInterruptEx wrote back $version" "$version" \
		"$(cat "$seed/connect_version")"
	irq=$($5)
	before=$(irq_count "$irq")
	edu_raise_each "$bdf" $K "$seed/dpc"
	check_eq "$K raises: the sample's $routine ran $K times" $K \
		"$(cat "$seed/$routine")"
	check_eq "$K raises: the other sample routine never ran" 0 "$(cat "$seed/$idle")"
	check_eq "$K raises: the routine returned TRUE $K times" $K "$(cat "$seed/claimed")"
	check_eq "$K raises: the DpcForIsr ran $K times" $K "$(cat "$seed/dpc")"
	check_eq "$K raises: IRQ $irq took exactly $K interrupts" $K \
		$(($(irq_count "$irq") - before))
	edu_check_acked "$bdf"
	check_cmd "rmmod wdm_seed" rmmod wdm_seed
}


check_cmd "insmod wdm.ko" insmod "$WDM_MODDIR/wdm.ko" || return
check_eq "wdmisr.ko is not loaded" "" "$(grep -w '^wdmisr' /proc/modules)"
seed_round 0 CONNECT_LINE_BASED line_isr message_isr "dev_irq $bdf"
seed_round 1 CONNECT_MESSAGE_BASED message_isr line_isr "msi_irq $bdf"
check_eq "unbound again" "" "$(pci_driver "$bdf")"
check_cmd "rmmod wdm" rmmod wdm
