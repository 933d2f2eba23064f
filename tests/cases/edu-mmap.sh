#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The mapped event ring (include/uapi/wdmisr.h) of the edu, queue_len=16
# (one page of records), through tests/progs/wdmisr-ops.c:
# 1. The mappings the ABI refuses: private, a wrong length or offset, the
#    records writable (mmap and mprotect); what it allows: the header
#    read-write, the records read-only, from the reader; another open file
#    gets EBUSY.
# 2. A reader that stalls: 200 raises of 1..200 against a mapped ring
#    nobody empties; the ring holds the first 16 (seq 0..15, dropped 0), 184
#    are dropped and counted; poll() reports them; taken through the
#    mapping, poll() reports nothing; raise 201 arrives as seq 200 with
#    dropped 184.
# 3. A consumer index out of range: read() gets EIO and an event is dropped
#    (counted) instead of written; back in range, read() goes on; the next
#    reader finds an out-of-range index reset to head.
# 4. wdmisr-read maps the ring (both parts in /proc/PID/maps) and prints
#    the same records as with --no-mmap, which maps nothing.
# 5. Unbind while mapped: the mapping stays readable, the record queued
#    before is taken through it, then poll() reports POLLERR|POLLHUP and
#    read() ENODEV; unmapping after the device is gone is clean.
# qemu: -device edu
# timeout: 240

plan 32

G=/tmp/edu-mmap
mkfifo $G.go1 $G.go2 $G.go3 $G.go4

# ops_wait FILE FIFO: wait until the wdmisr-ops writing FILE waits on FIFO.
ops_wait() {
	wait_until 20 grep -q "^wait $2\$" "$1"
}

# release FIFO: let the wdmisr-ops waiting on FIFO go on.
release() {
	: >"$1"
}

load_wdm queue_len=16 || return

# 1. The header page is 4096 bytes, and so are the 16 records (1408 bytes).
mapfile -t ops < <(wdmisr-ops -b mmap:0:4096:rw:private mmap:0:8192:rw:shared \
	mmap:1:4096:rw:shared mmap:1:8192:r:shared mmap:2:4096:r:shared \
	mmap:0:4096:rw:shared mmap:1:4096:r:shared map mprotect \
	open:r mmap:0:4096:r:shared 2>&1)
check_eq "private, a wrong length, writable records, a wrong length, a wrong offset" \
	"EINVAL EINVAL EACCES EINVAL EINVAL" \
	"${ops[0]##* } ${ops[1]##* } ${ops[2]##* } ${ops[3]##* } ${ops[4]##* }"
check_eq "the header read-write and the records read-only map" "0 0" "${ops[5]##* } ${ops[6]##* }"
check_eq "the header: version 1, 16 records of 88 bytes, empty" \
	"map: 0/  ring version=1 nrecords=16 record_size=88 head=0 tail=0" "${ops[7]:-}/${ops[8]:-}"
check_eq "the records cannot be made writable" "mprotect: EACCES" "${ops[9]:-}"
check_eq "another open file of the same node: EBUSY" "open r: 0/mmap 0:4096:r:shared: EBUSY" \
	"${ops[10]:-}/${ops[11]:-}"

# 2. The reader maps the ring and stalls while 200 raises come.
wdmisr-ops -b map wait:$G.go1 poll:0 ring:64 poll:0 ring:64 wait:$G.go2 poll:5000 ring:64 \
	>$G.2 2>&1 &
pid=$!
ops_wait $G.2 $G.go1
check_match "200 raises, each claimed before the next" "^paced .* raises=200 " \
	"$(wdmisr-raise paced -n 200 /dev/wdmisr0 2>&1)"
check_eq "the ring holds 16 events, 184 were dropped" "16 184" \
	"$(vector_stat wdmisr0 0 events) $(vector_stat wdmisr0 0 dropped)"
release $G.go1
ops_wait $G.2 $G.go2
wdmisr-raise paced -n 1 -v 201 /dev/wdmisr0 >/dev/null
release $G.go2
wait $pid
mapfile -t ops <$G.2
check_eq "a full ring: poll() reports POLLIN" "poll 0: 1 POLLIN|POLLRDNORM" "${ops[3]:-}"
check_eq "the first 16 through the mapping" "ring: 16 records" "${ops[4]:-}"
check_eq "... carrying 1..16 as seq 0..15, each with dropped 0" 16 \
	"$(printf '%s\n' "${ops[@]:5:16}" |
		awk '$1 == "seq=" NR - 1 && $4 == "dropped=0" && $5 == sprintf("data=%02x000000", NR) { n++ }
			END { print n + 0 }')"
