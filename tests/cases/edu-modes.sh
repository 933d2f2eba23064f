#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# IRQ modes on edu, which has MSI but no MSI-X. irq_mode=auto connects
# CONNECT_MESSAGE_BASED and gets MSI; irq_mode=intx connects
# CONNECT_LINE_BASED; each delivers K raises exactly. Bus mastering is on
# only with MSI, whose messages are DMA writes: the line needs none, and the
# device's DMA engine must not be let loose for nothing. irq_mode=msix cannot
# be met: the probe fails with the NTSTATUS in the log, no node appears,
# and MSI stays off.
# qemu: -device edu
# timeout: 240

K=50
plan 19

check_cmd "insmod wdm.ko" insmod "$WDM_MODDIR/wdm.ko" || return
bdf=$(find_dev 1234:11e8)
# MODE:VERSION:GRANTED:BUS_MASTER (PCI_COMMAND_MASTER, 0x4, or 0)
for mode in auto:CONNECT_MESSAGE_BASED:msi:0x4 intx:CONNECT_LINE_BASED:intx:0x0; do
	IFS=: read -r m version granted master <<<"$mode"
	check_cmd "insmod wdmisr.ko irq_mode=$m" insmod "$WDM_MODDIR/wdmisr.ko" irq_mode=$m || continue
	check_eq "irq_mode=$m: Version written back is $version" "$version" \
		"$(cat /sys/class/wdmisr/wdmisr0/connect_version)"
	check_eq "irq_mode=$m: granted $granted" "$granted" "$(cat /sys/class/wdmisr/wdmisr0/irq_mode)"
	check_eq "irq_mode=$m: COMMAND's Bus Master bit is $master" "$master" \
		"$(pci_cmd_bits "$bdf" 0x4)"
	check_eq "irq_mode=$m: $K raises give $K events with their values" $K \
		"$(wdmisr-read -n $K --trigger --format json -t 5000 | edu_payloads_match)"
	check_cmd "rmmod wdmisr" rmmod wdmisr
done

check_cmd "insmod wdmisr.ko irq_mode=msix (the module loads)" insmod "$WDM_MODDIR/wdmisr.ko" irq_mode=msix
check_fail "irq_mode=msix on edu: no /dev/wdmisr0" test -e /dev/wdmisr0
check_contains "irq_mode=msix on edu: the log gives the NTSTATUS" \
	"IoConnectInterruptEx(irq_mode=msix) failed: NTSTATUS 0xc0000010" "$(dmesg)"
check_contains "irq_mode=msix on edu: MSI left off" "MSI: Enable-" "$(lspci -vv -s "$bdf")"
check_cmd "rmmod wdmisr" rmmod wdmisr
check_cmd "rmmod wdm" rmmod wdm
