#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Storm: 1,000,000 records, 125,000 on each of 8 rings, published as fast as
# the producer can go, one signal per record. Every record arrives, in order
# per ring, none malformed or dropped (the host compares each ring's count
# and CRC with the device's report); no vector dropped one; the kernel log
# has no "nobody cared" and no disabled IRQ. Meanwhile `cat /proc/interrupts`
# runs over and over: every one returns, and at least one returns while the
# storm is on and sees the MSI-X counts between their values before and
# after it.
# ivshmem: --vectors 8 --count 125000 --slots 1024
# timeout: 400

M=${M:-125000}
N=$((8 * M))
plan 12

# msix_total: interrupts on the device's 8 MSI-X messages, from stdin.
msix_total() {
	awk '/wdm-msix\[/ { for (i = 2; i <= 3; i++) n += $i } END { print n + 0 }'
}

# between LOW HIGH VALUE...: some VALUE lies strictly between LOW and HIGH.
between() {
	local low=$1 high=$2 v

	shift 2
	for v; do
		[ "$v" -gt "$low" ] && [ "$v" -lt "$high" ] && return 0
	done
	return 1
}

load_wdm || return
before=$(msix_total </proc/interrupts)
wdmisr-read -n $N --format summary -t 30000 >/tmp/storm.out 2>&1 &
reader=$!
cats=0 failed=0 during=0 seen=
while kill -0 $reader 2>/dev/null; do
	if out=$(cat /proc/interrupts); then
		cats=$((cats + 1))
		kill -0 $reader 2>/dev/null && during=$((during + 1)) seen+=" $(msix_total <<<"$out")"
	else
		failed=$((failed + 1))
	fi
done
wait $reader
rc=$?
after=$(msix_total </proc/interrupts)
out=$(cat /tmp/storm.out)
printf '%s\n' "$out"
note "$cats reads of /proc/interrupts, $during during the storm; MSI-X $before -> $after"

check_eq "the reader exits 0" 0 $rc
check_contains "all $N records, none malformed, dropped or out of sequence" \
	"summary total events=$N good=$N malformed=0 dropped=0 seq_gaps=0" "$out"
check_eq "every ring in order" 8 "$(printf '%s\n' "$out" | grep -c 'order=ok')"
check_eq "no vector dropped a record" 0 \
	"$(awk 'NR > 1 { n += $8 } END { print n }' /sys/kernel/debug/wdmisr/wdmisr0/stats)"
check_eq "every vector's DPCs ran" "$(awk 'NR > 1 { n += $5 } END { print n }' \
	/sys/kernel/debug/wdmisr/wdmisr0/stats)" \
	"$(awk 'NR > 1 { n += $6 } END { print n }' /sys/kernel/debug/wdmisr/wdmisr0/stats)"
check_eq "every cat /proc/interrupts returned" 0 $failed
check_cmd "a cat returned during the storm and saw it under way" \
	between "$before" "$after" $seen
check_eq "no 'nobody cared', no IRQ disabled" 0 \
	"$(dmesg | grep -cE 'nobody cared|Disabling IRQ')"
unload_wdm
