#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Smoke test of the emulated test hardware, before any driver binds: two edu
# devices sharing one INTx line, and an ivshmem-doorbell with 8 MSI-X vectors
# served by tests/ivshmem-dev/ivshmem-dev. Loads and unloads the project's
# modules when they were built for this kernel, and skips that otherwise.
#
# The edu devices sit in slots 3 and 7: on the pc machine both slots' INTA
# is wired to PCI link LNKC, so they share a line for real. With the default
# slots (3 and 4) both report IRQ 11 only until pci_enable_device(): ACPI
# then routes LNKD to IRQ 10, and the line is no longer shared.
# qemu: -device edu,addr=3 -device edu,addr=7
# ivshmem: --vectors 8
# timeout: 120

# Six hardware checks, then two for the modules (four when they are built).
if have_wdm; then plan 10; else plan 8; fi

check_eq "lspci sees two edu devices (1234:11e8)" 2 "$(lspci -n -d 1234:11e8 | wc -l)"
check_eq "lspci sees one ivshmem-doorbell (1af4:1110)" 1 "$(lspci -n -d 1af4:1110 | wc -l)"

iv=$(find_dev 1af4:1110)
check_contains "ivshmem-doorbell has 8 MSI-X vectors, disabled" \
	"MSI-X: Enable- Count=8" "$(lspci -vv -s "${iv:-none}" 2>&1)"

mapfile -t edu < <(find_dev 1234:11e8)
irq0=$(dev_irq "${edu[0]:-none}" 2>/dev/null)
irq1=$(dev_irq "${edu[1]:-none}" 2>/dev/null)
note "edu ${edu[*]} on IRQ ${irq0:-?} and ${irq1:-?}"
check_cmd "edu devices have an INTx line" test "${irq0:-0}" -gt 0
check_eq "both edu devices report the same IRQ line" "$irq0" "$irq1"

# Enabling a device routes its interrupt link for real (as a driver's probe
# does); the line must still be the same one afterwards.
for d in "${edu[@]}"; do
	echo 1 >"/sys/bus/pci/devices/$d/enable"
done
irq0=$(dev_irq "${edu[0]:-none}" 2>/dev/null)
irq1=$(dev_irq "${edu[1]:-none}" 2>/dev/null)
note "enabled: edu on IRQ ${irq0:-?} and ${irq1:-?}"
check_eq "both edu devices share the IRQ line once enabled" "$irq0" "$irq1"
for d in "${edu[@]}"; do
	echo 0 >"/sys/bus/pci/devices/$d/enable"
done

if have_wdm; then
	load_wdm && unload_wdm
else
	skip "insmod wdm.ko wdmisr.ko" "not built for $(uname -r)"
	skip "rmmod wdmisr wdm" "not built for $(uname -r)"
fi
