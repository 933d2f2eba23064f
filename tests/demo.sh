#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: build for Debian's 6.12 kernel, boot it in QEMU with two edu
# devices on a shared INTx line and an 8-vector ivshmem-doorbell served by
# tests/ivshmem-dev/ivshmem-dev, and show the records reaching wdmisr-read,
# the examples taking the edu devices and, last, wdmstat's table of the ISRs
# and DPCs (tests/cases/demo.sh). The exit status says whether everything
# arrived.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

. "$TOP/tests/lib/host.sh"
read -r kdir kver < <(debian_612_kernel) || true
if [ -z "${kver:-}" ]; then
	echo "demo: no Debian 6.12 kernel with headers and a guest image; run 'make deps'" >&2
	exit 1
fi

echo "demo: building wdm.ko and wdmisr.ko for $kver, and the tools"
make -C "$TOP" --no-print-directory -s modules KDIR="$kdir" >/dev/null
make -C "$TOP" --no-print-directory -s test-tools >/dev/null
echo "demo: booting $kver in QEMU (TCG); the guest's console follows"
# The console from the guest's first line on, without the kernel log dump
# that the harness greps (it is kept in build/logs/).
set -o pipefail
"$TOP/tests/qemu/run-guest.sh" --kernel "$kver" --case demo --verbose |
	sed -n '/^WDMTEST-START/,$p' |
	sed '/^WDMTEST-DMESG-BEGIN$/,/^WDMTEST-DMESG-END$/d'
