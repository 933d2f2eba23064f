#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The /dev node's mode and who may raise interrupts. Without a udev rule the
# node is root-only (0600), or the dev_mode parameter's mode; raising an
# interrupt (WDMISR_IOC_TRIGGER) needs CAP_SYS_ADMIN even on a node that
# everyone may open.
# qemu: -device edu
# timeout: 180

plan 12
# Run a command as uid 65534, without any capability.
echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
as_nobody() { su nobody -s /bin/sh -c "$*"; }

load_wdm || return
check_eq "default node mode is 0600" "crw-------" "$(ls -l /dev/wdmisr0 | cut -c1-10)"
check_fail "uid 65534 cannot open the 0600 node" as_nobody wdmisr-read --info
check_cmd "rmmod wdmisr" rmmod wdmisr
check_cmd "insmod wdmisr.ko dev_mode=0666" insmod "$WDM_MODDIR/wdmisr.ko" dev_mode=0666
check_eq "dev_mode=0666 gives a 0666 node" "crw-rw-rw-" "$(ls -l /dev/wdmisr0 | cut -c1-10)"
check_cmd "uid 65534 can ask for the device info" as_nobody wdmisr-read --info
out=$(as_nobody wdmisr-read -n 1 --trigger -t 1000 2>&1)
check_contains "uid 65534 cannot raise an interrupt: EPERM" \
	"WDMISR_IOC_TRIGGER: Operation not permitted" "$out"
check_eq "root can: one raise, one event" 1 \
	"$(wdmisr-read -n 1 --trigger --format json -t 5000 | edu_payloads_match)"
unload_wdm
