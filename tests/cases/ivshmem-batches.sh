#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Batches: one signal per 500 records, more than one hold of the interrupt
# lock may drain (64), 20,000 records per ring. Each ISR run queues at most 64 events (counted from
# the trace events between its wdm_isr_entry and wdm_isr_exit on one CPU),
# its DPC drains the rest batch by batch, and still every record arrives in
# order with the device's CRCs, none lost.
# ivshmem: --vectors 2 --count 20000 --slots 1024 --pattern burst --burst 500
# timeout: 300

M=20000
BATCH=64
T=/sys/kernel/tracing
plan 11

# The device fills its rings before the driver is there, and goes on as soon
# as the driver drains them: trace from before the probe. The queue holds
# every record, so it never fills: the ISRs and their DPCs, not the reader,
# drain the rings.
echo 0 >/sys/bus/pci/drivers_autoprobe
load_wdm queue_len=65536 || return
echo 1 >/sys/bus/pci/drivers_autoprobe
echo 0 >$T/tracing_on
echo >$T/trace
echo 1 >$T/events/wdm/enable
echo 1 >$T/events/wdmisr/wdmisr_event/enable
echo 1 >$T/tracing_on
pci_bind "$(find_dev 1af4:1110)" wdmisr
out=$(wdmisr-read -n $((2 * M)) --format summary -t 30000)
echo 0 >$T/tracing_on
printf '%s\n' "$out"
check_contains "all $((2 * M)) records, none lost" \
	"summary total events=$((2 * M)) good=$((2 * M)) malformed=0 dropped=0 seq_gaps=0" "$out"
check_eq "both rings in order" 2 "$(printf '%s\n' "$out" | grep -c 'order=ok')"

# Per CPU, the events between an ISR's entry and its exit are its own.
most=$(awk '
	match($0, / \[[0-9]+\] /) { cpu = substr($0, RSTART + 2, RLENGTH - 4) }
	/ wdm_isr_entry: / { in_isr[cpu] = 1; n[cpu] = 0; runs++ }
	/ wdmisr_event: / && in_isr[cpu] { n[cpu]++ }
	/ wdm_isr_exit: / { if (n[cpu] > most) most = n[cpu]; in_isr[cpu] = 0 }
	END { print most + 0, runs + 0 }' $T/trace)
[ "${most#* }" -gt 0 ] || head -n 40 $T/trace
note "largest ISR batch, ISR runs: $most"
check_cmd "ISRs ran (${most#* })" test "${most#* }" -gt 0
check_cmd "no ISR queued more than $BATCH events (${most% *})" test "${most% *}" -le $BATCH
check_eq "some ISR stopped at a full batch of $BATCH" $BATCH "${most% *}"
irqs=$(awk 'NR > 1 { n += $2 } END { print n }' /sys/kernel/debug/wdmisr/wdmisr0/stats)
check_cmd "fewer interrupts ($irqs) than records / $BATCH" test "$irqs" -lt $((2 * M / BATCH))
unload_wdm
