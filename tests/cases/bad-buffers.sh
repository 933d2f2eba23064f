#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# read(), poll() and epoll with bad buffers on an edu node (tests/
# wdmisr-badio.c). Before each test the edu device raises R interrupts, each
# claimed by the ISR; each test is one call on a fresh open file, then a
# good read() counts what is still queued. A NULL, unmapped, kernel or
# read-only buffer, or one whose first record runs into an unmapped page,
# gets EFAULT and consumes nothing; 0, 1 or 87 bytes get EINVAL; a count of
# SIZE_MAX gets EFAULT. Room for 3 records before an unmapped page returns
# exactly those 3 and leaves the other 2 queued, their seq continuing; a
# 2 GiB read returns just what is queued. Bad pollfd or epoll_event
# pointers get EFAULT, too many fds or maxevents 0 EINVAL, and good ones
# report POLLIN without taking anything. Every record read into a buffer of
# 0xA5 bytes has reserved 0 and zeros past len, and nothing is written past
# the records returned.
# qemu: -device edu
# timeout: 240

# TEST RAISES "EXPECTED OUTPUT"
tests=(
	"null 1 EFAULT; 1 queued"
	"unmapped 1 EFAULT; 1 queued"
	"kernel 1 EFAULT; 1 queued"
	"readonly 1 EFAULT; 1 queued"
	"guard 1 EFAULT; 1 queued"
	"tiny 1 EINVAL,EINVAL,EINVAL; 1 queued"
	"hugecount 1 EFAULT; 1 queued"
	"straddle 5 264 bytes; 2 queued"
	"bigread 5 440 bytes; 0 queued"
	"nonblock 0 EAGAIN; 0 queued"
	"padding 5 5 records clean; 0 queued"
	"padding 20 16 records clean; 4 queued"
	"poll-null 1 EFAULT; 1 queued"
	"poll-unmapped 1 EFAULT; 1 queued"
	"poll-guard 1 EFAULT; 1 queued"
	"poll-nfds 1 EINVAL; 1 queued"
	"poll 1 1 POLLIN; 1 queued"
	"epoll-null 1 EFAULT; 1 queued"
	"epoll-zero 1 EINVAL; 1 queued"
	"epoll 1 1 POLLIN; 1 queued"
)
plan $((4 + ${#tests[@]} + 1))

load_wdm || return
for t in "${tests[@]}"; do
	read -r name raises want <<<"$t"
	[ "$raises" = 0 ] || wdmisr-raise paced -n "$raises" /dev/wdmisr0 >/dev/null
	check_eq "$name after $raises raise(s)" "$name: $want" "$(wdmisr-badio "$name" 2>&1)"
done
total=$(awk '{ n += $2 } END { print n }' <<<"$(printf '%s\n' "${tests[@]}")")
check_eq "all $total raises became events, none dropped" "$total 0" \
	"$(vector_stat wdmisr0 0 events) $(vector_stat wdmisr0 0 dropped)"
unload_wdm
