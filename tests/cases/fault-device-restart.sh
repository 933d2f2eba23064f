#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The device process restarts, then dies, mid-stream.
# tests/ivshmem-dev/ivshmem-dev publishes 1000 records per ring, falls
# silent for 3 s, publishes its header again and goes on from each ring's
# head in shared memory (a restarted producer), and after 2000 per ring
# writes its report and dies by SIGKILL. One reader waiting up to 20 s
# between records gets all 16000 in order across the silence. Then the
# device is gone: a reader with a 1.5 s timeout reports the stall and exits;
# the driver still works (its own doorbell interrupts it, the counters are
# exact), unbinds and binds again without touching the consumed rings, and
# unloads. Nothing hangs. The host compares each ring with the report the
# device wrote before dying.
# ivshmem: --vectors 8 --count 3000 --slots 256 --restart-after 1000 --restart-ms 3000 --die-after 2000
# timeout: 300

M=2000
N=$((8 * M))
plan 13

load_wdm || return
bdf=$(find_dev 1af4:1110)
out=$(wdmisr-read -n $N --format summary -t 20000)
printf '%s\n' "$out"
check_contains "all $N records across the restart, none lost or malformed" \
	"summary total events=$N good=$N malformed=0 dropped=0 seq_gaps=0" "$out"
check_eq "every ring in order across the restart: src_seq 0..1999" 8 \
	"$(printf '%s\n' "$out" | grep -c 'order=ok crc=0x[0-9a-f]* first_src_seq=0 last_src_seq=1999')"

out=$(wdmisr-read -n 1 -t 1500 2>&1 >/dev/null)
rc=$?
check_eq "the device died: a reader times out and reports the stall (exit 3)" \
	"3 wdmisr-read: /dev/wdmisr0: timeout: no record for 1500 ms; 0 of 1 records received" \
	"$rc $out"
check_eq "every vector counted exactly $M events, none dropped or malformed" \
	"$(printf "$M 0 0 %.0s" 1 2 3 4 5 6 7 8)" \
	"$(awk 'NR > 1 { printf "%s %s %s ", $7, $8, $9 }' /sys/kernel/debug/wdmisr/wdmisr0/stats)"
before=$(vector_stat wdmisr0 5 interrupts)
wdmisr-read -n 1 --trigger --trigger-vector 5 -t 500 >/dev/null 2>&1
wait_stat wdmisr0 5 interrupts $((before + 1)) 10
check_eq "the driver still works: its own doorbell interrupts vector 5" 1 \
	$(($(vector_stat wdmisr0 5 interrupts) - before))
check_eq "WDMISR_IOC_INFO still answers" ivshmem "$(wdmisr_info wdmisr0 personality)"

pci_unbind "$bdf"
check_fail "unbound: the node is gone" test -e /dev/wdmisr0
echo "$bdf" >/sys/bus/pci/drivers/wdmisr/bind
check_cmd "bound again: /dev/wdmisr0" wait_for /dev/wdmisr0 5
check_contains "bound again: the consumed rings give no event" \
	"timeout: no record for 1000 ms; 0 of 1 records received" \
	"$(wdmisr-read -n 1 -t 1000 2>&1)"
unload_wdm
