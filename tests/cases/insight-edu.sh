#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Interrupt insight on a good driver: wdmisr on edu with its MSI. K raises
# give, in wdm's debugfs directory of the message, exactly K ISR calls (what
# /proc/interrupts and the driver count), histograms that sum to the counts,
# every DPC queued run and named; the measured maxima are printed. A reset
# zeroes the statistics; the directory goes with the driver.
# qemu: -device edu
# timeout: 240

K=200
plan 17

load_wdm irq_mode=msi || return
bdf=$(find_dev 1234:11e8)
irq=$(awk '/wdm-msi\[0\]/ { sub(":", "", $1); print $1 }' /proc/interrupts)
dir="/sys/kernel/debug/wdm/interrupts/${irq:-0}-wdm-msi[0]($bdf)"
check_cmd "debugfs directory $dir" test -d "$dir"
before=$(irq_count "${irq:-0}")

# stat KEY: one value of the object's stats file.
stat() {
	awk -v k="$1" '$1 == k { sub(/^[^ ]* /, ""); print }' "$dir/stats"
}

# hist_sum NAME: the sum of one histogram's 32 counts, and how many there are.
hist_sum() {
	awk -v h="$1" '$1 == h { for (i = 2; i <= NF; i++) n += $i; print n, NF - 1 }' \
		"$dir/histograms"
}

check_eq "$K raises give $K events" $K \
	"$(wdmisr-read -n $K --trigger --format json -t 5000 | edu_payloads_match)"
wait_stat wdmisr0 0 dpc_run "$(vector_stat wdmisr0 0 dpc_queued)" 5
calls=$(($(irq_count "${irq:-0}") - before))
check_eq "isr_calls is the $calls interrupts of IRQ ${irq:-?}" "$calls" "$(stat isr_calls)"
check_eq "isr_calls is the driver's count" "$(vector_stat wdmisr0 0 interrupts)" "$(stat isr_calls)"
check_eq "isr_true + isr_false = isr_calls" "$(stat isr_calls)" \
	"$(($(stat isr_true) + $(stat isr_false)))"
check_eq "dpc_run = dpc_queued" "$(stat dpc_queued)" "$(stat dpc_run)"
check_eq "isr_ns: 32 counts summing to isr_calls" "$(stat isr_calls) 32" "$(hist_sum isr_ns)"
check_eq "dpc_ns: 32 counts summing to dpc_run" "$(stat dpc_run) 32" "$(hist_sum dpc_ns)"
check_eq "latency_ns: 32 counts summing to dpc_run" "$(stat dpc_run) 32" "$(hist_sum latency_ns)"
check_match "isr names the driver's ISR" '\[wdmisr\]$' "$(stat isr)"
check_match "dpc names the driver's DPC" '\[wdmisr\]$' "$(stat dpc)"
note "edu MSI: isr_calls $(stat isr_calls) isr_max_ns $(stat isr_max_ns)" \
	"dpc_run $(stat dpc_run) dpc_max_ns $(stat dpc_max_ns) latency_max_ns $(stat latency_max_ns)"
note "$(dmesg | grep -E 'over (isr|dpc)_warn_us' | tr '\n' ';')"
echo 1 >/sys/kernel/debug/wdm/reset
check_eq "wdm/reset zeroes isr_calls and dpc_run" "0 0" "$(stat isr_calls) $(stat dpc_run)"
unload_wdm
check_fail "the directory is gone with the driver" test -e "$dir"
