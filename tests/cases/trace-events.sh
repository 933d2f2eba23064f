#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The trace events, read back from tracefs: K edu raises over MSI give K
# wdm_isr_entry (naming the ISR routine) and K wdm_isr_exit ret=TRUE on the
# MSI's IRQ, each with the name /proc/interrupts shows for it, as many
# wdm_dpc_queue / wdm_dpc_run as the driver counted DPCs queued and run
# (and dpc=1 as often, where its DPCs are threaded), K wdmisr_event with the sequence numbers the reader got, no
# wdmisr_drop, and wdmisr_deliver records summing to K (the reader uses
# read(), --no-mmap: wdmisr_deliver traces read()).
# qemu: -device edu
# timeout: 240

K=50
T=/sys/kernel/tracing
plan 17

load_wdm irq_mode=msi || return
check_cmd "tracefs has events/wdm and events/wdmisr" \
	test -d $T/events/wdm -a -d $T/events/wdmisr
check_eq "wdm events" "wdm_dpc_queue wdm_dpc_run wdm_isr_entry wdm_isr_exit" \
	"$(cd $T/events/wdm && echo wdm_*)"
irq=$(awk '/wdm-msi\[0\]/ { sub(":", "", $1); print $1 }' /proc/interrupts)
# The irqaction name, as /proc/interrupts shows it, as a regex.
name=$(awk -v irq="$irq:" '$1 == irq { print $NF }' /proc/interrupts | sed 's/[][().]/\\&/g')

echo 0 >$T/tracing_on
echo >$T/trace
echo 1 >$T/events/wdm/enable
echo 1 >$T/events/wdmisr/enable
echo 1 >$T/tracing_on
out=$(wdmisr-read -n $K --trigger --no-mmap --format json -t 5000)
# The reader may have the last record before the DPC that follows it ran.
wait_stat wdmisr0 0 dpc_run "$(vector_stat wdmisr0 0 dpc_queued)" 10
echo 0 >$T/tracing_on
echo 0 >$T/events/wdm/enable
echo 0 >$T/events/wdmisr/enable
trace=$(cat $T/trace)

# count PATTERN: trace lines matching the extended regex PATTERN.
count() { printf '%s\n' "$trace" | grep -cE "$1"; }

# The first of each, for whoever reads the log.
printf '%s\n' "$trace" | grep -m 1 'wdm_isr_entry: '
printf '%s\n' "$trace" | grep -m 1 'wdm_isr_exit: '
echo "name pattern: $name"
check_eq "$K records read" $K "$(printf '%s\n' "$out" | grep -c '"seq"')"
check_eq "$K wdm_isr_entry on IRQ ${irq:-?}, named as in /proc/interrupts, routine named" $K \
	"$(count "wdm_isr_entry: irq=$irq name=$name msg=0 message routine=wdmisr_edu_message_isr \\[wdmisr\\]\$")"
check_eq "$K wdm_isr_exit ret=TRUE on IRQ ${irq:-?}, named" $K \
	"$(count "wdm_isr_exit: irq=$irq name=$name msg=0 ret=TRUE ")"
check_eq "no wdm_isr_exit ret=FALSE" 0 "$(count 'wdm_isr_exit: .* ret=FALSE')"
queued=$(vector_stat wdmisr0 0 dpc_queued)
ran=$(vector_stat wdmisr0 0 dpc_run)
# dpc=1: the ISR queued a threaded DPC, which its thread runs: each of
# wdmisr's with threaded_dpc=1 (PREEMPT_RT), none of its DPCs in softirq.
wake=0
[ "$(cat /sys/module/wdmisr/parameters/threaded_dpc)" = Y ] && wake=$queued
check_eq "wdm_isr_exit dpc=1 as often as threaded DPCs were queued ($wake)" "$wake" \
	"$(count 'wdm_isr_exit: .* dpc=1$')"
check_eq "wdm_dpc_queue as often as DPCs were queued ($queued)" "$queued" \
	"$(count 'wdm_dpc_queue: ')"
check_eq "wdm_dpc_run as often as DPCs ran ($ran)" "$ran" "$(count 'wdm_dpc_run: ')"
check_eq "$K wdmisr_event" $K "$(count 'wdmisr_event: wdmisr0 msg=0 ')"
check_eq "wdmisr_event sequence numbers are the records'" \
	"$(printf '%s\n' "$out" | sed -n 's/.*"seq":\([0-9]*\),.*/\1/p' | tr '\n' ' ')" \
	"$(printf '%s\n' "$trace" | sed -n 's/.*wdmisr_event: wdmisr0 .* seq=\([0-9]*\) .*/\1/p' | tr '\n' ' ')"
check_eq "no wdmisr_drop" 0 "$(count 'wdmisr_drop: ')"
check_eq "wdmisr_deliver records add up to $K" $K \
	"$(printf '%s\n' "$trace" | awk -F'records=' '/wdmisr_deliver: wdmisr0 / { split($2, a, " "); n += a[1] } END { print n + 0 }')"

unload_wdm
