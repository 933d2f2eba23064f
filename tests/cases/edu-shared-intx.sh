#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Two edu devices on one shared, level-triggered INTx line (IRQF_SHARED),
# driven by wdmisr with irq_mode=intx. K interrupts are raised on each, one
# at a time: each /dev node delivers exactly K events carrying the raised
# values 1..K, each driver's FALSE count is exactly the other device's K,
# and the line took exactly 2K interrupts and was never disabled. The trace
# tells the two ISRs apart: while the first device raises, wdm_isr_exit
# names its ISR (as /proc/interrupts does) with ret=TRUE K times and the
# other device's with ret=FALSE K times.
# qemu: -device edu,addr=3 -device edu,addr=7
# timeout: 240

K=200
plan 23

load_wdm irq_mode=intx || return
mapfile -t edu < <(find_dev 1234:11e8)
irq=$(dev_irq "${edu[0]}")
before=$(irq_count "$irq")

for n in 0 1; do
	check_eq "wdmisr$n: connected CONNECT_LINE_BASED" CONNECT_LINE_BASED \
		"$(cat /sys/class/wdmisr/wdmisr$n/connect_version)"
done
check_match "IRQ $irq: both devices' ISRs on the one line" \
	"^ *$irq:.*wdm-intx.*wdm-intx" "$(cat /proc/interrupts)"

T=/sys/kernel/tracing
for n in 0 1; do
	if [ $n = 0 ]; then
		echo >$T/trace
		echo 1 >$T/events/wdm/wdm_isr_exit/enable
	fi
	out=$(wdmisr-read -d /dev/wdmisr$n -n $K --trigger --format json -t 5000)
	echo 0 >$T/events/wdm/wdm_isr_exit/enable
	check_eq "wdmisr$n: $K events read" $K "$(printf '%s\n' "$out" | grep -c '"seq"')"
	check_eq "wdmisr$n: payloads are the raised values 1..$K in order" $K \
		"$(printf '%s\n' "$out" | edu_payloads_match)"
done
# The device behind /dev/wdmisr0 raised; the other one only shares the line.
dev0=$(basename "$(readlink /sys/class/wdmisr/wdmisr0/device)")
for d in "${edu[@]}"; do
	[ "$d" = "$dev0" ] || dev1=$d
done
trace=$(cat $T/trace)
check_eq "trace: $K wdm_isr_exit ret=TRUE named wdm-intx($dev0)" $K \
	"$(printf '%s\n' "$trace" | grep -cF "wdm_isr_exit: irq=$irq name=wdm-intx($dev0) msg=0 ret=TRUE ")"
check_eq "trace: $K wdm_isr_exit ret=FALSE named wdm-intx($dev1)" $K \
	"$(printf '%s\n' "$trace" | grep -cF "wdm_isr_exit: irq=$irq name=wdm-intx($dev1) msg=0 ret=FALSE ")"

for n in 0 1; do
	check_eq "wdmisr$n: TRUE = its own $K" $K "$(vector_stat wdmisr$n 0 true)"
	check_eq "wdmisr$n: FALSE = the other device's $K" $K "$(vector_stat wdmisr$n 0 false)"
	check_eq "wdmisr$n: $K events, 0 dropped" "$K 0" \
		"$(vector_stat wdmisr$n 0 events) $(vector_stat wdmisr$n 0 dropped)"
	check_eq "wdmisr$n: DPC run for every DPC queued" \
		"$(vector_stat wdmisr$n 0 dpc_queued)" "$(vector_stat wdmisr$n 0 dpc_run)"
done
check_eq "IRQ $irq took exactly $((2 * K)) interrupts" $((2 * K)) \
	$(($(irq_count "$irq") - before))
check_eq "lspci -k: both edu devices driven by wdmisr" 2 \
	"$(lspci -k -d 1234:11e8 | grep -c 'Kernel driver in use: wdmisr')"

unload_wdm
