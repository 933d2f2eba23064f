#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A probe that fails after IoConnectInterruptEx, at its last step: no minor
# left for /dev/wdmisrN. An open file keeps its device, and so its minor,
# after an unbind; with max_devices=1, binding the edu, opening its node and
# unbinding it holds every minor. Then:
# - the edu, with a raise pending that no interrupt reported (raised by
#   hand while unbound, on INTx, then bound on MSI), fails its probe
#   (ENOSPC) and the failed probe quiesces it: the raise is acknowledged,
#   the status reads 0;
# - the ivshmem-doorbell, whose rings hold 16 records each, published
#   before any driver was there, fails its probe too, and the failed probe
#   leaves the rings alone: no tail moved, so no record was taken that
#   nobody would read.
# Once the files are closed the ivshmem binds, and the reader gets all 32
# records; the host compares them with the device's report.
# qemu: -device edu
# ivshmem: --vectors 2 --count 16 --slots 16
# timeout: 180

MINORS=1
plan 14

edu=$(find_dev 1234:11e8)
iv=$(find_dev 1af4:1110)
drv=/sys/bus/pci/drivers/wdmisr
status=$(hw_reg EDU_REG_IRQ_STATUS) || return
raise=$(hw_reg EDU_REG_IRQ_RAISE) || return

# ring_words OFFSET: the 32-bit word at OFFSET of each ivshmem ring (head 0,
# tail 0x40), for both rings, in BAR2 as the header lays them out.
ring_words() {
	local off stride k

	off=$(wdmisr-mmio "$iv" 2 0x14)
	stride=$(wdmisr-mmio "$iv" 2 0x18)
	for k in 0 1; do
		wdmisr-mmio "$iv" 2 $((off + k * stride + $1))
	done | xargs
}

# bind_error BDF: bind BDF to wdmisr; print what the write failed with.
bind_error() {
	(echo "$1" >"$drv/bind") 2>&1
}

# wdmisr leaves the ivshmem alone until it is bound by hand.
echo none >"/sys/bus/pci/devices/$iv/driver_override"
load_wdm max_devices=$MINORS || return
held=()
while :; do
	node=$(wdmisr_node "$edu")
	if [ -z "$node" ] || ! wait_for "/dev/$node" 5; then
		break
	fi
	exec {fd}<"/dev/$node"
	held+=("$fd")
	echo "$edu" >"$drv/unbind"
	[ ${#held[@]} -lt $MINORS ] || break
	echo "$edu" >"$drv/bind"
done
check_eq "$MINORS open files hold every minor; the edu is unbound" "$MINORS " \
	"${#held[@]} $(pci_driver "$edu")"

wdmisr-mmio "$edu" 0 "$raise" 0x5
check_eq "the edu holds a raise no interrupt reported" 0x00000005 \
	"$(wdmisr-mmio "$edu" 0 "$status")"
check_contains "binding the edu fails: no minor left" "No space left on device" \
	"$(bind_error "$edu")"
check_eq "the failed probe quiesced the edu: its raise acknowledged" 0x00000000 \
	"$(wdmisr-mmio "$edu" 0 "$status")"

check_eq "each ivshmem ring has published 16 records, none taken" \
	"0x00000010 0x00000010 0x00000000 0x00000000" "$(ring_words 0) $(ring_words 0x40)"
echo >"/sys/bus/pci/devices/$iv/driver_override"
check_contains "binding the ivshmem fails: no minor left" "No space left on device" \
	"$(bind_error "$iv")"
check_eq "the failed probe took no record: both tails still 0" \
	"0x00000000 0x00000000" "$(ring_words 0x40)"

for fd in "${held[@]}"; do
	exec {fd}<&-
done
check_cmd "files closed, the ivshmem binds" sh -c "echo $iv >$drv/bind"
node=$(wdmisr_node "$iv")
wait_for "/dev/$node" 5
out=$(wdmisr-read -d "/dev/$node" -n 32 --format summary -t 20000)
# The host compares these lines with the device's report.
printf '%s\n' "$out"
check_contains "all 32 records, none malformed, lost or out of sequence" \
	"summary total events=32 good=32 malformed=0 dropped=0 seq_gaps=0" "$out"
unload_wdm
# Only now: the sysfs mapping of BAR2 is refused while a driver holds it.
check_eq "both tails at 16: the rings are drained" "0x00000010 0x00000010" \
	"$(ring_words 0x40)"
