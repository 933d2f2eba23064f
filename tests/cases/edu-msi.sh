#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# One edu device with irq_mode=msi: IoConnectInterruptEx(CONNECT_MESSAGE_BASED)
# takes its single MSI message. K raises, one at a time, give exactly K
# events carrying the raised values, on exactly K interrupts of the MSI.
# qemu: -device edu
# timeout: 240

K=200
plan 12

load_wdm irq_mode=msi || return
bdf=$(find_dev 1234:11e8)
check_eq "connect_version is CONNECT_MESSAGE_BASED" CONNECT_MESSAGE_BASED \
	"$(wdmisr_info wdmisr0 connect_version)"
check_eq "irq_mode is msi" msi "$(cat /sys/class/wdmisr/wdmisr0/irq_mode)"
check_contains "lspci -vv: MSI Enable+" "MSI: Enable+" "$(lspci -vv -s "$bdf")"
irq=$(awk '/wdm-msi\[0\]/ { sub(":", "", $1); print $1 }' /proc/interrupts)
before=$(irq_count "${irq:-0}")

out=$(wdmisr-read -n $K --trigger --format json -t 5000)
check_eq "$K events read" $K "$(printf '%s\n' "$out" | grep -c '"seq"')"
check_eq "payloads are the raised values 1..$K in order" $K \
	"$(printf '%s\n' "$out" | edu_payloads_match)"
check_eq "ISR: $K calls, all TRUE" "$K $K 0" "$(vector_stat wdmisr0 0 interrupts) \
$(vector_stat wdmisr0 0 true) $(vector_stat wdmisr0 0 false)"
check_eq "MSI IRQ ${irq:-?} took exactly $K interrupts" $K $(($(irq_count "${irq:-0}") - before))
check_eq "lspci -k: driven by wdmisr" 1 \
	"$(lspci -k -d 1234:11e8 | grep -c 'Kernel driver in use: wdmisr')"

unload_wdm
