#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# No message vectors at all (pci=nomsi): every MSI and MSI-X allocation
# fails. irq_mode=auto takes the documented fallback, CONNECT_MESSAGE_BASED
# with the FallBackServiceRoutine on the INTx line, and Version comes back
# CONNECT_LINE_BASED: edu delivers K raises as K events on its line. The
# ivshmem-doorbell has no INTx pin to fall back to: its probe is refused
# with the NTSTATUS, and only edu's node exists. irq_mode=msi is refused
# for both with the NTSTATUS and leaves no node, handler or region behind;
# loaded again with auto, edu is wdmisr0 once more.
# qemu: -device edu
# ivshmem: --vectors 8
# append: pci=nomsi
# timeout: 240

K=20
plan 15

load_wdm || return
edu=$(wdmisr_node "$(find_dev 1234:11e8)")
iv=$(wdmisr_node "$(find_dev 1af4:1110)")
check_eq "edu: auto fell back to the line" "CONNECT_LINE_BASED intx 1" \
	"$(cat /sys/class/wdmisr/"$edu"/{connect_version,irq_mode,vectors} | xargs)"
check_eq "edu: $K raises, $K events with their values" $K \
	"$(wdmisr-read -d /dev/"$edu" -n $K --trigger --format json -t 5000 | edu_payloads_match)"
check_contains "ivshmem, with no INTx pin either: refused with the NTSTATUS" \
	"$(find_dev 1af4:1110): IoConnectInterruptEx(irq_mode=auto) failed: NTSTATUS 0xc0000010" \
	"$(dmesg)"
check_eq "ivshmem: no node, nothing bound" "$edu" \
	"$(ls /sys/class/wdmisr/; ls /sys/bus/pci/drivers/wdmisr/ | grep -v "$(find_dev 1234:11e8)" |
		grep '^0000:')"
check_cmd "rmmod wdmisr" rmmod wdmisr

check_cmd "insmod wdmisr.ko irq_mode=msi (the module loads)" \
	insmod "$WDM_MODDIR/wdmisr.ko" irq_mode=msi
check_eq "both probes refused with the NTSTATUS" 2 \
	"$(dmesg | grep -c 'IoConnectInterruptEx(irq_mode=msi) failed: NTSTATUS 0xc')"
check_eq "nothing left: no node, no handler, no region, nothing bound" "" \
	"$(ls /sys/class/wdmisr/ /sys/bus/pci/drivers/wdmisr/ | grep -E 'wdmisr[0-9]|^0000:'
		grep -E 'wdm-|wdmisr' /proc/interrupts /proc/iomem)"
check_cmd "rmmod wdmisr" rmmod wdmisr
check_cmd "insmod wdmisr.ko" insmod "$WDM_MODDIR/wdmisr.ko"
edu=$(wdmisr_node "$(find_dev 1234:11e8)")
check_eq "edu is wdmisr0 again, on its line" "wdmisr0 CONNECT_LINE_BASED" \
	"$edu $(cat /sys/class/wdmisr/"$edu"/connect_version)"
unload_wdm
