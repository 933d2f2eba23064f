#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The porter's example, examples/edu-wdm/ (edu_wdm.ko): built on the host by
# 'make modules' from a copy outside the sources against the kit that 'make
# install-kit DESTDIR=build/<release>/kit' staged (wdm.h, wdm.ko's
# Module.symvers, wdm.mk) and nothing else; here loaded with wdm.ko alone
# underneath on an edu device. K interrupts are raised one at a time by
# writing edu's raise register (EDU_REG_IRQ_RAISE) with wdmisr-mmio, each
# once the DpcForIsr of the one before has run: first on edu's INTx line
# (msi=0: the FallBackServiceRoutine EduInterruptService, CONNECT_LINE_BASED),
# then on its MSI (EduInterruptMessageService, CONNECT_MESSAGE_BASED). Each
# time the ISR ran exactly K times and returned TRUE K times (both read with
# KeSynchronizeExecution), the DpcForIsr ran K times, the kernel counted
# exactly K interrupts, and edu's status is clear.
# qemu: -device edu
# timeout: 180

K=50
plan 22

bdf=$(find_dev 1234:11e8)
ex=/sys/bus/pci/devices/$bdf/edu_wdm

# example_round MSI VERSION IRQ-OF: load edu_wdm.ko msi=MSI and raise K
# interrupts; IRQ-OF is a command printing the Linux IRQ they arrive on.
example_round() {
	local msi=$1 version=$2 irq before

	check_cmd "insmod edu_wdm.ko msi=$msi" \
		insmod "$WDM_MODDIR/edu_wdm.ko" msi="$msi" || return
	check_eq "$bdf bound to edu_wdm" edu_wdm "$(pci_driver "$bdf")"
	check_eq "IoConnectInterruptEx wrote back $version" "$version" \
		"$(cat "$ex/connect_version")"
	irq=$($3)
	before=$(irq_count "$irq")
	edu_raise_each "$bdf" $K "$ex/dpc_runs"
	check_eq "$K raises ($version): the ISR ran $K times" $K "$(cat "$ex/isr_calls")"
	check_eq "$K raises ($version): it returned TRUE $K times" $K "$(cat "$ex/claimed")"
	check_eq "$K raises ($version): the DpcForIsr ran $K times" $K "$(cat "$ex/dpc_runs")"
	check_eq "$K raises ($version): IRQ $irq took exactly $K interrupts" $K \
		$(($(irq_count "$irq") - before))
	edu_check_acked "$bdf"
	check_cmd "rmmod edu_wdm" rmmod edu_wdm
}


check_cmd "insmod wdm.ko" insmod "$WDM_MODDIR/wdm.ko" || return
check_eq "wdmisr.ko is not loaded" "" "$(grep -w '^wdmisr' /proc/modules)"
example_round 0 CONNECT_LINE_BASED "dev_irq $bdf"
example_round 1 CONNECT_MESSAGE_BASED "msi_irq $bdf"
check_eq "unbound again" "" "$(pci_driver "$bdf")"
check_cmd "rmmod wdm" rmmod wdm
