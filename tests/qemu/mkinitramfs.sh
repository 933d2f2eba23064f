#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the initramfs that the QEMU test guests boot: busybox, bash,
# lspci/setpci (with pci.ids), the guest /init, the test cases, the
# project's modules and tools, named in-kernel modules and named host
# programs.
#
# Usage: tests/qemu/mkinitramfs.sh --kver KVER --out FILE
#                                  [--kmod-dir DIR] [--extra-kmods "a b"]
#                                  [--tools "a b"]
#   --kver KVER        kernel release the image is for (uname -r in the guest)
#   --out FILE         where to write the .gz image
#   --kmod-dir DIR     take the project's modules from DIR instead of
#                      build/KVER: DIR/module/*/*.ko, DIR/kunit/*.ko,
#                      DIR/tests/seed-module/*.ko, DIR/bench/kmod/*.ko,
#                      DIR/examples/*/*.ko, DIR/*.ko; and
#                      DIR/bench/nostats/{module/wdm,bench/kmod}/*.ko
#   --extra-kmods "a b"  in-kernel modules of KVER, with their dependencies
#                      (modules.dep), from the guest kernel scripts/deps.sh
#                      cached (~/.cache/wdmisr/kernels/KVER/lib/modules/KVER),
#                      else /lib/modules/KVER; .ko.xz/.ko.zst/.ko.gz are
#                      stored decompressed, since busybox insmod reads neither
#   --tools "a b"      host programs (found on PATH, ELF executables) for
#                      /bin, with their libraries: trace-cmd, perf, ...
#   --add-case FILE    one more case file (NAME.sh) for /tests/cases/
#
# Layout in the image (a file from the tree keeps its path there):
#   /init                      tests/qemu/guest-init.sh
#   /tests/lib/guest.sh        helpers for the cases
#   /bench/guest.sh            the benchmarks' guest half
#   /include/hw/*.h            the device registers (hw_reg in guest.sh)
#   /tests/cases/*.sh          the cases, and --add-case
#   /wdm/module/*.ko           wdm.ko, wdmisr.ko, wdm_seed.ko, wdm_bench.ko,
#                              the examples (edu_wdm.ko)
#                              (debug info stripped)
#   /wdm/kunit/*.ko            KUnit test modules
#   /wdm/nostats/*.ko          wdm.ko built with WDM_STATS=0 and its
#                              wdm_bench.ko (bench/Makefile), if built
#   /lib/modules/KVER/...      in-kernel modules + modules.dep (for modprobe)
#   /bin/                      busybox applets, bash, lspci, setpci, every
#                              ELF executable directly in userspace/,
#                              tests/progs/, bench/, and the --tools
#
# The image is reproducible: sorted file list, fixed mtimes, root ownership.
# It is not compressed: packing is faster, and the debug kernel (KASAN)
# spent half a minute of each boot inflating it.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/scripts/lib/cache.sh"

kver=
out=
kmod_dir=
extra_kmods=
tools=
add_cases=()

usage() {
	# The header comment, from line 3 to the first line that is not one.
	awk 'NR > 2 && !/^#/ { exit } NR > 2 { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}"
	exit "${1:-0}"
}

msg() { echo "mkinitramfs: $*" >&2; }
die() { msg "$*"; exit 1; }

while [ $# -gt 0 ]; do
	case $1 in
	--kver) kver=$2; shift ;;
	--out) out=$2; shift ;;
	--kmod-dir) kmod_dir=$2; shift ;;
	--extra-kmods) extra_kmods=$2; shift ;;
	--tools) tools=$2; shift ;;
	--add-case) add_cases+=("$2"); shift ;;
	-h|--help) usage 0 ;;
	*) msg "unknown argument: $1"; usage 1 >&2 ;;
	esac
	shift
done
if [ -z "$kver" ] || [ -z "$out" ]; then
	usage 1 >&2
