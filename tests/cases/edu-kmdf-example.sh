#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The KMDF example, examples/edu-kmdf/ (edu_kmdf.ko): built on the host by
# 'make modules' from a copy outside the sources against the staged kit
# (wdm.h, wdf.h, wdm.ko's Module.symvers, wdm.mk) and nothing else; here
# loaded with wdm.ko alone underneath on an edu device. The framework, not
# the driver, connects its one WDFINTERRUPT:
#  - probe makes exactly the callbacks KMDF makes, in its order
#    (/sys/bus/pci/drivers/edu_kmdf/events): DeviceAdd, PrepareHardware,
#    D0Entry(D3Final), InterruptEnable at DIRQL (once: one interrupt, one
#    connect);
#  - PrepareHardware mapped BAR0 from the translated list and read edu's ID
#    register (0x010000ed, as wdmisr-mmio reads it); the interrupt is edu's
#    MSI (WdfInterruptGetInfo: MessageSignaled, Vector the MSI's IRQ);
#  - K interrupts raised one at a time (each once the DPC of the one before
#    has run): EvtInterruptIsr ran K times and returned TRUE K times (read
#    with WdfInterruptSynchronize), EvtInterruptDpc ran K times, the MSI's
#    IRQ took exactly K interrupts, edu's status is acknowledged;
#  - unbind adds exactly InterruptDisable at DIRQL, D0Exit(D3Final),
#    ReleaseHardware; rebinding adds DeviceAdd, PrepareHardware,
#    D0Entry(D3Final), InterruptEnable again, and K more raises reach the
#    new device's ISR and DPC K times each.
# qemu: -device edu
# timeout: 240

K=50
plan 24

bdf=$(find_dev 1234:11e8)
dev=/sys/bus/pci/devices/$bdf
ex=$dev/edu_kmdf
events=/sys/bus/pci/drivers/edu_kmdf/events
start=$'DeviceAdd\nPrepareHardware\nD0Entry(D3Final)\nInterruptEnable@DIRQL'
stop=$'InterruptDisable@DIRQL\nD0Exit(D3Final)\nReleaseHardware'

# raise_round WHAT: K raises, one at a time; four checks.
raise_round() {
	local irq before

	irq=$(msi_irq "$bdf")
	before=$(irq_count "$irq")
	edu_raise_each "$bdf" $K "$ex/dpc_runs"
	check_eq "$1: EvtInterruptIsr ran $K times" $K "$(cat "$ex/isr_calls")"
	check_eq "$1: it returned TRUE $K times" $K "$(cat "$ex/claimed")"
	check_eq "$1: EvtInterruptDpc ran $K times" $K "$(cat "$ex/dpc_runs")"
	check_eq "$1: IRQ $irq took exactly $K interrupts" $K $(($(irq_count "$irq") - before))
}

check_cmd "insmod wdm.ko" insmod "$WDM_MODDIR/wdm.ko" || return
check_cmd "insmod edu_kmdf.ko" insmod "$WDM_MODDIR/edu_kmdf.ko" || return
check_eq "$bdf bound to edu_kmdf" edu_kmdf "$(pci_driver "$bdf")"
check_eq "probe: DeviceAdd, PrepareHardware, D0Entry, one InterruptEnable at DIRQL" \
	"$start" "$(cat "$events")"
id=$(wdmisr-mmio "$bdf" 0 "$(hw_reg EDU_REG_ID)")
check_eq "PrepareHardware read edu's ID register through MmMapIoSpaceEx" "${id,,}" \
	"$(cat "$ex/id")"
check_eq "it is 0x010000ed (edu 1.0)" 0x010000ed "$(cat "$ex/id")"
check_eq "the framework gave the WDFINTERRUPT edu's MSI" 1 "$(cat "$ex/message_signaled")"
check_eq "WdfInterruptGetInfo's Vector is the MSI's IRQ" "$(msi_irq "$bdf")" \
	"$(cat "$ex/vector")"
raise_round "$K raises"
edu_check_acked "$bdf"

pci_unbind "$bdf"
check_eq "unbind: one InterruptDisable at DIRQL, D0Exit, ReleaseHardware" \
	"$start"$'\n'"$stop" "$(cat "$events")"
pci_bind "$bdf" edu_kmdf
check_eq "rebind: DeviceAdd, PrepareHardware, D0Entry, one InterruptEnable again" \
	"$start"$'\n'"$stop"$'\n'"$start" "$(cat "$events")"
raise_round "$K raises after rebind"
edu_check_acked "$bdf"
pci_unbind "$bdf"
echo >"$dev/driver_override"
check_eq "unbind again: one InterruptDisable, D0Exit, ReleaseHardware" \
	"$start"$'\n'"$stop"$'\n'"$start"$'\n'"$stop" "$(cat "$events")"
check_cmd "rmmod edu_kmdf" rmmod edu_kmdf
check_cmd "rmmod wdm" rmmod wdm
