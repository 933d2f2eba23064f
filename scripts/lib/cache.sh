#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The project's cache, outside the repository, and the guest kernels in it.
# Sourced by the scripts that build or boot kernels.
#
# wdm_cache_dir
#   ${XDG_CACHE_HOME:-$HOME/.cache}/wdmisr: the KUnit kernel
#   (scripts/kunit-kernel.sh) and the guest kernels live there.
# wdm_guest_kernel_dir REL
#   where scripts/deps.sh unpacks Debian's image package for release REL:
#   boot/vmlinuz-REL, lib/modules/REL/ (with modules.dep).
# wdm_guest_image REL
#   the kernel image to boot for REL: the cache's, else /boot/vmlinuz-REL
#   (a host with the image package installed); fails when neither exists.
# wdm_guest_moddir REL
#   the in-kernel modules of REL: the cache's lib/modules/REL, else
#   /lib/modules/REL.

wdm_cache_dir() {
	echo "${XDG_CACHE_HOME:-$HOME/.cache}/wdmisr"
}

wdm_guest_kernel_dir() {
	echo "$(wdm_cache_dir)/kernels/$1"
}

wdm_guest_image() {
	local f

	for f in "$(wdm_guest_kernel_dir "$1")/boot/vmlinuz-$1" "/boot/vmlinuz-$1"; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	return 1
}

wdm_guest_moddir() {
	local d

	d=$(wdm_guest_kernel_dir "$1")/lib/modules/$1
	[ -d "$d" ] || d=/lib/modules/$1
	echo "$d"
}
