#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every out-of-range module parameter fails the load, with a message in the
# kernel log that names the parameter and its value. A valid set loads and
# reads back.
# qemu: -device edu
# timeout: 180

bad=(irq_mode=bogus irq_mode=edu:fast irq_mode=nvme:msi irq_mode=
     max_vectors=0 max_vectors=65 max_vectors=x
     queue_len=100 queue_len=8 queue_len=131072 dev_mode=0777 dev_mode=abc
     max_devices=0 max_devices=257 threaded_dpc=x)
# A DPC may not sleep, and waking the reader may on PREEMPT_RT: there the
# DPCs are threaded, and threaded_dpc=0 is refused; elsewhere they run in
# softirq unless threaded_dpc=1.
default_dpc=N
if [ "$(cat /sys/kernel/realtime 2>/dev/null)" = 1 ]; then
	bad+=(threaded_dpc=0)
	default_dpc=Y
fi
plan $((1 + 2 * ${#bad[@]} + 9))

check_cmd "insmod wdm.ko" insmod "$WDM_MODDIR/wdm.ko" || return
for arg in "${bad[@]}"; do
	lines=$(dmesg | wc -l)
	check_fail "insmod wdmisr.ko $arg is refused" insmod "$WDM_MODDIR/wdmisr.ko" "$arg"
	check_contains "the log names $arg" "wdmisr: $arg:" "$(dmesg | tail -n +$((lines + 1)))"
done
check_cmd "insmod wdmisr.ko with every parameter valid" insmod "$WDM_MODDIR/wdmisr.ko" \
	irq_mode=msi,edu:intx max_vectors=4 queue_len=64 dev_mode=0640 max_devices=8 \
	threaded_dpc=1
check_eq "irq_mode reads back per personality" "generic:msi,edu:intx,ivshmem:msi" \
	"$(cat /sys/module/wdmisr/parameters/irq_mode)"
check_eq "max_devices reads back" 8 "$(cat /sys/module/wdmisr/parameters/max_devices)"
check_eq "threaded_dpc reads back" Y "$(cat /sys/module/wdmisr/parameters/threaded_dpc)"
check_cmd "rmmod wdmisr" rmmod wdmisr
check_cmd "insmod wdmisr.ko with no parameter" insmod "$WDM_MODDIR/wdmisr.ko"
check_eq "threaded_dpc defaults to $default_dpc on this kernel" "$default_dpc" \
	"$(cat /sys/module/wdmisr/parameters/threaded_dpc)"
check_cmd "rmmod wdmisr" rmmod wdmisr
check_cmd "rmmod wdm" rmmod wdm
