#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ivshmem-doorbell with 8 MSI-X vectors, tests/ivshmem-dev/ivshmem-dev as
# the producer: M records on each of the 8 rings, all rings at once,
# starting before the driver is loaded (they wait in the rings). The reader
# gets all 8*M, in order per ring, none malformed, none lost; the host then
# compares each ring's count and CRC with what the device process produced.
# ivshmem: --vectors 8 --count 2000 --slots 256
# timeout: 300

M=2000
plan 11

load_wdm || return
bdf=$(find_dev 1af4:1110)
check_contains "lspci -vv: MSI-X Enable+ Count=8" "MSI-X: Enable+ Count=8" \
	"$(lspci -vv -s "$bdf")"
check_eq "8 messages connected" 8 "$(cat /sys/class/wdmisr/wdmisr0/vectors)"
check_eq "connect_version is CONNECT_MESSAGE_BASED" CONNECT_MESSAGE_BASED \
	"$(wdmisr_info wdmisr0 connect_version)"

out=$(wdmisr-read -n $((8 * M)) --format summary -t 20000)
# The host compares these lines with the device's report.
printf '%s\n' "$out"
check_contains "all $((8 * M)) records, none malformed, lost or out of sequence" \
	"summary total events=$((8 * M)) good=$((8 * M)) malformed=0 dropped=0 seq_gaps=0" "$out"
check_eq "every ring in order" 8 "$(printf '%s\n' "$out" | grep -c 'order=ok')"
check_eq "no record dropped" 0 "$(awk 'NR > 1 { n += $8 } END { print n + 0 }' \
	/sys/kernel/debug/wdmisr/wdmisr0/stats)"
check_eq "lspci -k: driven by wdmisr" 1 \
	"$(lspci -k -d 1af4:1110 | grep -c 'Kernel driver in use: wdmisr')"

unload_wdm