check_eq "taken through the mapping: poll() reports nothing, the ring is empty" \
	"poll 0: 0/ring: 0 records" "${ops[21]:-}/${ops[22]:-}"
check_eq "raise 201: seq 200, dropped 184, the gap after seq 15" \
	"poll 5000: 1 POLLIN|POLLRDNORM/ring: 1 record/  seq=200 msg=0 len=4 dropped=184 data=c9000000" \
	"${ops[24]:-}/${ops[25]:-}/${ops[26]:-}"

# 3. tail 1000 is past head 17: out of range. Raise 5 is dropped (seq
# 201), raise 6 arrives as seq 202.
wdmisr-ops -b -n map tail:1000 read trigger:5 wait:$G.go3 read tail:17 read poll:0 \
	trigger:6 poll:5000 read tail:999 >$G.3 2>&1 &
pid=$!
ops_wait $G.3 $G.go3
wait_stat wdmisr0 0 dropped 185 10
check_eq "an out-of-range tail: the raise is dropped, not written" "17 185" \
	"$(vector_stat wdmisr0 0 events) $(vector_stat wdmisr0 0 dropped)"
release $G.go3
wait $pid
mapfile -t ops <$G.3
check_eq "the ring as the last reader left it: head 17, tail 17" \
	"  ring version=1 nrecords=16 record_size=88 head=17 tail=17" "${ops[1]:-}"
check_eq "an out-of-range tail: read() gets EIO, before and after the raise" \
	"tail 1000/read: EIO/trigger 5: 0/read: EIO" "${ops[2]:-}/${ops[3]:-}/${ops[4]:-}/${ops[6]:-}"
check_eq "back in range: nothing queued (EAGAIN, poll 0)" "tail 17/read: EAGAIN/poll 0: 0" \
	"${ops[7]:-}/${ops[8]:-}/${ops[9]:-}"
check_eq "the next raise is read: seq 202" \
	"trigger 6: 0/poll 5000: 1 POLLIN|POLLRDNORM/read: 1 record/  seq=202 msg=0 len=4 data=06000000" \
	"${ops[10]:-}/${ops[11]:-}/${ops[12]:-}/${ops[13]:-}"
check_eq "the next reader finds the tail it left out of range (999) reset to head" \
	"  ring version=1 nrecords=16 record_size=88 head=18 tail=18" \
	"$(wdmisr-ops -b map 2>&1 | sed -n 2p)"

# 4. wdmisr-read with the ring, and with read(), each waiting for 3 raises
# (seq 203..208).
for how in ring --no-mmap; do
	opt=
	[ $how = ring ] || opt=$how
	wdmisr-read -n 3 $opt --format json -t 20000 >$G.4 2>&1 &
	pid=$!
	wait_blocked $pid wdmisr0
	maps=$(grep -c /dev/wdmisr0 /proc/$pid/maps)
	wdmisr-raise paced -n 3 /dev/wdmisr0 >/dev/null
	wait $pid
	if [ $how = ring ]; then
		check_eq "wdmisr-read maps the header and the records" 2 "$maps"
	else
		check_eq "wdmisr-read --no-mmap maps nothing" 0 "$maps"
	fi
	check_eq "... and reads the 3 raises ($how), dropped 185 in each" \
		"01000000 185/02000000 185/03000000 185" \
		"$(sed -n 's/.*"dropped":\([0-9]*\),"data":"\([0-9a-f]*\)"}$/\2 \1/p' $G.4 | paste -sd/)"
done

# 5. Unbind while mapped, one record (seq 209) still in the ring.
edu=$(find_dev 1234:11e8)
wdmisr-ops -b map trigger:7 poll:5000 wait:$G.go4 touch ring poll:0 read >$G.5 2>&1 &
pid=$!
ops_wait $G.5 $G.go4
pci_unbind "$edu"
check_eq "unbound while mapped" "" "$(pci_driver "$edu")"
release $G.go4
wait $pid
check_eq "the mapper exits normally" 0 $?
mapfile -t ops <$G.5
check_eq "the raise before the unbind is there" "poll 5000: 1 POLLIN|POLLRDNORM" "${ops[3]:-}"
check_eq "device gone: both mappings still readable" "touch: 8192 bytes" "${ops[5]:-}"
check_eq "... and the record is taken through them" \
	"ring: 1 record/  seq=209 msg=0 len=4 dropped=185 data=07000000" "${ops[6]:-}/${ops[7]:-}"
check_eq "then poll() reports POLLERR|POLLHUP and read() ENODEV" \
	"poll 0: 1 POLLERR|POLLHUP/read: ENODEV" "${ops[8]:-}/${ops[9]:-}"
unload_wdm
