#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The generic personality's remove on a line it shares: QEMU's e1000
# (8086:100e, INTx only) in slot 3 and an edu in slot 7, both on PCI link
# LNKC, both bound to wdmisr on INTx; neither is made a bus master. Remove
# must leave the e1000's INTx disabled for good, as vfio does: no handler
# is left to claim it, and on the shared line an unclaimed level interrupt
# storms until genirq disables the line ("nobody cared") for the edu too.
# - Unbound while idle, then made to assert a cause (ICR not read): its
#   COMMAND's INTx-disable bit is set, and the line stays quiet.
# - Bound again and made to assert a cause that nobody clears, so that the
#   generic ISR masks INTx and its DPC unmasks it, over and over, then
#   unbound in the middle of that: the same, whatever DPC ran after the
#   ISR was disconnected. The storm keeps the line's CPU busy (the DPCs run
#   in its IRQ thread), so the case runs on the other CPU.
# Each time: the line goes quiet at once, no "nobody cared" or "Disabling
# IRQ" in the log, the edu still interrupts (one raise, one interrupt, one
# event), and the e1000 still holds its cause: only INTx kept it off the
# line.
# qemu: -device e1000,addr=3,romfile= -device edu,addr=7
# timeout: 240

plan 24

e1000=$(find_dev 8086:100e)
edu=$(find_dev 1234:11e8)
sys=/sys/bus/pci/devices/$e1000

# bind_e1000: bind the e1000 to wdmisr by hand; sets ne, its node.
bind_e1000() {
	echo wdmisr >"$sys/driver_override"
	echo "$e1000" >/sys/bus/pci/drivers_probe
	echo >"$sys/driver_override"
	ne=$(wdmisr_node "$e1000")
}

# assert_cause: the e1000 raises cause 0x4; IMS (0xD0) enables it, ICS
# (0xC8) sets it. Reading ICR (0xC0) clears it.
assert_cause() {
	wdmisr-mmio "$e1000" 0 0xD0 0x4
	wdmisr-mmio "$e1000" 0 0xC8 0x4
}

# after_unbind WHEN: the line is quiet and works, the e1000's INTx is off
# and its cause was held (and is cleared). Six checks.
after_unbind() {
	local before

	check_cmd "$1: IRQ $irq goes quiet" wait_until 60 irq_quiet "$irq"
	check_eq "$1: the e1000's INTx is disabled (COMMAND's INTx-disable bit set)" 0x400 \
		"$(pci_cmd_bits "$e1000" 0x400)"
	check_eq "$1: no 'nobody cared' or 'Disabling IRQ' in the kernel log" 0 \
		"$(dmesg | grep -cE 'nobody cared|Disabling IRQ')"
	before=$(irq_count "$irq")
	check_eq "$1: the edu on IRQ $irq still works: 1 raise, 1 event" 1 \
		"$(wdmisr-read -d "/dev/$nu" -n 1 --trigger --format json -t 5000 |
		   edu_payloads_match)"
	check_eq "$1: that raise was exactly 1 interrupt of IRQ $irq" 1 \
		$(($(irq_count "$irq") - before))
	check_eq "$1: the e1000 held its cause (ICR, cleared by this read)" 0x00000004 \
		"$(wdmisr-mmio "$e1000" 0 0xC0)"
}

load_wdm irq_mode=intx || return
nu=$(wdmisr_node "$edu")
bind_e1000
check_eq "the e1000 is bound to wdmisr as generic, on INTx" "wdmisr generic intx" \
	"$(pci_driver "$e1000") $(cat "/sys/class/wdmisr/$ne/personality" \
	"/sys/class/wdmisr/$ne/irq_mode" 2>&1 | xargs)"
irq=$(dev_irq "$e1000")
check_eq "the e1000 and the edu share IRQ $irq" "$irq" "$(dev_irq "$edu")"
check_match "/proc/interrupts: IRQ $irq has both handlers, the edu's first" \
	"^ *$irq:.* wdm-intx\\($edu\\), wdm-intx\\($e1000\\)\$" "$(cat /proc/interrupts)"
check_eq "on INTx neither is a bus master (COMMAND's Bus Master bit clear)" "0x0 0x0" \
	"$(pci_cmd_bits "$e1000" 0x4) $(pci_cmd_bits "$edu" 0x4)"

pci_unbind "$e1000"
check_eq "unbound while idle: no driver" "" "$(pci_driver "$e1000")"
assert_cause
after_unbind "unbound, then asserting"

bind_e1000
check_eq "bound again" wdmisr "$(pci_driver "$e1000")"
other=$(($(cat "/proc/irq/$irq/effective_affinity_list") == 0 ? 1 : 0))
taskset -pc "$other" $$ >/dev/null
assert_cause
check_cmd "the storm is on: the generic ISR claimed 20 interrupts" \
	wait_stat "$ne" 0 true 20 30
echo "$e1000" >"$sys/driver/unbind"
check_eq "unbound mid-storm: no driver" "" "$(pci_driver "$e1000")"
after_unbind "unbound mid-storm"
unload_wdm
