#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make deps: what building and testing wdmisr need, on Debian 12 (bookworm).
#
# 1. The host packages, installed with apt (as root) when missing: the
#    compiler and build tools, QEMU, dkms, sparse, busybox-static, trace-cmd
#    and linux-perf (packed into the guest of the trace-tools case), ..., the
#    kernel headers the modules are built against (linux-headers-amd64,
#    linux-headers-6.12-amd64, linux-headers-6.12-rt-amd64) and
#    linux-source-6.12 for the KUnit kernel. No kernel image: nothing here
#    changes the kernel the host boots.
# 2. The guest kernels QEMU boots: for the release REL of each headers set
#    above, Debian's linux-image-REL (else linux-image-REL-unsigned) of the
#    headers' version, fetched with 'apt-get download' and unpacked with
#    'dpkg-deb -x' into ${XDG_CACHE_HOME:-$HOME/.cache}/wdmisr/kernels/REL/
#    (boot/vmlinuz-REL, lib/modules/REL/ with its modules.dep), which the
#    tests take before /boot (scripts/lib/cache.sh). A kernel is moved into
#    place whole; one already there for that version is kept. This step needs
#    no root, and fills the cache of whoever runs it.
# Idempotent: when everything is there it asks apt for nothing.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$TOP/scripts/lib/cache.sh"
# depmod is in /usr/sbin, which a user's PATH may lack.
PATH=$PATH:/usr/sbin:/sbin

headers=(linux-headers-amd64 linux-headers-6.12-amd64 linux-headers-6.12-rt-amd64)
pkgs=(
	build-essential make gcc kmod bc flex bison libelf-dev libssl-dev dwarves
	python3 cpio busybox-static pciutils libpci-dev zlib1g-dev
	qemu-system-x86 sparse dkms gnuplot-nox xz-utils trace-cmd linux-perf
	"${headers[@]}" linux-source-6.12
)

msg() { echo "deps: $*" >&2; }
is_root() { [ "$(id -u)" -eq 0 ]; }

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing+=("$p")
done
apt_updated=0
if [ ${#missing[@]} -gt 0 ]; then
	if ! is_root; then
		msg "missing Debian packages: ${missing[*]}"
		msg "run 'make deps' as root, or install them with apt-get"
		exit 1
	fi
	echo "deps: installing on the host: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt_updated=1
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- guest kernels ---------------------------------------------------------------
kernels=$(wdm_cache_dir)/kernels
mkdir -p "$kernels"
exec 9>"$kernels/.lock"
flock 9
# Under the lock, a dot directory is what an interrupted fetch left.
find "$kernels" -mindepth 1 -maxdepth 1 -type d -name '.*' -exec rm -rf {} +
dl=
tmp=
trap 'rm -rf ${dl:+"$dl"} ${tmp:+"$tmp"}' EXIT

# image_package REL VERSION: the image package for REL at VERSION that apt
# offers, signed or not; nothing when there is none.
image_package() {
	local p

	for p in "linux-image-$1" "linux-image-$1-unsigned"; do
		apt-cache show "$p=$2" >/dev/null 2>&1 && { echo "$p"; return; }
	done
}

# fetch_kernel REL VERSION: unpack the image package of REL at VERSION into
# the cache, unless it is there already.
fetch_kernel() {
	local rel=$1 version=$2 dir pkg

	dir=$(wdm_guest_kernel_dir "$rel")
	[ "$(cat "$dir/.package" 2>/dev/null)" = "$version" ] && return 0
	pkg=$(image_package "$rel" "$version")
	if [ -z "$pkg" ] && is_root && [ $apt_updated = 0 ]; then
		apt-get update -qq
		apt_updated=1
		pkg=$(image_package "$rel" "$version")
	fi
	if [ -z "$pkg" ]; then
		if [ -f "/boot/vmlinuz-$rel" ]; then
			msg "apt offers no linux-image-$rel $version; the guests boot /boot/vmlinuz-$rel"
			return 0
		fi
		msg "apt offers no linux-image-$rel $version, the version of its headers;"
		msg "run 'make deps' as root, or upgrade linux-headers-$rel"
		return 1
	fi
	echo "deps: guest kernel $rel: $pkg $version into $dir (not installed on the host)"
	# apt downloads as _apt when it runs as root: a directory it can reach.
	dl=$(mktemp -d)
	! is_root || chown _apt "$dl"
	(cd "$dl" && apt-get download -qq "$pkg=$version")
	# Unpacked next to its place, and moved there whole.
	tmp=$(mktemp -d "$kernels/.$rel.XXXXXX")
	dpkg-deb -x "$dl/${pkg}_"*.deb "$tmp/new"
	depmod -b "$tmp/new" "$rel"
	if [ ! -f "$tmp/new/boot/vmlinuz-$rel" ] || [ ! -f "$tmp/new/lib/modules/$rel/modules.dep" ]; then
		msg "$pkg has no boot/vmlinuz-$rel or lib/modules/$rel/"
		return 1
	fi
	echo "$version" >"$tmp/new/.package"
	# Another version of the same release goes away after the move.
	[ ! -e "$dir" ] || mv "$dir" "$tmp/old"
	mv "$tmp/new" "$dir"
	rm -rf "$dl" "$tmp"
	dl=
	tmp=
}

for meta in "${headers[@]}"; do
	# The versioned headers package the metapackage depends on.
	hdr=$(dpkg-query -W -f='${Depends}' "$meta" | tr ',' '\n' |
		sed -n 's/^ *\(linux-headers-[^ ]*\).*/\1/p' | head -n 1)
	fetch_kernel "${hdr#linux-headers-}" "$(dpkg-query -W -f='${Version}' "$hdr")"
done
