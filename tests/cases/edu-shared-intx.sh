#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Two edu devices on one shared, level-triggered INTx line (IRQF_SHARED),
# driven by wdmisr with irq_mode=intx. K interrupts are raised on each, one
# at a time: each /dev node delivers exactly K events carrying the raised
# values 1..K, each driver's FALSE count is exactly the other device's K,
# and the line took exactly 2K interrupts and was never disabled.
# qemu: -device edu,addr=3 -device edu,addr=7
# timeout: 240

K=200
plan 21

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

for n in 0 1; do
	out=$(wdmisr-read -d /dev/wdmisr$n -n $K --trigger --format json -t 5000)
	check_eq "wdmisr$n: $K events read" $K "$(printf '%s\n' "$out" | grep -c '"seq"')"
	check_eq "wdmisr$n: payloads are the raised values 1..$K in order" $K \
		"$(printf '%s\n' "$out" | edu_payloads_match)"
done

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
