#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The read side of the /dev ABI: one reader at a time (a second gets EBUSY
# while the first holds the queue; the queue is free again once it closes),
# a buffer smaller than one record gets EINVAL, and reads return whole
# records. Raising an interrupt works from any open file. Under O_NONBLOCK,
# on one open file: with nothing queued read() gets EAGAIN and poll() with
# timeout 0 returns 0; after one raise poll() reports POLLIN and read()
# returns exactly that record; then EAGAIN again. A write-only open is no
# reader: its poll() reports nothing and claims nothing, so a reader opened
# while it stays open reads (no EBUSY).
# qemu: -device edu
# timeout: 180

plan 17

load_wdm || return
# The first reader holds the queue, waiting for 2 records.
wdmisr-read -n 2 --format json -t 20000 >/tmp/first.out 2>&1 &
first=$!
wait_blocked $first wdmisr0
check_contains "a second reader gets EBUSY" "another reader has it open" \
	"$(wdmisr-read -n 1 -t 1000 2>&1)"
check_contains "a 10-byte read() gets EINVAL" "Invalid argument" \
	"$(dd if=/dev/wdmisr0 of=/dev/null bs=10 count=1 2>&1)"
# Each raises once from its own open file, and waits for the ISR to claim it
# (two raises before one ISR would be one event, 5 | 6).
for v in 5 6; do
	wdmisr-raise paced -n 1 -v $v /dev/wdmisr0 >/dev/null
done
wait $first
check_eq "the first reader got both raises, as whole records" \
	'"data":"05000000"} "data":"06000000"}' \
	"$(grep -o '"data":"[0-9a-f]*"}' /tmp/first.out | tr "\n" " " | sed "s/ $//")"
check_eq "it read exactly 2 records" 2 "$(grep -c '"seq"' /tmp/first.out)"
check_eq "closed, the queue is free for the next reader: 3 raises, 3 events" 3 \
	"$(wdmisr-read -n 3 --trigger --format json -t 5000 | edu_payloads_match)"

# The 6th event of the device: seq 5. One line per call
# (tests/progs/wdmisr-ops.c).
mapfile -t ops < <(wdmisr-ops -n read poll:0 trigger:9 poll:5000 read poll:0 read 2>&1)
check_eq "O_NONBLOCK, nothing queued: read() gets EAGAIN" "read: EAGAIN" "${ops[0]:-}"
check_eq "nothing queued: poll() with timeout 0 returns 0" "poll 0: 0" "${ops[1]:-}"
check_eq "raise 9 from the same file" "trigger 9: 0" "${ops[2]:-}"
check_eq "one raise: poll() reports POLLIN" "poll 5000: 1 POLLIN|POLLRDNORM" "${ops[3]:-}"
check_eq "read() returns exactly one record, the raised 9" \
	"read: 1 record/  seq=5 msg=0 len=4 data=09000000" "${ops[4]:-}/${ops[5]:-}"
check_eq "then nothing is queued: poll() returns 0, read() gets EAGAIN" \
	"poll 0: 0/read: EAGAIN" "${ops[6]:-}/${ops[7]:-}"

# Both files open at once: the O_WRONLY one polls first, then the O_RDONLY
# one raises and reads the 7th event, seq 6.
mapfile -t ops < <(wdmisr-ops -w poll:0 open:r trigger:7 read 2>&1)
check_eq "O_WRONLY: poll() reports nothing" "poll 0: 0" "${ops[0]:-}"
check_eq "the O_WRONLY file claimed nothing: an O_RDONLY one reads the next raise" \
	"open r: 0/trigger 7: 0/read: 1 record/  seq=6 msg=0 len=4 data=07000000" \
	"${ops[1]:-}/${ops[2]:-}/${ops[3]:-}/${ops[4]:-}"
unload_wdm
