#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The trace events through trace-cmd and perf, run as the README shows them:
# each records system-wide for as long as a sleep runs, K edu raises over MSI
# happen meanwhile, and the sleep is ended once the driver has run the DPC
# of the last one. trace-cmd report shows K wdm_isr_entry (naming the ISR
# routine) and K wdm_isr_exit ret=TRUE on the MSI's IRQ, named as
# /proc/interrupts names it, as many wdm_dpc_queue / wdm_dpc_run (and
# dpc=1, where its DPCs are threaded) as the driver counted DPCs queued and run, K wdmisr_event with the sequence
# numbers the reader got, no wdmisr_drop and wdmisr_deliver records summing
# to K; perf stat counts K wdm_isr_entry and as many wdm_dpc_run as the
# driver ran DPCs; perf record writes K samples, and perf script shows them
# as K wdm_isr_exit ret=TRUE, named, with dpc=1 as often as threaded DPCs
# were queued.
# qemu: -device edu
# tools: trace-cmd perf
# timeout: 300

K=50
plan 26

# child_named PID NAME: a child of PID runs NAME; its PID goes to $child.
# Shell builtins only: wait_until calls it often.
child_named() {
	local f stat

	for f in /proc/[0-9]*/stat; do
		read -r stat 2>/dev/null <"$f" || continue
		if [[ $stat =~ ^([0-9]+)\ \($2\)\ .\ $1\  ]]; then
			child=${BASH_REMATCH[1]}
			return 0
		fi
	done
	return 1
}

# traced CMD...: run CMD, a tracer whose workload is "sleep 300", in the
# background; once the sleep runs (the tracer is recording by then), raise
# K interrupts, wait for the DPC that follows the last, end the sleep and
# wait for CMD. Sets $out (the reader's JSON), $tool_out (CMD's output),
# $tool_rc, $queued and $ran (the DPCs the driver queued and ran meanwhile).
traced() {
	local pid

	wdmisr-read --reset-stats
	"$@" >/tmp/tool.out 2>&1 &
	pid=$!
	if wait_until 120 child_named $pid sleep; then
		out=$(wdmisr-read -n $K --trigger --no-mmap --format json -t 5000)
		# The reader may have the last record before the DPC that
		# follows it ran.
		wait_stat wdmisr0 0 dpc_run "$(vector_stat wdmisr0 0 dpc_queued)" 10
		kill "$child"
	else
		note "$1 did not start its sleep"
		out=
		kill $pid
	fi
	wait $pid
	tool_rc=$?
	tool_out=$(cat /tmp/tool.out)
	queued=$(vector_stat wdmisr0 0 dpc_queued)
	ran=$(vector_stat wdmisr0 0 dpc_run)
}

# count TEXT PATTERN: lines of TEXT matching the extended regex PATTERN.
count() { printf '%s\n' "$1" | grep -cE "$2"; }

load_wdm irq_mode=msi || return
irq=$(awk '/wdm-msi\[0\]/ { sub(":", "", $1); print $1 }' /proc/interrupts)
# The irqaction name, as /proc/interrupts shows it, as a regex.
name=$(awk -v irq="$irq:" '$1 == irq { print $NF }' /proc/interrupts | sed 's/[][().]/\\&/g')
echo "name pattern: $name"
check_cmd "trace-cmd runs in the guest" trace-cmd list -e wdm
check_cmd "perf runs in the guest" perf list 'wdm:*'

# --- trace-cmd record, trace-cmd report -------------------------------------------
traced trace-cmd record -e wdm -e wdmisr -o /tmp/trace.dat sleep 300
check_eq "trace-cmd record ended with status 0" 0 "$tool_rc" || _wdm_show "$tool_out"
check_eq "$K records read (trace-cmd)" $K "$(count "$out" '"seq"')"
trace=$(trace-cmd report -i /tmp/trace.dat 2>&1)
printf '%s\n' "$trace" | grep -m 1 'wdm_isr_entry: '
printf '%s\n' "$trace" | grep -m 1 'wdm_isr_exit: '
printf '%s\n' "$trace" | grep -m 1 'wdm_dpc_run: '
check_eq "trace-cmd report: $K wdm_isr_entry on IRQ ${irq:-?}, named, routine named" $K \
	"$(count "$trace" "wdm_isr_entry: +irq=$irq name=$name msg=0 message routine=wdmisr_edu_message_isr\$")"
