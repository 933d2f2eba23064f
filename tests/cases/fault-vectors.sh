#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Interrupt vectors that cannot be had. irq_mode=edu:msix,ivshmem:msi asks
# each device for the message kind it does not have: both probes fail with
# the NTSTATUS in the log and leave nothing behind (no node, no class
# device, no IRQ handler, no MSI or MSI-X enabled, no memory region, no
# driver bound, no module reference). max_vectors=4 grants the ivshmem
# device 4 of its 8 messages: its header asks for 8 rings, which is
# reported once by name, and the rings are not touched. Loaded again with
# the defaults, both devices bind as wdmisr0 and wdmisr1 (no minor was
# leaked), edu raises arrive, and the ivshmem records that waited all
# arrive (the host compares each ring with the device's report).
# qemu: -device edu
# ivshmem: --vectors 8 --count 100 --slots 256
# timeout: 240

M=100
plan 22

# nothing_left: what a failed probe must not leave behind, one check each.
nothing_left() {
	check_eq "$1: no /dev node, no class device" "" \
		"$(ls /sys/class/wdmisr/; ls /dev | grep wdmisr)"
	check_eq "$1: no wdm IRQ handler" "" "$(grep wdm- /proc/interrupts)"
	check_eq "$1: MSI and MSI-X left disabled" "MSI: Enable- MSI-X: Enable-" \
		"$(lspci -vv 2>/dev/null | grep -oE 'MSI(-X)?: Enable.' | xargs)"
	check_eq "$1: no memory region held" "" "$(grep wdmisr /proc/iomem)"
	check_eq "$1: no device bound, no module reference" "0 0" \
		"$(ls -d /sys/bus/pci/drivers/wdmisr/0000:* 2>/dev/null | wc -l) \
$(cat /sys/module/wdmisr/refcnt)"
}

check_cmd "insmod wdm.ko" insmod "$WDM_MODDIR/wdm.ko" || return
check_cmd "insmod wdmisr.ko irq_mode=edu:msix,ivshmem:msi (the module loads)" \
	insmod "$WDM_MODDIR/wdmisr.ko" irq_mode=edu:msix,ivshmem:msi
log=$(dmesg | grep 'IoConnectInterruptEx')
check_contains "edu: MSI-X refused with the NTSTATUS" \
	"IoConnectInterruptEx(irq_mode=msix) failed: NTSTATUS 0xc0000010" "$log"
check_contains "ivshmem: MSI refused with the NTSTATUS" \
	"IoConnectInterruptEx(irq_mode=msi) failed: NTSTATUS 0xc0000010" "$log"
nothing_left "both probes failed"
check_cmd "rmmod wdmisr" rmmod wdmisr

check_cmd "insmod wdmisr.ko max_vectors=4" insmod "$WDM_MODDIR/wdmisr.ko" max_vectors=4
iv=$(wdmisr_node "$(find_dev 1af4:1110)")
check_eq "ivshmem: 4 of its 8 messages granted" 4 "$(cat /sys/class/wdmisr/"$iv"/vectors)"
check_eq "its 8-ring header is reported once, by the field" 1 \
	"$(dmesg | grep -c 'header is ready but invalid: nrings = 8 ')"
check_eq "the rings are not touched: no events" 0 \
	"$(awk 'NR > 1 { n += $7 + $9 } END { print n }' /sys/kernel/debug/wdmisr/"$iv"/stats)"
check_contains "raising vector 4 of 4 gets EINVAL" "Invalid argument" \
	"$(wdmisr-read -d /dev/"$iv" -n 1 --trigger --trigger-vector 4 -t 500 2>&1)"
check_cmd "rmmod wdmisr" rmmod wdmisr

check_cmd "insmod wdmisr.ko" insmod "$WDM_MODDIR/wdmisr.ko"
check_eq "both devices bind again as wdmisr0 and wdmisr1" "wdmisr0 wdmisr1" \
	"$(ls /sys/class/wdmisr | xargs)"
edu=$(wdmisr_node "$(find_dev 1234:11e8)")
iv=$(wdmisr_node "$(find_dev 1af4:1110)")
check_eq "edu: 3 raises, 3 events" 3 \
	"$(wdmisr-read -d /dev/"$edu" -n 3 --trigger --format json -t 5000 | edu_payloads_match)"
out=$(wdmisr-read -d /dev/"$iv" -n $((8 * M)) --format summary -t 20000)
printf '%s\n' "$out"
check_contains "ivshmem: 8 vectors; every record that waited arrives" \
	"summary total events=$((8 * M)) good=$((8 * M)) malformed=0 dropped=0 seq_gaps=0" "$out"
unload_wdm
