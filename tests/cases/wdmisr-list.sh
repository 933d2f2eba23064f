#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# wdmisr-read --list with two edu devices (irq_mode=edu:intx) and an
# ivshmem-doorbell with 4 MSI-X vectors bound to wdmisr: a header and one
# row per device, in address order, each row exactly what sysfs says (the
# BDF behind each /sys/class/wdmisr node, its irq_mode and vectors) with
# the names pci.ids gives (edu's vendor 1234 is not in it: libpci's
# "Device 1234:11e8"); --format json names the same devices in the same
# order. Once wdmisr.ko is gone, it says so and exits 4.
# qemu: -device edu,addr=3 -device edu,addr=7
# ivshmem: --vectors 4
# timeout: 120

plan 16

# What --list prints for each interrupt mode in sysfs, and for each ID.
declare -A mode_name=([intx]=INTx [msi]=MSI [msix]=MSI-X)
declare -A dev_name=(
	[1234:11e8]="Device 1234:11e8"
	[1af4:1110]="Red Hat, Inc. Inter-VM shared memory"
)
declare -A want_irq=([1234:11e8]="intx 1" [1af4:1110]="msix 4")

load_wdm irq_mode=edu:intx || return
check_eq "pci.ids is in the image" yes \
	"$([ -s /usr/share/misc/pci.ids ] && echo yes)"
check_eq "3 functions bound to wdmisr" 3 \
	"$(count_words /sys/bus/pci/drivers/wdmisr/[0-9a-f][0-9a-f][0-9a-f][0-9a-f]:*)"

# The rows --list must print, built from sysfs alone, keyed by BDF.
declare -A row
for n in /sys/class/wdmisr/wdmisr*; do
	bdf=$(basename "$(readlink "$n/device")")
	id=$(sed 's/^0x//' "$n/device/vendor"):$(sed 's/^0x//' "$n/device/device")
	mode=$(cat "$n/irq_mode")
	vectors=$(cat "$n/vectors")
	check_eq "sysfs: $bdf ($id) has $(cat "$n/personality") on ${want_irq[$id]:-?}" \
		"${want_irq[$id]:-?}" "$mode $vectors"
	row[$bdf]=$(printf '%-12s  %-14s  %-6s  %7s  %s [%s]' "$bdf" \
		"/dev/$(basename "$n")" "${mode_name[$mode]:-$mode}" "$vectors" \
		"${dev_name[$id]:-?}" "$id")
done

out=$(wdmisr-read --list 2>&1)
printf '%s\n' "$out" | sed 's/^/# /'
check_eq "--list: the header" \
	"$(printf '%-12s  %-14s  %-6s  %7s  %s' bdf node irq vectors name)" \
	"$(printf '%s\n' "$out" | head -n 1)"
mapfile -t bdfs < <(printf '%s\n' "${!row[@]}" | LC_ALL=C sort)
check_eq "--list: 3 rows, in address order" "${bdfs[*]}" \
	"$(printf '%s\n' "$out" | awk 'NR > 1 { print $1 }' | xargs)"
for bdf in "${bdfs[@]}"; do
	check_eq "--list: the row of $bdf" "${row[$bdf]}" \
		"$(printf '%s\n' "$out" | grep "^$bdf ")"
done

check_eq "--list --format json: the same devices, in the same order" \
	"$(printf '"bdf":"%s" ' "${bdfs[@]}")" \
	"$(wdmisr-read --list --format json | grep -o '"bdf":"[^"]*"' | tr '\n' ' ')"

unload_wdm
out=$(wdmisr-read --list 2>&1)
rc=$?
check_eq "--list without wdmisr.ko: says so, exit 4" \
	"4 wdmisr-read: --list: wdmisr.ko is not loaded (no /sys/module/wdmisr)" "$rc $out"
