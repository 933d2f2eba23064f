#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Interrupt insight on a deliberately bad driver, wdm_bad.ko
# (tests/seed-module/wdm_bad_driver.c), with wdm.ko's verifier on: an ISR
# that stalls 200 us, a DPC that stalls 2 ms, an ISR that leaves the IRQL
# raised, an ISR that calls KeSynchronizeExecution() on its own interrupt.
# Each gives exactly its report, naming the routine; the statistics count
# exactly the interrupts fired; nothing crashes.
# timeout: 240

N=100
plan 19

check_cmd "insmod wdm.ko verify=1" insmod "$WDM_MODDIR/wdm.ko" verify=1 || return
check_cmd "insmod wdm_bad.ko count=$N" insmod "$WDM_MODDIR/wdm_bad.ko" count=$N || return

# dir_of ISR: the debugfs directory of the object whose ISR is ISR.
dir_of() {
	local f

	for f in /sys/kernel/debug/wdm/interrupts/*/stats; do
		grep -qx "isr $1 \[wdm_bad\]" "$f" && dirname "$f"
	done
}

# stat ISR KEY: one value of that object's stats.
stat() {
	awk -v k="$2" '$1 == k { sub(/^[^ ]* /, ""); print }' "$(dir_of "$1")/stats"
}

# hist_sum ISR NAME: the sum of one of that object's histograms.
hist_sum() {
	awk -v h="$2" '$1 == h { for (i = 2; i <= NF; i++) n += $i; print n }' \
		"$(dir_of "$1")/histograms"
}

# reports REGEX: how many kernel log lines match REGEX.
reports() {
	dmesg | grep -cE -- "$1"
}

stall_done() { [ "$(stat BadStallIsr isr_calls)" = $N ]; }
good_done() { [ "$(stat BadGoodIsr dpc_run)" = "$(stat BadGoodIsr dpc_queued)" ]; }
# Force-threaded (PREEMPT_RT) the handlers run after wdm_bad's init returned.
wait_until 10 stall_done
wait_until 10 good_done
dirs=$(ls /sys/kernel/debug/wdm/interrupts | wc -l)
check_eq "4 objects, 4 debugfs directories" 4 "$dirs"
check_eq "BadStallIsr: $N calls, $N TRUE, isr_ns sums to $N" "$N $N $N" \
	"$(stat BadStallIsr isr_calls) $(stat BadStallIsr isr_true) $(hist_sum BadStallIsr isr_ns)"
check_cmd "BadStallIsr: isr_max_ns at least 200 us" \
	test "$(stat BadStallIsr isr_max_ns)" -ge 200000
check_eq "BadGoodIsr: $N calls, isr_ns sums to $N" "$N $N" \
	"$(stat BadGoodIsr isr_calls) $(hist_sum BadGoodIsr isr_ns)"
check_eq "BadGoodIsr: dpc_ns and latency_ns sum to dpc_run" \
	"$(stat BadGoodIsr dpc_run) $(stat BadGoodIsr dpc_run)" \
	"$(hist_sum BadGoodIsr dpc_ns) $(hist_sum BadGoodIsr latency_ns)"
check_eq "BadGoodIsr: the DPC is BadSlowDpc" "BadSlowDpc [wdm_bad]" "$(stat BadGoodIsr dpc)"
check_cmd "BadGoodIsr: dpc_max_ns at least 2 ms" \
	test "$(stat BadGoodIsr dpc_max_ns)" -ge 2000000
check_eq "BadIrqlIsr: 1 call" 1 "$(stat BadIrqlIsr isr_calls)"
check_eq "BadSyncIsr: 1 call, FALSE (KeSynchronizeExecution refused)" "1 1" \
	"$(stat BadSyncIsr isr_calls) $(stat BadSyncIsr isr_false)"
check_eq "one ISR watchdog report for BadStallIsr" 1 \
	"$(reports '^\[ *[0-9.]+\] wdm: ISR BadStallIsr \[wdm_bad\] of .* ran [0-9]+ us, over isr_warn_us=25$')"
check_eq "one DPC watchdog report for BadSlowDpc" 1 \
	"$(reports '^\[ *[0-9.]+\] wdm: DPC BadSlowDpc \[wdm_bad\] of .* ran [0-9]+ us, over dpc_warn_us=100$')"
check_eq "one verifier report for BadIrqlIsr: ISR_IRQL_CHANGED" 1 \
	"$(reports 'wdm: driver bug at BadIrqlIsr.*ISR BadIrqlIsr \[wdm_bad\] of .*\(verifier: ISR_IRQL_CHANGED\)')"
check_eq "one report for BadSyncIsr: SYNCHRONIZE_FROM_OWN_ISR" 1 \
	"$(reports 'wdm: driver bug at BadSyncIsr.*BadSyncRoutine \[wdm_bad\]\) from ISR BadSyncIsr \[wdm_bad\].*\(verifier: SYNCHRONIZE_FROM_OWN_ISR\)')"
check_eq "no other verifier report" 2 "$(reports 'verifier: ')"
note "$(dmesg | grep -E 'wdm: (ISR|DPC|driver bug)' | tr '\n' ';')"
check_cmd "rmmod wdm_bad" rmmod wdm_bad
check_eq "no debugfs directory left" 0 "$(ls /sys/kernel/debug/wdm/interrupts | wc -l)"
check_cmd "rmmod wdm" rmmod wdm
