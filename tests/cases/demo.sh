#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: two edu devices on one shared INTx line and an ivshmem-doorbell
# with 8 MSI-X vectors, fed by tests/ivshmem-dev/ivshmem-dev at 10 records/s
# per ring. wdmisr-read prints the records as they arrive; the run shows
# each device's per-vector statistics. Then the porter's example,
# examples/edu-wdm (built against the installed kit), takes both edu devices
# on their MSIs: K interrupts each reach its ISR, DpcForIsr and work item;
# and the KMDF example, examples/edu-kmdf, whose WDFINTERRUPT the framework
# connects: K interrupts each reach its EvtInterruptIsr and EvtInterruptDpc.
# The run passes only if everything arrived.
# run-by: make demo
# qemu: -device edu,addr=3 -device edu,addr=7
# ivshmem: --vectors 8 --count 150 --rate 10 --slots 256
# timeout: 300

K=16
M=150
plan 19

load_wdm irq_mode=edu:intx || return
wdmisr-read --list

# The /dev node of the device at a BDF.
node_of() { basename /sys/bus/pci/devices/"$1"/wdmisr/wdmisr*; }
mapfile -t edu < <(find_dev 1234:11e8)
iv=$(find_dev 1af4:1110)

for bdf in "${edu[@]}"; do
	n=$(node_of "$bdf")
	echo
	note "/dev/$n: edu $bdf, shared INTx line: $K interrupts, one at a time"
	out=$(wdmisr-read -d "/dev/$n" -n $K --trigger --format json -t 5000)
	printf '%s\n' "$out"
	check_eq "$n: $K events carrying the raised values 1..$K" $K \
		"$(printf '%s\n' "$out" | edu_payloads_match)"
done

n=$(node_of "$iv")
echo
note "/dev/$n: ivshmem $iv, 8 rings on 8 MSI-X vectors, $M records each, live"
wdmisr-read -d "/dev/$n" -n $((8 * M)) --format text -t 20000 | tee /tmp/iv.txt
check_eq "$n: $((8 * M)) records read" $((8 * M)) "$(grep -c '^ *[0-9]' /tmp/iv.txt)"
check_eq "$n: no gap in the sequence" 0 "$(grep -c '^# gap' /tmp/iv.txt)"
check_eq "$n: every vector delivered $M records, none malformed or dropped" 8 \
	"$(awk -v m=$M 'NR > 1 && $7 == m && $8 == 0 && $9 == 0' \
		/sys/kernel/debug/wdmisr/"$n"/stats | wc -l)"

echo
note "per-device, per-vector statistics"
for bdf in "${edu[@]}" "$iv"; do
	n=$(node_of "$bdf")
	echo "/dev/$n: $bdf $(cat /sys/class/wdmisr/"$n"/personality)," \
		"$(cat /sys/class/wdmisr/"$n"/irq_mode)"
	wdmisr-read -d "/dev/$n" --stats
done
for bdf in "${edu[@]}"; do
	n=$(node_of "$bdf")
	check_eq "$n: TRUE for its own $K, FALSE for the other device's $K" "$K $K" \
		"$(vector_stat "$n" 0 true) $(vector_stat "$n" 0 false)"
done
check_cmd "rmmod wdmisr" rmmod wdmisr

echo
note "examples/edu-wdm (edu_wdm.ko, built against the installed kit) on the edu devices"
check_cmd "insmod edu_wdm.ko" insmod "$WDM_MODDIR/edu_wdm.ko"
for bdf in "${edu[@]}"; do
	ex=/sys/bus/pci/devices/$bdf/edu_wdm
	edu_raise_each "$bdf" $K "$ex/workitem_runs"
	echo "edu $bdf: $(cat "$ex/connect_version"), ID $(cat "$ex/id"):" \
		"ISR $(cat "$ex/isr_calls"), TRUE $(cat "$ex/claimed")," \
		"DpcForIsr $(cat "$ex/dpc_runs"), work item $(cat "$ex/workitem_runs")"
	check_eq "edu_wdm on $bdf: $K interrupts, each through ISR, DpcForIsr and work item" \
		"$K $K $K $K" \
		"$(cat "$ex/isr_calls" "$ex/claimed" "$ex/dpc_runs" "$ex/workitem_runs" | xargs)"
done
# The work item holds a module reference until just after its routine returns.
check_cmd "rmmod edu_wdm" wait_until 10 rmmod edu_wdm

echo
note "examples/edu-kmdf (edu_kmdf.ko, KMDF on the installed kit) on the edu devices"
check_cmd "insmod edu_kmdf.ko" insmod "$WDM_MODDIR/edu_kmdf.ko"
for bdf in "${edu[@]}"; do
	ex=/sys/bus/pci/devices/$bdf/edu_kmdf
	edu_raise_each "$bdf" $K "$ex/dpc_runs"
	echo "edu $bdf: WDFINTERRUPT on IRQ $(cat "$ex/vector"), ID $(cat "$ex/id"):" \
		"EvtInterruptIsr $(cat "$ex/isr_calls"), TRUE $(cat "$ex/claimed")," \
		"EvtInterruptDpc $(cat "$ex/dpc_runs")"
	check_eq "edu_kmdf on $bdf: $K interrupts, each through EvtInterruptIsr and EvtInterruptDpc" \
		"$K $K $K" "$(cat "$ex/isr_calls" "$ex/claimed" "$ex/dpc_runs" | xargs)"
done
echo "the framework's callbacks: $(xargs </sys/bus/pci/drivers/edu_kmdf/events)"
check_cmd "rmmod edu_kmdf" rmmod edu_kmdf
check_cmd "rmmod wdm" rmmod wdm
