#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build (once) and locate the KUnit test kernel: linux-source-6.12 configured
# with `make tinyconfig` plus scripts/kunit.config (KUnit, KASAN, lockdep,
# DEBUG_SHIRQ, PCI MSI/MSI-X, ...). Neither Debian kernel has CONFIG_KUNIT.
#
# The tree is built in place in a cache directory outside the repository,
#   ${XDG_CACHE_HOME:-$HOME/.cache}/wdmisr/kunit-<hash>/
# where <hash> is the first 16 hex digits of the sha256 of the config
# fragment, the linux-source-6.12 package version and this script. A
# directory holding a .done stamp is reused as is; anything else is
# (re)built. The result is a kernel tree that out-of-tree modules build
# against (make -C <dir> M=<module dir>) and boots in QEMU
# (<dir>/arch/x86/boot/bzImage); kunit.py is in <dir>/tools/testing/kunit/.
#
# Usage: scripts/kunit-kernel.sh [--print-dir] [--jobs N]
#   --print-dir   print the cache directory on stdout (building it first if
#                 needed); progress messages go to stderr
set -euo pipefail

SCRIPT=$(readlink -f "${BASH_SOURCE[0]}")
TOP=$(dirname "$(dirname "$SCRIPT")")
FRAGMENT=$TOP/scripts/kunit.config
SRC_PKG=linux-source-6.12
TARBALL=/usr/src/$SRC_PKG.tar.xz

print_dir=0
jobs=$(nproc)

usage() {
	# The header comment, from line 3 to the first line that is not one.
	awk 'NR > 2 && !/^#/ { exit } NR > 2 { sub(/^# ?/, ""); print }' "$SCRIPT"
	exit "${1:-0}"
}

msg() { echo "kunit-kernel: $*" >&2; }
die() { msg "$*"; exit 1; }

while [ $# -gt 0 ]; do
	case $1 in
	--print-dir) print_dir=1 ;;
	--jobs) jobs=$2; shift ;;
	-h|--help) usage 0 ;;
	*) msg "unknown argument: $1"; usage 1 >&2 ;;
	esac
	shift
done

[ -r "$TARBALL" ] || die "$TARBALL not found; run 'make deps' (package $SRC_PKG)"
src_version=$(dpkg-query -W -f='${Version}' "$SRC_PKG" 2>/dev/null) ||
	die "package $SRC_PKG is not installed; run 'make deps'"

hash=$( { cat "$FRAGMENT"; echo "$SRC_PKG $src_version"; cat "$SCRIPT"; } |
	sha256sum | cut -c1-16)
cache_root=${XDG_CACHE_HOME:-$HOME/.cache}/wdmisr
dir=$cache_root/kunit-$hash
mkdir -p "$cache_root"

# One builder per cache directory; a second caller waits and then reuses it.
exec 9>"$dir.lock"
if ! flock -n 9; then
	msg "waiting for another build of $dir"
	flock 9
fi

# Every CONFIG_ line of the fragment must have survived olddefconfig.
check_config() {
	local line name bad=0

	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			grep -qxF -- "$line" "$dir/.config" && continue
			msg "config: wanted '$line', got '$(grep -E "^(# )?${line%%=*}[= ]" "$dir/.config" || echo unset)'"
			bad=1
			;;
		"# CONFIG_"*" is not set")
			name=${line#\# }
			name=${name%% *}
			grep -qE "^$name=[ym]" "$dir/.config" || continue
			msg "config: wanted '$line', got '$(grep -E "^$name=" "$dir/.config")'"
			bad=1
			;;
		esac
	done <"$FRAGMENT"
	return $bad
}

kmake() {
	make -C "$dir" -j"$jobs" \
		KBUILD_BUILD_USER=wdmisr KBUILD_BUILD_HOST=kunit \
		KBUILD_BUILD_TIMESTAMP="$src_version" "$@"
}

build() {
	local start=$SECONDS log=$dir/.build.log

	if [ ! -e "$dir/.extracted" ]; then
		msg "extracting $TARBALL into $dir"
		rm -rf "$dir"
		mkdir -p "$dir"
		tar -xJf "$TARBALL" -C "$dir" --strip-components=1
		touch "$dir/.extracted"
	fi

	msg "configuring (tinyconfig + ${FRAGMENT#"$TOP"/})"
	{
		kmake tinyconfig
		(cd "$dir" && scripts/kconfig/merge_config.sh -m .config "$FRAGMENT")
		kmake olddefconfig
	} >"$log" 2>&1 || { tail -n 40 "$log" >&2; die "configuration failed (log: $log)"; }
	check_config || die "the config fragment does not apply; fix $FRAGMENT"

	msg "building bzImage and modules (modules_prepare, Module.symvers) with -j$jobs (log: $log)"
	kmake bzImage modules >>"$log" 2>&1 ||
		{ tail -n 60 "$log" >&2; die "kernel build failed (log: $log)"; }

	# Out-of-tree modules resolve the kernel's exports from Module.symvers.
	[ -s "$dir/Module.symvers" ] || die "no Module.symvers in $dir"
	[ -f "$dir/arch/x86/boot/bzImage" ] || die "no bzImage in $dir"

	msg "built $(cat "$dir/include/config/kernel.release") in $((SECONDS - start)) s"
	touch "$dir/.done"

	for old in "$cache_root"/kunit-*/; do
		[ "${old%/}" = "$dir" ] || msg "older build, remove it if unused: ${old%/}"
	done
}

[ -e "$dir/.done" ] || build

if [ "$print_dir" = 1 ]; then
	echo "$dir"
else
	msg "ready: $dir ($(cat "$dir/include/config/kernel.release"))"
fi