fi
[ -n "$kmod_dir" ] || kmod_dir=$TOP/build/$kver
command -v cpio >/dev/null || die "cpio is missing; run 'make deps'"

BUSYBOX=/bin/busybox
[ -x "$BUSYBOX" ] || die "$BUSYBOX is missing; install busybox-static ('make deps')"
if ldd "$BUSYBOX" >/dev/null 2>&1; then
	die "$BUSYBOX is not static; install busybox-static"
fi

stage=$(mktemp -d "${TMPDIR:-/tmp}/wdm-initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT

# install_file SRC DEST: copy SRC (symlinks followed) to DEST in the image.
install_file() {
	mkdir -p "$stage$(dirname "$2")"
	cp -L "$1" "$stage$2"
}

# install_libs BINARY...: every library ldd names, and the dynamic loader,
# at the same paths as on the host.
install_libs() {
	local lib

	for lib in $(ldd "$@" 2>/dev/null | grep -oE '(^|[[:space:]])/[^ ]+' | sort -u); do
		[ -e "$stage$lib" ] || install_file "$lib" "$lib"
	done
}

# install_bin PATH: an executable into /bin, with its libraries if dynamic.
install_bin() {
	install_file "$1" "/bin/$(basename "$1")"
	chmod 0755 "$stage/bin/$(basename "$1")"
	install_libs "$1"
}

is_elf_exec() {
	[ -f "$1" ] && [ -x "$1" ] && [ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = '177ELF' ]
}

# --- base system -------------------------------------------------------------
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,run,etc,root}
mkdir -p "$stage"/{tests/lib,tests/cases,bench,wdm/module,wdm/kunit,wdm/nostats,lib/modules/"$kver"}
cp "$BUSYBOX" "$stage/bin/busybox"
for applet in $("$BUSYBOX" --list-full); do
	[ -e "$stage/$applet" ] || [ -L "$stage/$applet" ] || ln -s /bin/busybox "$stage/$applet"
done
# The guest scripts are bash scripts; busybox sh stays as /bin/sh.
rm -f "$stage/bin/bash"
install_bin /bin/bash
for tool in lspci setpci; do
	path=$(command -v "$tool") || die "$tool is missing; install pciutils ('make deps')"
	rm -f "$stage/bin/$tool" "$stage/usr/bin/$tool" "$stage/sbin/$tool"
	install_bin "$path"
done
for ids in /usr/share/misc/pci.ids /usr/share/hwdata/pci.ids; do
	[ -e "$ids" ] && install_file "$ids" "$ids"
done
# init needs a console before devtmpfs is mounted; mknod needs root.
if [ "$(id -u)" = 0 ]; then
	mknod -m 600 "$stage/dev/console" c 5 1
	mknod -m 666 "$stage/dev/null" c 1 3
fi

