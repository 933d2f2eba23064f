#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest half of tests/kunit-run.sh: load wdm.ko, then each KUnit module from
# /wdm/kunit/ in turn and unload it again. The KTAP goes to the console
# (loglevel=7); each module's run is framed in the kernel log by
#   WDMTEST-KUNIT-BEGIN <module>  ...  WDMTEST-KUNIT-END <module>
# so that the host can cut it out. insmod's status is not the gate: the
# host parses the KTAP with kunit.py.
# run-by: tests/kunit-run.sh
# qemu: -device edu,addr=3 -device edu,addr=7
# ivshmem: --vectors 8
# append: loglevel=7
# timeout: 900

mods=()
for ko in "$WDM_KUNITDIR"/*.ko; do
	[ -e "$ko" ] && mods+=("$ko")
done
if [ ${#mods[@]} -eq 0 ]; then
	not_ok "KUnit modules in the image ($WDM_KUNITDIR)"
	exit 0
fi

wdm_loaded=0
if [ -f "$WDM_MODDIR/wdm.ko" ]; then
	check_cmd "insmod wdm.ko" insmod "$WDM_MODDIR/wdm.ko" && wdm_loaded=1
else
	note "no wdm.ko in the image; KUnit modules that need it will not load"
fi

for ko in "${mods[@]}"; do
	name=$(basename "$ko" .ko)
	kmsg "WDMTEST-KUNIT-BEGIN $name"
	out=$(insmod "$ko" 2>&1)
	rc=$?
	kmsg "WDMTEST-KUNIT-END $name"
	[ $rc -eq 0 ] || note "insmod $name.ko: $out"
	check_eq "insmod $name.ko" 0 "$rc" || continue
	check_cmd "rmmod $name" rmmod "${name//-/_}"
done

if [ $wdm_loaded = 1 ]; then
	check_cmd "rmmod wdm" rmmod wdm
fi
