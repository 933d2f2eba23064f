#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Hostile producer: a record with a bad seq on ring 1, a len past 40 on
# ring 2, a bad CRC on ring 3, and on ring 4 a head that jumps past the ring
# (head - tail > slots). Each becomes exactly one event flagged malformed,
# counted, with no payload (the jump's event takes the place of record 40);
# the records skipped by the jump are not events;
# every good record still arrives, in order, and the host compares each
# ring's counts and CRC with the device's report.
# ivshmem: --vectors 8 --count 500 --slots 256 --bad seq@1:10 --bad len@2:20 --bad crc@3:30 --bad jump@4:40
# timeout: 300

M=500
N=$((8 * M))
plan 8

load_wdm || return
out=$(wdmisr-read -n $N --format summary -t 20000)
printf '%s\n' "$out"
check_contains "all $N events: 4 malformed, none lost" \
	"summary total events=$N good=$((N - 4)) malformed=4 dropped=0 seq_gaps=0" "$out"
check_eq "every ring in order (the jump included)" 8 "$(printf '%s\n' "$out" | grep -c 'order=ok')"
check_eq "malformed counted on vectors 1, 2, 3 and 4" "0 1 1 1 1 0 0 0" \
	"$(for k in 0 1 2 3 4 5 6 7; do vector_stat wdmisr0 $k malformed; done | xargs)"

# Still working: a self-doorbell on vector 5 is one more interrupt there.
before=$(vector_stat wdmisr0 5 interrupts)
wdmisr-read -n 1 --trigger --trigger-vector 5 -t 500 >/dev/null 2>&1
wait_stat wdmisr0 5 interrupts $((before + 1)) 10
check_eq "the driver keeps working: a doorbell interrupts vector 5" 1 \
	$(($(vector_stat wdmisr0 5 interrupts) - before))
unload_wdm
