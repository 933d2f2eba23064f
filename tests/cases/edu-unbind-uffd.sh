#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unbind while a caller is stuck copying to or from its own memory: the
# buffer is backed by a userfaultfd that nobody serves (tests/progs/
# wdmisr-uffd.c), so copy_to_user() or copy_from_user() waits in the fault
# until the caller is killed, as with a buffer on a stuck FUSE file. In
# turn for read() (one record queued first), WDMISR_IOC_STATS, _INFO and
# _TRIGGER: the caller is seen waiting in handle_userfault, and the unbind
# then completes within 20 s while it still waits: the driver holds nothing
# that remove() needs across a user copy. Killed, the caller goes; bound
# again, the device works.
# qemu: -device edu
# timeout: 300

ops=(read stats info trigger)
plan $((4 + 3 * ${#ops[@]}))

load_wdm || return
bdf=$(find_dev 1234:11e8)
drv=/sys/bus/pci/drivers/wdmisr
if ! why=$(wdmisr-uffd -c 2>&1); then
	for op in "${ops[@]}"; do
		skip "$op: the caller waits in the userfaultfd fault" "$why"
		skip "$op: unbind completes while the caller waits" "$why"
		skip "$op: bound again, 3 raises give 3 events" "$why"
	done
	unload_wdm
	return
fi
for op in "${ops[@]}"; do
	wdmisr-uffd "$op" >/tmp/uffd.out 2>&1 &
	pid=$!
	wait_until 20 waits_in $pid handle_userfault
	check_eq "$op: the caller waits in the userfaultfd fault" \
		"handle_userfault" "$(cat /proc/$pid/wchan 2>&1)" ||
		note "$(cat /tmp/uffd.out)"
	rm -f /tmp/unbound
	{ pci_unbind "$bdf"; touch /tmp/unbound; } &
	unbinder=$!
	check_cmd "$op: unbind completes while the caller waits (20 s at most)" \
		wait_for /tmp/unbound 20
	kill -KILL $pid
	wait $pid
	wait $unbinder
	echo "$bdf" >"$drv/bind"
	wait_for /dev/wdmisr0 5
	check_eq "$op: bound again, 3 raises give 3 events" 3 \
		"$(wdmisr-read -n 3 --trigger --format json -t 5000 | edu_payloads_match)"
done
unload_wdm
