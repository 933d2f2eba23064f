#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Hot unbind with a reader blocked: cat blocked in read() gets ENODEV,
# wdmisr-read blocked in poll() sees the hang-up and reports the device
# removed. The node goes away; bound again, the device works. Ten cycles,
# alternating the two readers.
# qemu: -device edu
# timeout: 300

plan 34

load_wdm || return
bdf=$(find_dev 1234:11e8)
drv=/sys/bus/pci/drivers/wdmisr
for i in 1 2 3 4 5 6 7 8 9 10; do
	if [ $((i % 2)) -eq 1 ]; then
		cat /dev/wdmisr0 >/dev/null 2>/tmp/reader.err &
		what="cat blocked in read()"
		expect="No such device"
	else
		wdmisr-read -n 1 >/dev/null 2>/tmp/reader.err &
		what="wdmisr-read blocked in poll()"
		expect="device removed"
	fi
	pid=$!
	wait_blocked $pid wdmisr0
	pci_unbind "$bdf"
	wait $pid
	rc=$?
	check_contains "cycle $i: $what wakes on unbind: $expect" "$expect" \
		"$(cat /tmp/reader.err) (exit $rc)"
	check_fail "cycle $i: the node is gone" test -e /dev/wdmisr0
	echo "$bdf" >"$drv/bind"
	wait_for /dev/wdmisr0 5
	check_eq "cycle $i: bound again, 3 raises give 3 events" 3 \
		"$(wdmisr-read -n 3 --trigger --format json -t 5000 | edu_payloads_match)"
done
unload_wdm