check_eq "trace-cmd report: $K wdm_isr_exit ret=TRUE on IRQ ${irq:-?}, named" $K \
	"$(count "$trace" "wdm_isr_exit: +irq=$irq name=$name msg=0 ret=TRUE ")"
check_eq "trace-cmd report: no wdm_isr_exit ret=FALSE" 0 "$(count "$trace" 'wdm_isr_exit: .* ret=FALSE')"
# dpc=1: the ISR queued a threaded DPC, which its thread runs: each of
# wdmisr's with threaded_dpc=1 (PREEMPT_RT), none of its DPCs in softirq.
wake=0
[ "$(cat /sys/module/wdmisr/parameters/threaded_dpc)" = Y ] && wake=$queued
check_eq "trace-cmd report: wdm_isr_exit dpc=1 as often as threaded DPCs were queued ($wake)" "$wake" \
	"$(count "$trace" 'wdm_isr_exit: .* dpc=1$')"
check_eq "trace-cmd report: wdm_dpc_queue as often as DPCs were queued ($queued)" "$queued" \
	"$(count "$trace" 'wdm_dpc_queue: ')"
check_eq "trace-cmd report: wdm_dpc_run as often as DPCs ran ($ran)" "$ran" \
	"$(count "$trace" 'wdm_dpc_run: ')"
check_eq "trace-cmd report: $K wdmisr_event" $K "$(count "$trace" 'wdmisr_event: +wdmisr0 msg=0 ')"
check_eq "trace-cmd report: wdmisr_event sequence numbers are the records'" \
	"$(printf '%s\n' "$out" | sed -n 's/.*"seq":\([0-9]*\),.*/\1/p' | tr '\n' ' ')" \
	"$(printf '%s\n' "$trace" | sed -n 's/.*wdmisr_event: *wdmisr0 .* seq=\([0-9]*\) .*/\1/p' | tr '\n' ' ')"
check_eq "trace-cmd report: no wdmisr_drop" 0 "$(count "$trace" 'wdmisr_drop: ')"
check_eq "trace-cmd report: wdmisr_deliver records add up to $K" $K \
	"$(printf '%s\n' "$trace" | awk -F'records=' '/wdmisr_deliver: *wdmisr0 / { split($2, a, " "); n += a[1] } END { print n + 0 }')"

# --- perf stat ------------------------------------------------------------------
traced perf stat -e wdm:wdm_isr_entry -e wdm:wdm_dpc_run -a -- sleep 300
printf '%s\n' "$tool_out"
check_eq "$K records read (perf stat)" $K "$(count "$out" '"seq"')"
check_eq "perf stat: $K wdm:wdm_isr_entry" $K \
	"$(printf '%s\n' "$tool_out" | awk '$2 == "wdm:wdm_isr_entry" { print $1 }')"
check_eq "perf stat: wdm:wdm_dpc_run as often as DPCs ran ($ran)" "$ran" \
	"$(printf '%s\n' "$tool_out" | awk '$2 == "wdm:wdm_dpc_run" { print $1 }')"

# --- perf record, perf script ---------------------------------------------------
traced perf record -e wdm:wdm_isr_exit -a -o /tmp/perf.data -- sleep 300
check_match "perf record wrote $K samples" "Captured and wrote .* \\($K samples\\)" "$tool_out"
check_eq "$K records read (perf record)" $K "$(count "$out" '"seq"')"
script=$(perf script -i /tmp/perf.data 2>&1)
printf '%s\n' "$script" | grep -m 1 'wdm:wdm_isr_exit: '
check_eq "perf script: $K wdm:wdm_isr_exit ret=TRUE on IRQ ${irq:-?}, named" $K \
	"$(count "$script" "wdm:wdm_isr_exit: +irq=$irq name=$name msg=0 ret=TRUE ")"
check_eq "perf script: wdm:wdm_isr_exit dpc=1 as often as threaded DPCs were queued ($wake)" "$wake" \
	"$(count "$script" 'wdm:wdm_isr_exit: .* dpc=1$')"
check_eq "perf script: only wdm:wdm_isr_exit" "$K" "$(count "$script" 'wdm:')"

unload_wdm
