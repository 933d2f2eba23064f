#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The reader is slower than the device: the edu event queue (queue_len=16)
# overflows, and the loss is exact.
# 1. Nobody reads: 200 raises of 1..200, each one claimed by the ISR before
#    the next, fill the queue with the first 16; 184 are dropped and
#    counted. The reader gets records 0..15 carrying 1..15, 16, with dropped
#    0; one more raise, 201, arrives as seq 200 with dropped 184: the reader
#    sees where the gap was and how big it is.
# 2. 2000 raises, each claimed before the next, against a reader that takes
#    one record per 20 raises (tests/progs/wdmisr-raise.c, overflow, lockstep):
#    16 + 99 events fit, 1885 are dropped, and the reader sees 100 gaps that
#    add up to exactly 1885; raise 2001 carries dropped 1885.
# 3. The same raises against a reader free running at one record per 2 ms:
#    the numbers vary, the accounting does not.
# In both, every record carries seq + 1, every gap in seq equals the growth
# of dropped, and produced == read + dropped, as the driver's counters say.
# qemu: -device edu
# timeout: 240

N=2000
plan 21

load_wdm queue_len=16 || return
check_match "200 raises, each claimed before the next" "^paced .* raises=200 " \
	"$(wdmisr-raise paced -n 200 /dev/wdmisr0 2>&1)"
check_eq "the queue holds 16 events, 184 were dropped" "16 184" \
	"$(vector_stat wdmisr0 0 events) $(vector_stat wdmisr0 0 dropped)"
out=$(wdmisr-read -n 16 --format json -t 5000)
check_eq "the reader gets the first 16, carrying 1..16" 16 \
	"$(printf '%s\n' "$out" | edu_payloads_match)"
check_eq "... as seq 0..15, each with dropped 0" 16 \
	"$(printf '%s\n' "$out" | awk -F'[:,]' '$2 == NR - 1 && /"dropped":0,/ { n++ } END { print n + 0 }')"
check_match "raise 201: seq 200, dropped 184, the gap after seq 15" \
	'^\{"seq":200,.*"len":4,"flags":0,"dropped":184,"data":"c9000000"\}$' \
	"$(wdmisr-read -n 1 --trigger --trigger-value 201 --format json -t 5000)"
unload_wdm

# overflow NAME REGEX ARGS...: on a freshly loaded driver with a 16-record
# queue, `wdmisr-raise overflow -n N ARGS` exits 0 and its result line
# matches REGEX. Six checks.
overflow() {
	local name=$1 want=$2 out rc

	shift 2
	load_wdm queue_len=16 || return
	out=$(wdmisr-raise overflow -n $N "$@" /dev/wdmisr0 2>&1)
	rc=$?
	printf '%s\n' "$out"
	check_eq "$name: the accounting is exact (exit 0)" 0 $rc
	check_match "$name: $((N + 1)) produced == read + dropped == the driver's counters" \
		"^overflow produced=$((N + 1)) $want exact$" "$out"
	unload_wdm
}

# 2000 raises, one read per 20: 16 + 99 events fit, the rest is dropped.
overflow "lockstep, 1 read per 20 raises" \
	"read=116 dropped=1885 lost_in_gaps=1885 gaps=100 stats_events=116 stats_dropped=1885" -e 20
# The same raises against a reader free running at 2 ms per read.
overflow "free running, 2 ms per read" "read=[0-9]+ dropped=[0-9]+ .*" -u 2000
