#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Interrupt insight on a good driver with many messages: wdmisr on an
# ivshmem-doorbell with 8 MSI-X vectors, M records on each ring. Each
# message has its own debugfs directory; their ISR calls add up to the
# driver's interrupt count, and in each the histograms sum to the counts and
# every DPC queued ran. The measured maxima are printed.
# ivshmem: --vectors 8 --count 500 --slots 256
# timeout: 300

M=500
plan 10

load_wdm || return
bdf=$(find_dev 1af4:1110)
check_eq "8 messages connected" 8 "$(cat /sys/class/wdmisr/wdmisr0/vectors)"
dirs=(/sys/kernel/debug/wdm/interrupts/*-wdm-msix\[*\]\("$bdf"\))
check_eq "8 debugfs directories, one per message" 8 "${#dirs[@]}"
check_contains "all $((8 * M)) records" "summary total events=$((8 * M)) good=$((8 * M))" \
	"$(wdmisr-read -n $((8 * M)) --format summary -t 20000)"
wait_stat wdmisr0 all dpc_run "$(vector_stat wdmisr0 all dpc_queued)" 5

# each DIR: its stats and histograms on one line, as awk reads them
each() {
	local d

	for d in "${dirs[@]}"; do
		awk '
			FNR == NR { v[$1] = $2; next }
			{ n = 0; for (i = 2; i <= NF; i++) n += $i; h[$1] = n }
			END {
				print v["isr_calls"], v["dpc_queued"], v["dpc_run"], h["isr_ns"],
				      h["dpc_ns"], h["latency_ns"], v["isr_max_ns"], v["dpc_max_ns"],
				      v["latency_max_ns"]
			}' "$d/stats" "$d/histograms"
	done
}
stats=$(each)
check_eq "the messages' isr_calls add up to the driver's interrupts" \
	"$(vector_stat wdmisr0 all interrupts)" "$(awk '{ n += $1 } END { print n }' <<<"$stats")"
check_eq "in each, dpc_run = dpc_queued" 8 "$(awk '$2 == $3' <<<"$stats" | wc -l)"
check_eq "in each, isr_ns sums to isr_calls, dpc_ns and latency_ns to dpc_run" 8 \
	"$(awk '$4 == $1 && $5 == $3 && $6 == $3' <<<"$stats" | wc -l)"
note "ivshmem MSI-X, per message: isr_calls dpc_queued dpc_run isr_sum dpc_sum latency_sum" \
	"isr_max_ns dpc_max_ns latency_max_ns"
note "$(tr '\n' ';' <<<"$stats")"
note "$(dmesg | grep -E 'over (isr|dpc)_warn_us' | tr '\n' ';')"
unload_wdm
