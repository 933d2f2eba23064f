#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# /init of the QEMU test guest (packed by tests/qemu/mkinitramfs.sh): mount
# the pseudo filesystems, run the case named by wdmtest=NAME on the kernel
# command line, dump the kernel log, print the WDMTEST-DONE sentinel on the
# console and power off.
#
# No `set -e`: this is PID 1, and it must reach the sentinel and the power-off
# whatever a case does. A case that crashes the kernel or hangs never prints
# WDMTEST-DONE, and the host counts it as failed.
set -uo pipefail

export PATH=/bin:/sbin:/usr/bin:/usr/sbin
export HOME=/root TERM=dumb

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
[ -d /sys/kernel/tracing ] && mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mkdir -p /tmp /run /dev/shm
ln -sf /proc/self/fd /dev/fd 2>/dev/null

. /tests/lib/guest.sh

name=
read -r -a cmdline </proc/cmdline
for arg in "${cmdline[@]}"; do
	case $arg in
	wdmtest=*) name=${arg#wdmtest=} ;;
	esac
done

# On a kernel with kmemleak (the debug kernel), forget what boot left behind:
# only what the case allocates and never frees is reported at the end.
kmemleak=/sys/kernel/debug/kmemleak
[ -w $kmemleak ] && echo clear >$kmemleak

echo "WDMTEST-START case=${name:-?} kernel=$(uname -r)"
if [ -z "$name" ]; then
	not_ok "wdmtest=NAME given on the kernel command line"
elif [ ! -f "/tests/cases/$name.sh" ]; then
	not_ok "case $name is in the image (/tests/cases/$name.sh)"
else
	# A case runs in its own shell, so that `exit` or an unset variable
	# ends the case and not init. Its results go to $WDMTEST_RESULTS.
	bash -c 'set -uo pipefail; . /tests/lib/guest.sh; . "$1"; exit 0' \
		"$name" "/tests/cases/$name.sh"
	rc=$?
	wdm_check_plan
	[ $rc -eq 0 ] || not_ok "case $name ran to its end (exit status $rc)"
	# kmemleak reports objects older than 5 s that nothing points to.
	if [ -w $kmemleak ]; then
		sleep 6
		echo scan >$kmemleak
		leaks=$(cat $kmemleak)
		check_eq "kmemleak: no unreferenced objects after the case" 0 \
			"$(printf '%s\n' "$leaks" | grep -c '^unreferenced object')" ||
			printf '%s\n' "$leaks" | head -n 60
	fi
fi

echo "WDMTEST-DMESG-BEGIN"
dmesg
echo "WDMTEST-DMESG-END"
echo "WDMTEST-DONE pass=$(wdm_count ok) fail=$(wdm_count 'not ok')"
sync
poweroff -f
# Without ACPI power-off, a reboot ends QEMU too (it runs with -no-reboot).
sleep 2
reboot -f