# --- init, helpers, cases ----------------------------------------------------
install -m 0755 "$TOP/tests/qemu/guest-init.sh" "$stage/init"
install -m 0644 "$TOP/tests/lib/guest.sh" "$stage/tests/lib/guest.sh"
install -m 0644 "$TOP/bench/guest.sh" "$stage/bench/guest.sh"
for h in "$TOP"/include/hw/*.h; do
	install -D -m 0644 "$h" "$stage/include/hw/$(basename "$h")"
done
# The cases are sourced, not executed.
for c in "$TOP"/tests/cases/*.sh "${add_cases[@]}"; do
	[ -e "$c" ] || continue
	[ -e "$stage/tests/cases/$(basename "$c")" ] &&
		die "--add-case $c: tests/cases/ has a case of that name"
	install -m 0644 "$c" "$stage/tests/cases/"
done

# --- the project's modules and tools ---------------------------------------
for ko in "$kmod_dir"/module/*/*.ko "$kmod_dir"/tests/seed-module/*.ko "$kmod_dir"/bench/kmod/*.ko \
	"$kmod_dir"/examples/*/*.ko \
	"$kmod_dir"/*.ko; do
	[ -e "$ko" ] || continue
	strip --strip-debug -o "$stage/wdm/module/$(basename "$ko")" "$ko"
done
for ko in "$kmod_dir"/kunit/*.ko; do
	[ -e "$ko" ] || continue
	strip --strip-debug -o "$stage/wdm/kunit/$(basename "$ko")" "$ko"
done
for ko in "$kmod_dir"/bench/nostats/module/wdm/*.ko "$kmod_dir"/bench/nostats/bench/kmod/*.ko; do
	[ -e "$ko" ] || continue
	strip --strip-debug -o "$stage/wdm/nostats/$(basename "$ko")" "$ko"
done
for exe in "$TOP"/userspace/* "$TOP"/tests/progs/* "$TOP"/bench/*; do
	is_elf_exec "$exe" && install_bin "$exe"
done

# --- host programs the case names ---------------------------------------------
for tool in $tools; do
	path=$(command -v "$tool") || die "$tool is missing on the host; run 'make deps'"
	is_elf_exec "$(readlink -f "$path")" || die "$path is not an ELF executable"
	rm -f "$stage/bin/$tool" "$stage/usr/bin/$tool" "$stage/sbin/$tool" "$stage/usr/sbin/$tool"
	install_bin "$path"
done

# --- in-kernel modules, with dependencies -----------------------------------
# kmod_resolve NAME: the modules.dep paths NAME needs, dependencies first.
kmod_resolve() {
	local moddir=$1 name=${2//-/_} line deps d

	line=$(awk -v n="$name" -F: '{
		b = $1; sub(/.*\//, "", b); sub(/\.ko(\.(xz|zst|gz))?$/, "", b)
		gsub(/-/, "_", b); if (b == n) { print; exit } }' "$moddir/modules.dep")
	[ -n "$line" ] || die "module $2 not found in $moddir/modules.dep"
	deps=${line#*:}
	# modules.dep lists the deepest dependency last: load in reverse order.
	for d in $deps; do echo "$d"; done | tac
	echo "${line%%:*}"
}

if [ -n "$extra_kmods" ]; then
	moddir=$(wdm_guest_moddir "$kver")
	[ -f "$moddir/modules.dep" ] || die "$moddir/modules.dep not found (--extra-kmods needs the kernel's modules)"
	for name in $extra_kmods; do
		kmod_resolve "$moddir" "$name"
	done | awk '!seen[$0]++' >"$stage/.kmods"
	: >"$stage/lib/modules/$kver/modules.dep"
	while read -r rel; do
		dst=/lib/modules/$kver/${rel%.*}
		case $rel in
		*.ko) dst=/lib/modules/$kver/$rel; install_file "$moddir/$rel" "$dst" ;;
		*.ko.xz) mkdir -p "$stage$(dirname "$dst")"; xz -dc "$moddir/$rel" >"$stage$dst" ;;
		*.ko.zst) mkdir -p "$stage$(dirname "$dst")"; zstd -qdc "$moddir/$rel" >"$stage$dst" ;;
		*.ko.gz) mkdir -p "$stage$(dirname "$dst")"; gzip -dc "$moddir/$rel" >"$stage$dst" ;;
		esac
	done <"$stage/.kmods"
	# A modules.dep restricted to these modules, with the .ko names used here.
	while read -r rel; do
		grep -E "^$rel:" "$moddir/modules.dep"
	done <"$stage/.kmods" | sed -E 's/\.ko\.(xz|zst|gz)/.ko/g' >"$stage/lib/modules/$kver/modules.dep"
	rm "$stage/.kmods"
fi

# --- pack --------------------------------------------------------------------
mkdir -p "$(dirname "$out")"
find "$stage" -exec touch -h -d @0 {} +
(cd "$stage" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible) >"$out.tmp"
mv "$out.tmp" "$out"
